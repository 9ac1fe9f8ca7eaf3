package live_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gortmp/rtmp/codec/fmp4"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/live"
)

// An MP4 recording holds every frame published after the sequence
// headers, one fragment per keyframe; a malformed message is left out; a
// new decoder configuration mid-stream ends the file and starts another.
func TestRecordMP4TrackChangeStartsNewFile(t *testing.T) {
	dir := t.TempDir()
	r := &live.Relay{}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	links, err := r.Link(ctx, live.LinkConfig{Record: dir, RecordFormat: live.RecordMP4})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		links.Wait()
	}()
	path := relay.Path{App: "live", Key: "cam"}
	pub, err := r.PublishLocal(path)
	if err != nil {
		t.Fatal(err)
	}
	video := func(ms uint32, b ...byte) {
		if err := pub.WriteMedia(relay.Media{Kind: relay.Video, Timestamp: ms, Payload: b}); err != nil {
			t.Fatal(err)
		}
	}
	audio := func(ms uint32, b ...byte) {
		if err := pub.WriteMedia(relay.Media{Kind: relay.Audio, Timestamp: ms, Payload: b}); err != nil {
			t.Fatal(err)
		}
	}
	video(0, 0x17, 0, 0, 0, 0, 1, 0x42, 0, 0x1e) // AVC sequence header
	audio(0, 0xaf, 0, 0x12, 0x10)                // AAC, 44.1 kHz stereo
	video(0, 0x17, 1, 0, 0, 0, 'K', 1)
	audio(0, 0xaf, 1, 'a', 1)
	video(40, 0x27, 1, 0, 0, 0, 'P', 1)
	video(60, 0x27, 5) // malformed: an AVC packet type that does not exist
	video(80, 0x17, 1, 0, 0, 0, 'K', 2)
	audio(23, 0xaf, 1, 'a', 2)
	video(120, 0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x28) // a new configuration
	video(120, 0x17, 1, 0, 0, 0, 'K', 3)
	video(160, 0x27, 1, 0, 0, 0, 'P', 3)
	pub.Close()

	var files []string
	deadline := time.Now().Add(10 * time.Second)
	for r.Players(path) != 0 || len(files) < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("recordings %q after 10 s, want two", files)
		}
		time.Sleep(10 * time.Millisecond)
		files, _ = filepath.Glob(filepath.Join(dir, "live", "cam-*.mp4"))
	}
	type summary struct {
		Codecs  []fmp4.Codec
		Samples map[uint32][]string
		Frags   int
	}
	read := func(name string) summary {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := fmp4.Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s := summary{Samples: map[uint32][]string{}, Frags: len(f.Fragments)}
		for _, tr := range f.Tracks {
			s.Codecs = append(s.Codecs, tr.Codec)
		}
		for _, fr := range f.Fragments {
			for _, run := range fr.Runs {
				for _, smp := range run.Samples {
					s.Samples[run.TrackID] = append(s.Samples[run.TrackID], string(smp.Data))
				}
			}
		}
		return s
	}
	first, second := read(files[0]), read(files[1])
	if strings.HasSuffix(files[0], "-2.mp4") {
		first, second = second, first
	}
	wantFirst := summary{Codecs: []fmp4.Codec{fmp4.H264, fmp4.AAC}, Frags: 2, Samples: map[uint32][]string{
		1: {"K\x01", "P\x01", "K\x02"},
		2: {"a\x01", "a\x02"},
	}}
	wantSecond := summary{Codecs: []fmp4.Codec{fmp4.H264, fmp4.AAC}, Frags: 1, Samples: map[uint32][]string{
		1: {"K\x03", "P\x03"},
	}}
	if diff := cmp.Diff(wantFirst, first); diff != "" {
		t.Errorf("first file (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantSecond, second); diff != "" {
		t.Errorf("second file (-want +got):\n%s", diff)
	}
}
