package relay

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestRepublishContinuesTimestamps(t *testing.T) {
	s := NewStream(Config{})
	s.Play(9)
	s.Publish(1)
	var f Fanout
	got := func() uint32 {
		t.Helper()
		if len(f.To) != 1 || f.To[0] != 9 {
			t.Fatalf("fanned out to %v, want [9]", f.To)
		}
		return f.Payload(ViewAll).Timestamp
	}
	// The first publisher's timestamps pass as they are.
	for _, m := range []Media{key(1000, 1), aac(1010, 1), inter(1040, 1), aac(1033, 1)} {
		s.Media(m, &f)
		if ts := got(); ts != m.Timestamp {
			t.Fatalf("first publisher: %d became %d", m.Timestamp, ts)
		}
	}
	s.Leave(1)
	s.Publish(2)
	// The second starts again at 0 and lands 1 ms after the latest (1040),
	// its own spacing kept, audio before video included.
	var out []uint32
	for _, m := range []Media{aac(0, 1), key(5, 1), aac(3, 1), inter(45, 1)} {
		s.Media(m, &f)
		out = append(out, got())
	}
	if diff := cmp.Diff([]uint32{1041, 1046, 1044, 1086}, out); diff != "" {
		t.Fatalf("second publisher's timestamps (-want +got):\n%s", diff)
	}
	// A late player's fast start holds the rebased messages.
	fx, _ := s.Play(10)
	var cached []uint32
	for _, e := range fx {
		cached = append(cached, e.(Send).Media.Timestamp)
	}
	if diff := cmp.Diff([]uint32{1046, 1044, 1086}, cached); diff != "" {
		t.Fatalf("fast start timestamps (-want +got):\n%s", diff)
	}
}

func TestRepublishAcrossTheWrap(t *testing.T) {
	s := NewStream(Config{})
	s.Play(9)
	s.Publish(1)
	var f Fanout
	s.Media(key(math.MaxUint32-1, 1), &f)
	s.Media(inter(3, 1), &f) // wrapped: 3 is later than 2^32-2
	s.Leave(1)
	s.Publish(2)
	s.Media(key(0, 1), &f)
	if ts := f.Payload(ViewAll).Timestamp; ts != 4 {
		t.Fatalf("after a wrapped stream the next publisher starts at %d, want 4", ts)
	}
}

// TestPropertyTimestampsNeverGoBack: whatever the publishers' timestamps,
// each keeps its spacing (a constant offset), the first keeps its own, and
// when every publisher's timestamps go forward, so does everything a
// player receives, across publishers and fast starts included.
func TestPropertyTimestampsNeverGoBack(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := NewStream(Config{})
		var f Fanout
		start := rapid.Uint32().Draw(t, "start")
		monotonic := rapid.Bool().Draw(t, "monotonic")
		last := map[ClientID]uint32{}
		seen := map[ClientID]bool{}
		receive := func(id ClientID, ts uint32) {
			if monotonic && seen[id] && int32(ts-last[id]) < 0 {
				t.Fatalf("player %d got %d after %d", id, ts, last[id])
			}
			last[id], seen[id] = ts, true
		}
		next := ClientID(100)
		publishers := rapid.IntRange(1, 4).Draw(t, "publishers")
		for p := range publishers {
			pub := ClientID(p + 1)
			s.Publish(pub)
			ts := start
			if p > 0 {
				ts = rapid.Uint32().Draw(t, "restart")
			}
			offset, anchored := uint32(0), false
			for range rapid.IntRange(0, 30).Draw(t, "messages") {
				if rapid.IntRange(0, 5).Draw(t, "join") == 0 {
					next++
					fx, _ := s.Play(next)
					for _, e := range fx {
						receive(next, e.(Send).Media.Timestamp)
					}
				}
				if monotonic {
					ts += uint32(rapid.IntRange(0, 100).Draw(t, "dt"))
				} else {
					ts = rapid.Uint32().Draw(t, "ts")
				}
				ms := [...]Media{key(ts, 1), inter(ts, 1), aac(ts, 1), {Kind: Data, Timestamp: ts, Payload: cue}}
				s.Media(ms[rapid.IntRange(0, len(ms)-1).Draw(t, "kind")], &f)
				out := f.Timestamp
				if !anchored {
					offset, anchored = out-ts, true
					if p == 0 && offset != 0 {
						t.Fatalf("first publisher shifted by %d", offset)
					}
				}
				if out-ts != offset {
					t.Fatalf("publisher %d: offset %d, then %d", pub, offset, out-ts)
				}
				for _, id := range f.To {
					receive(id, out)
				}
			}
			s.Leave(pub)
		}
	})
}
