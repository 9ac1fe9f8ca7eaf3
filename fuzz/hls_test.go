package fuzz

import (
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/core/hls"
)

// FuzzHLSTimeline drives a core/hls timeline with the input read as
// operations, three bytes each: what to do (push a sample, a keyframe or
// not; a new init section; the end; a blocking reload decision), and two
// bytes of time or of request. Whatever the input: no panic; every part
// and segment a rendered playlist lists can be served, and its preload
// hint names the part that completes next; the window stays bounded.
func FuzzHLSTimeline(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0, 40, 1, 0, 40, 0, 3, 232, 1, 0, 40, 4, 0, 1})
	f.Add([]byte{0, 0, 0, 2, 0, 0, 0, 0, 40, 3, 0, 0, 5, 1, 0})
	f.Fuzz(func(t *testing.T, in []byte) {
		cfg := hls.Config{TargetDuration: time.Second, PartTarget: 200 * time.Millisecond, Window: 3, Delta: len(in)%2 == 0}
		tl := hls.NewTimeline(cfg)
		dts := time.Duration(0)
		for i := 0; i+2 < len(in) && i < 3*4096; i += 3 {
			arg := int(in[i+1])<<8 | int(in[i+2])
			switch in[i] % 6 {
			case 0, 1:
				dts += time.Duration(arg%2000) * time.Millisecond
				tl.Push(dts, in[i]%6 == 0)
			case 2:
				tl.NewInit()
			case 3:
				if in[i]&0x80 != 0 {
					tl.End()
				}
			case 4:
				tl.Await(hls.Reload{Block: true, MSN: uint64(arg >> 4), HasPart: arg&8 != 0, Part: arg & 7})
			case 5:
				checkPlaylist(t, tl, string(tl.AppendMedia(nil, "key=k", arg&1 != 0)))
			}
			if len(tl.Segments()) > cfg.Window+1 {
				t.Fatalf("%d segments in a window of %d", len(tl.Segments()), cfg.Window)
			}
		}
		checkPlaylist(t, tl, string(tl.AppendMedia(nil, "", false)))
	})
}

func checkPlaylist(t *testing.T, tl *hls.Timeline, playlist string) {
	for _, line := range strings.Split(playlist, "\n") {
		name := line
		if _, rest, ok := strings.Cut(line, `URI="`); ok {
			name, _, _ = strings.Cut(rest, `"`)
		}
		name, _, _ = strings.Cut(name, "?")
		kind, _, a := hls.ParseName(name)
		switch {
		case kind == hls.PartFile && strings.HasPrefix(line, "#EXT-X-PART:") && !tl.Has(a):
			t.Fatalf("listed part %v cannot be served:\n%s", a, playlist)
		case kind == hls.PartFile && strings.HasPrefix(line, "#EXT-X-PRELOAD-HINT") && a != tl.Next():
			t.Fatalf("hint %v, next part %v", a, tl.Next())
		case kind == hls.SegmentFile && !tl.HasSegment(a.MSN):
			t.Fatalf("listed segment %d cannot be served:\n%s", a.MSN, playlist)
		}
	}
}
