package hls_test

import (
	"testing"

	"github.com/gortmp/rtmp/core/hls"
	"pgregory.net/rapid"
)

// Whatever renditions appear and go, in whatever order, and whatever is
// requested: a playlist URL that was answered with a playlist is never
// answered with a playlist of the other kind while the timeline lives;
// index.m3u8 is multivariant only if the stream had several renditions
// when it was first asked for; a rendition's own URL is always a media
// playlist, and one out of range none.
func TestIndexKindNeverChanges(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var k hls.IndexKind
		renditions := 1
		served := map[int]hls.PlaylistKind{} // by r; -1 is index.m3u8
		decided := hls.NoPlaylist            // what index.m3u8 must be, once asked for
		for i := range rapid.IntRange(1, 60).Draw(t, "steps") {
			if rapid.IntRange(0, 3).Draw(t, "change") == 0 {
				renditions = rapid.IntRange(1, 4).Draw(t, "renditions")
				continue
			}
			named := rapid.Bool().Draw(t, "named")
			r := rapid.IntRange(-1, 5).Draw(t, "r")
			block := rapid.IntRange(0, 3).Draw(t, "block") == 0
			got := k.Choose(named, r, renditions, block)
			url := -1
			if named {
				url = r
			}
			switch {
			case named && (r < 0 || r >= renditions):
				if got != hls.NoPlaylist {
					t.Fatalf("step %d: rendition %d of %d answered %v", i, r, renditions, got)
				}
				continue
			case named || block:
				if got != hls.MediaPlaylist {
					t.Fatalf("step %d: rendition %d (block %v) answered %v, want a media playlist", i, r, block, got)
				}
			}
			if !named && decided == hls.NoPlaylist {
				decided = hls.MediaPlaylist
				if renditions > 1 && !block {
					decided = hls.MultivariantPlaylist
				}
			}
			if block {
				continue // a blocking reload is a media playlist's URL of its own
			}
			if !named && got != decided {
				t.Fatalf("step %d: index.m3u8 answered %v with %d renditions, want %v", i, got, renditions, decided)
			}
			if was, ok := served[url]; ok && was != got {
				t.Fatalf("step %d: URL %d was %v, now %v (%d renditions)", i, url, was, got, renditions)
			}
			served[url] = got
		}
	})
}

// A stream that starts with one rendition keeps index.m3u8 a media
// playlist when a second audio track appears; one that starts with two
// keeps it multivariant when it is down to one.
func TestIndexKindExamples(t *testing.T) {
	var media hls.IndexKind
	if got := media.Choose(false, 0, 1, false); got != hls.MediaPlaylist {
		t.Fatalf("one rendition: %v", got)
	}
	if got := media.Choose(false, 0, 2, false); got != hls.MediaPlaylist {
		t.Errorf("a second rendition turned index.m3u8 into %v", got)
	}
	if got := media.Choose(true, 1, 2, false); got != hls.MediaPlaylist {
		t.Errorf("the new rendition's own playlist: %v", got)
	}
	var multi hls.IndexKind
	if got := multi.Choose(false, 0, 2, false); got != hls.MultivariantPlaylist {
		t.Fatalf("two renditions: %v", got)
	}
	if got := multi.Choose(false, 0, 1, false); got != hls.MultivariantPlaylist {
		t.Errorf("down to one rendition, index.m3u8 turned into %v", got)
	}
	if got := multi.Choose(false, 0, 1, true); got != hls.MediaPlaylist {
		t.Errorf("a blocking reload of index.m3u8: %v", got)
	}
}
