package hls_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/core/hls"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the golden playlists in testdata")

// feed pushes video at 25 frames a second from from to until, a keyframe
// every keyEvery.
func feed(tl *hls.Timeline, from, until, keyEvery time.Duration) {
	const frame = 40 * time.Millisecond
	for i := 0; ; i++ {
		dts := from + time.Duration(i)*frame
		if dts >= until {
			return
		}
		tl.Push(dts, (dts-from)%keyEvery < frame)
	}
}

// The playlists of typical streams: their bytes are the golden files in
// testdata; go test ./core/hls -rewrite regenerates them.
func TestGoldenPlaylists(t *testing.T) {
	for _, tc := range []struct {
		name string
		make func() []byte
	}{
		{"live.m3u8", func() []byte {
			tl := hls.NewTimeline(hls.Config{})
			feed(tl, 0, 9*time.Second+500*time.Millisecond, time.Second)
			return tl.AppendMedia(nil, "", false)
		}},
		{"live_key.m3u8", func() []byte {
			tl := hls.NewTimeline(hls.Config{TargetDuration: time.Second, PartTarget: 500 * time.Millisecond, Window: 3})
			feed(tl, 0, 5*time.Second+700*time.Millisecond, time.Second)
			return tl.AppendMedia(nil, "key=s3cret", false)
		}},
		{"long_gop.m3u8", func() []byte {
			tl := hls.NewTimeline(hls.Config{})
			feed(tl, 0, 12*time.Second+100*time.Millisecond, 5*time.Second)
			return tl.AppendMedia(nil, "", false)
		}},
		{"delta_full.m3u8", func() []byte {
			tl := hls.NewTimeline(hls.Config{TargetDuration: time.Second, Window: 15, Delta: true})
			feed(tl, 0, 15*time.Second+300*time.Millisecond, time.Second)
			return tl.AppendMedia(nil, "", false)
		}},
		{"delta_skip.m3u8", func() []byte {
			tl := hls.NewTimeline(hls.Config{TargetDuration: time.Second, Window: 15, Delta: true})
			feed(tl, 0, 15*time.Second+300*time.Millisecond, time.Second)
			return tl.AppendMedia(nil, "", true)
		}},
		{"new_init.m3u8", func() []byte {
			tl := hls.NewTimeline(hls.Config{TargetDuration: time.Second})
			feed(tl, 0, 2*time.Second+100*time.Millisecond, time.Second)
			tl.NewInit()
			feed(tl, 3*time.Second, 4*time.Second+300*time.Millisecond, time.Second)
			return tl.AppendMedia(nil, "", false)
		}},
		{"ended.m3u8", func() []byte {
			tl := hls.NewTimeline(hls.Config{})
			feed(tl, 40*time.Millisecond, 4*time.Second+500*time.Millisecond, 2*time.Second)
			tl.End()
			return tl.AppendMedia(nil, "", false)
		}},
		{"multivariant.m3u8", func() []byte {
			return hls.AppendMultivariant(nil,
				[]hls.Variant{{URI: "main.m3u8", Bandwidth: 2_500_000, Codecs: []string{"avc1.64001f", "mp4a.40.2"}, Width: 1280, Height: 720, Audio: "audio"}},
				[]hls.Rendition{
					{Group: "audio", Name: "track 0", Default: true, Channels: 2},
					{Group: "audio", Name: "track 1", Language: "fr", URI: "audio-1.m3u8", Channels: 6},
					{Group: "audio", Name: `a "quoted"` + "\nname", URI: "audio-2.m3u8"},
				}, "key=k")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.make()
			file := filepath.Join("testdata", tc.name)
			if *rewrite {
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (go test ./core/hls -rewrite writes it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", file, diff)
			}
		})
	}
}
