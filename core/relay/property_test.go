package relay

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// op is one step of a generated scenario.
type op struct {
	Kind   string // "media", "written", "play", "leave", "publish", "takeover"
	Client ClientID
	Media  Media
	N      int
}

func genOps(t *rapid.T) []op {
	ts := uint32(0)
	return rapid.SliceOfN(rapid.Custom(func(t *rapid.T) op {
		client := ClientID(rapid.IntRange(1, 4).Draw(t, "client"))
		switch rapid.IntRange(0, 10).Draw(t, "op") {
		case 0:
			return op{Kind: "play", Client: client}
		case 1:
			return op{Kind: "leave", Client: client}
		case 2:
			return op{Kind: "publish", Client: client}
		case 10:
			return op{Kind: "takeover", Client: client}
		case 3, 4:
			return op{Kind: "written", Client: client, N: rapid.IntRange(0, 3000).Draw(t, "n")}
		default:
			ts += uint32(rapid.IntRange(0, 200).Draw(t, "dt"))
			size := rapid.IntRange(0, 900).Draw(t, "size")
			m := [...]Media{avcHeader, aacHeader, meta, key(ts, size), inter(ts, size), aac(ts, size), {Kind: Data, Timestamp: ts, Payload: cue}}
			return op{Kind: "media", Media: m[rapid.IntRange(0, len(m)-1).Draw(t, "class")]}
		}
	}), 0, 200).Draw(t, "ops")
}

// trace runs ops on a fresh stream, checking invariants on the way, and
// returns everything the stream said.
func trace(t *rapid.T, cfg Config, ops []op) []any {
	s := NewStream(cfg)
	var out []any
	var f Fanout
	// mustKey records players whose next video frame must be a keyframe.
	mustKey := map[ClientID]bool{}
	for _, o := range ops {
		switch o.Kind {
		case "play":
			fx, err := s.Play(o.Client)
			out = append(out, fx, err)
			if err == nil {
				mustKey[o.Client] = true
				for _, e := range fx {
					if c := Classify(e.(Send).Media); c == Keyframe {
						mustKey[o.Client] = false
					} else if c == Frame && e.(Send).Media.Kind == Video && mustKey[o.Client] {
						t.Fatalf("fast start sends an inter frame before a keyframe")
					}
				}
			}
		case "publish":
			fx, err := s.Publish(o.Client)
			out = append(out, fx, err)
			for _, id := range s.Players() {
				mustKey[id] = mustKey[id] || err == nil
			}
		case "takeover":
			fx, err := s.TakeOver(o.Client)
			out = append(out, fx, err)
			for _, id := range s.Players() {
				mustKey[id] = mustKey[id] || err == nil
			}
		case "leave":
			out = append(out, s.Leave(o.Client))
		case "written":
			s.Written(o.Client, o.N)
		case "media":
			s.Media(o.Media, &f)
			out = append(out, append([]ClientID(nil), f.To...), append([]Disconnect(nil), f.Disconnect...))
			sent := map[ClientID]bool{}
			for _, id := range f.To {
				sent[id] = true
			}
			isVideoFrame := o.Media.Kind == Video && (f.Class == Keyframe || f.Class == Frame)
			for _, id := range s.Players() {
				if !isVideoFrame {
					continue
				}
				switch {
				case sent[id] && mustKey[id] && f.Class != Keyframe:
					t.Fatalf("player %d got an inter frame after a gap", id)
				case sent[id]:
					mustKey[id] = false
				default:
					if _, publishing := s.Publishing(); publishing {
						mustKey[id] = true
					}
				}
			}
		}
		for _, id := range s.Players() {
			if q := s.Queued(id); q > s.cfg.HardQueueBytes {
				t.Fatalf("player %d queued %d > hard bound %d", id, q, s.cfg.HardQueueBytes)
			}
		}
	}
	return out
}

func TestPropertyBoundedAndKeyframeAligned(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := Config{
			MaxQueueBytes:   rapid.IntRange(100, 5000).Draw(t, "max"),
			MaxBehindMillis: uint32(rapid.IntRange(1, 2000).Draw(t, "behind")),
			MaxCacheBytes:   rapid.IntRange(1, 5000).Draw(t, "cache"),
		}
		ops := genOps(t)
		first := trace(t, cfg, ops)
		second := trace(t, cfg, ops)
		if diff := cmp.Diff(first, second, cmpErrors); diff != "" {
			t.Fatalf("same operations, different results:\n%s", diff)
		}
	})
}
