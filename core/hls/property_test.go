package hls_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/core/hls"
	"pgregory.net/rapid"
)

// sample is one pushed sample.
type sample struct {
	dts time.Duration
	key bool
}

func samples(t *rapid.T, maxDelta int) []sample {
	n := rapid.IntRange(0, 600).Draw(t, "n")
	var out []sample
	dts := time.Duration(rapid.IntRange(0, 1e6).Draw(t, "start")) * time.Millisecond
	for range n {
		dts += time.Duration(rapid.IntRange(0, maxDelta).Draw(t, "delta")) * time.Millisecond
		out = append(out, sample{dts, rapid.IntRange(0, 30).Draw(t, "key") == 0})
	}
	return out
}

func config(t *rapid.T) hls.Config {
	return hls.Config{
		TargetDuration: time.Duration(rapid.IntRange(200, 4000).Draw(t, "target")) * time.Millisecond,
		PartTarget:     time.Duration(rapid.IntRange(50, 1000).Draw(t, "part")) * time.Millisecond,
		Window:         rapid.IntRange(0, 8).Draw(t, "window"),
		Delta:          rapid.Bool().Draw(t, "delta"),
	}
}

// Whatever the samples: segments start on keyframes and are numbered one
// after the other; their parts add up to them and the first is
// independent; a complete segment is at least the target long unless the
// stream ended; the window keeps at most Window complete segments and the
// open one, and every segment that left it was reported once; the playlist
// lists exactly the parts and segments that can be served.
func TestTimelineProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := config(t)
		tl := hls.NewTimeline(cfg)
		cfg = tl.Config()
		in := samples(t, 120)
		dropped := map[uint64]bool{}
		keys := map[time.Duration]bool{}
		for _, s := range in {
			if s.key {
				keys[s.dts] = true
			}
			cut := tl.Push(s.dts, s.key)
			for _, msn := range cut.Dropped {
				if dropped[msn] {
					t.Fatalf("segment %d dropped twice", msn)
				}
				dropped[msn] = true
			}
			if cut.PartDone && !tl.Has(cut.Done) {
				t.Fatalf("part %v reported done but not servable", cut.Done)
			}
			if cut.SegmentDone && !tl.HasSegment(cut.Done.MSN) {
				t.Fatalf("segment %d reported done but not servable", cut.Done.MSN)
			}
		}
		ended := rapid.Bool().Draw(t, "end")
		if ended {
			tl.End()
		}
		segs := tl.Segments()
		complete := 0
		for _, s := range segs {
			if s.Complete {
				complete++
			}
		}
		if len(segs) > cfg.Window+1 || complete > cfg.Window && !ended {
			t.Fatalf("%d segments, %d complete, in a window of %d", len(segs), complete, cfg.Window)
		}
		for i, s := range segs {
			if !keys[s.Start] {
				t.Fatalf("segment %d starts at %v, not a keyframe", s.MSN, s.Start)
			}
			if i > 0 && s.MSN != segs[i-1].MSN+1 {
				t.Fatalf("segment %d follows %d", s.MSN, segs[i-1].MSN)
			}
			if len(s.Parts) > 0 && !s.Parts[0].Independent {
				t.Fatalf("segment %d's first part is not independent", s.MSN)
			}
			if !s.Complete {
				continue
			}
			var sum time.Duration
			for _, p := range s.Parts {
				sum += p.Duration
			}
			if sum != s.Duration {
				t.Fatalf("segment %d lasts %v, its parts %v", s.MSN, s.Duration, sum)
			}
			last := i == len(segs)-1
			if s.Duration < cfg.TargetDuration && !(ended && last) {
				t.Fatalf("segment %d lasts %v, under the target %v", s.MSN, s.Duration, cfg.TargetDuration)
			}
			if d := time.Duration(s.Duration); d > tl.TargetDuration() {
				t.Fatalf("segment %d lasts %v, over EXT-X-TARGETDURATION %v", s.MSN, d, tl.TargetDuration())
			}
		}
		if len(segs) > 0 {
			for msn := range segs[0].MSN {
				if !dropped[msn] {
					t.Fatalf("segment %d left the window unreported", msn)
				}
			}
		}
		playlist := string(tl.AppendMedia(nil, "", false))
		for _, line := range strings.Split(playlist, "\n") {
			name := line
			if _, rest, ok := strings.Cut(line, `URI="`); ok {
				name, _, _ = strings.Cut(rest, `"`)
			}
			kind, _, a := hls.ParseName(name)
			switch {
			case kind == hls.PartFile && strings.HasPrefix(line, "#EXT-X-PART:") && !tl.Has(a):
				t.Fatalf("listed part %v cannot be served", a)
			case kind == hls.PartFile && strings.HasPrefix(line, "#EXT-X-PRELOAD-HINT") && (tl.Has(a) || !tl.Upcoming(a)):
				t.Fatalf("hinted part %v is not the next one", a)
			case kind == hls.SegmentFile && !tl.HasSegment(a.MSN):
				t.Fatalf("listed segment %d cannot be served", a.MSN)
			}
		}
	})
}

// With samples evenly spaced, no part is longer than the part target
// (RFC 8216bis), unless one sample alone is.
func TestPartsWithinTarget(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := config(t)
		tl := hls.NewTimeline(cfg)
		cfg = tl.Config()
		delta := time.Duration(rapid.IntRange(1, 100).Draw(t, "delta")) * time.Millisecond
		n := rapid.IntRange(0, 500).Draw(t, "n")
		keyEvery := rapid.IntRange(1, 200).Draw(t, "keyEvery")
		for i := range n {
			tl.Push(time.Duration(i)*delta, i%keyEvery == 0)
		}
		for _, s := range tl.Segments() {
			for j, p := range s.Parts {
				if p.Duration > max(cfg.PartTarget, delta) {
					t.Fatalf("part %d.%d lasts %v, over %v", s.MSN, j, p.Duration, cfg.PartTarget)
				}
			}
		}
	})
}

// A blocking reload is ready exactly when the part (or segment) asked for,
// or a later one, is listed; it waits for what is at most a little ahead,
// and refuses what is further.
func TestAwaitProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tl := hls.NewTimeline(config(t))
		for _, s := range samples(t, 80) {
			tl.Push(s.dts, s.key)
		}
		r := hls.Reload{Block: true, MSN: uint64(rapid.IntRange(0, 60).Draw(t, "msn")), HasPart: rapid.Bool().Draw(t, "hasPart"), Part: rapid.IntRange(0, 30).Draw(t, "part")}
		got := tl.Await(r)
		listed := false
		for _, s := range tl.Segments() {
			if r.HasPart && (s.MSN > r.MSN && len(s.Parts) > 0 || s.MSN == r.MSN && r.Part < len(s.Parts)) {
				listed = true
			}
			if !r.HasPart && s.MSN >= r.MSN && s.Complete {
				listed = true
			}
		}
		// Parts and segments that already left the window count as listed:
		// something later is.
		if segs := tl.Segments(); len(segs) > 0 && r.MSN < segs[0].MSN && (len(segs) > 1 || segs[0].Complete || len(segs[0].Parts) > 0) {
			listed = true
		}
		if (got == hls.Ready) != listed {
			t.Fatalf("Await(%+v) = %v with the window %s", r, got, describe(tl))
		}
		if got == hls.TooFar && r.MSN <= tl.Next().MSN+1 && !(r.HasPart && r.Part > 3) {
			t.Fatalf("Await(%+v) refused what is not ahead: %s", r, describe(tl))
		}
	})
}

func describe(tl *hls.Timeline) string {
	var b strings.Builder
	for _, s := range tl.Segments() {
		fmt.Fprintf(&b, "[%d: %d parts complete=%v] ", s.MSN, len(s.Parts), s.Complete)
	}
	return b.String()
}

// Names read back as what made them; anything else is NotMedia.
func TestNamesRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := hls.Address{MSN: rapid.Uint64().Draw(t, "msn"), Part: rapid.IntRange(0, 1<<20-1).Draw(t, "part")}
		n := rapid.IntRange(0, 1<<30).Draw(t, "init")
		if k, _, got := hls.ParseName(hls.PartName(a)); k != hls.PartFile || got != a {
			t.Fatalf("part %v read back as %v %v", a, k, got)
		}
		if k, _, got := hls.ParseName(hls.SegmentName(a.MSN)); k != hls.SegmentFile || got.MSN != a.MSN {
			t.Fatalf("segment %d read back as %v %v", a.MSN, k, got)
		}
		if k, got, _ := hls.ParseName(hls.InitName(n)); k != hls.InitFile || got != n {
			t.Fatalf("init %d read back as %v %d", n, k, got)
		}
	})
	for _, bad := range []string{"", "seg-.m4s", "seg-01.m4s", "seg--1.m4s", "part-1.m4s", "part-1.01.m4s", "init-x.mp4", "index.m3u8", "seg-1.mp4", "part-1.2.3.m4s"} {
		if k, _, _ := hls.ParseName(bad); k != hls.NotMedia {
			t.Errorf("ParseName(%q) = %v, want NotMedia", bad, k)
		}
	}
}
