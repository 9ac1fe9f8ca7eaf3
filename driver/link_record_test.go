package driver_test

import (
	"context"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/fmp4"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/internal/peers"
)

// TestInteropRecord: with LinkConfig.Record, each stream ffmpeg publishes
// is written to a new FLV file, whole and unaltered (framemd5), from its
// first packet: a second publication of the same path gets a file of its
// own, and a nested app is one folder.
func TestInteropRecord(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	noLeakAtEnd(t)
	src, srcExtra := packets(t, shortSample)
	dir := t.TempDir()
	r := &live.Relay{}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	lctx, stopLinks := context.WithCancel(ctx)
	links, err := r.Link(lctx, live.LinkConfig{Record: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		stopLinks()
		links.Wait()
	}()
	addr := startServer(t, nil, r, driver.Config{})

	publish := func(path string) {
		p := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-re", "-i", shortSample, "-c", "copy", "-f", "flv", rtmpURL(addr, path))
		p.wait(t)
	}
	publish("live/demo")
	publish("live/demo")
	publish("live/deep/nested")
	waitFor(t, "the recordings to end", 10*time.Second, func() bool {
		return r.Players(relay.Path{App: "live", Key: "demo"}) == 0 && r.Players(relay.Path{App: "live/deep", Key: "nested"}) == 0
	})

	demo, _ := filepath.Glob(filepath.Join(dir, "live", "demo-*.flv"))
	nested, _ := filepath.Glob(filepath.Join(dir, "live_deep", "nested-*.flv"))
	if len(demo) != 2 || len(nested) != 1 {
		all, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
		t.Fatalf("recordings %q, want two of live/demo and one of live/deep/nested", all)
	}
	for _, f := range append(demo, nested...) {
		checkRun(t, "recording "+filepath.Base(f), src, srcExtra, f, 1)
	}
}

// TestInteropRecordMP4: with RecordFormat mp4, a stream ffmpeg publishes
// is written as fragmented MP4 that ffmpeg reads back frame-identical to
// the source (framemd5: every packet, its hash and timing), and that
// stays readable while it is written: the fragments on disk while the
// publisher still runs parse, and hold samples.
func TestInteropRecordMP4(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	noLeakAtEnd(t)
	src, srcExtra := packets(t, shortSample)
	dir := t.TempDir()
	r := &live.Relay{}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	lctx, stopLinks := context.WithCancel(ctx)
	links, err := r.Link(lctx, live.LinkConfig{Record: dir, RecordFormat: live.RecordMP4})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		stopLinks()
		links.Wait()
	}()
	addr := startServer(t, nil, r, driver.Config{})

	p := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-re", "-i", shortSample, "-c", "copy", "-f", "flv", rtmpURL(addr, "live/demo"))
	var partial *fmp4.File
	var partialBytes []byte
	waitFor(t, "a fragment on disk while publishing", 10*time.Second, func() bool {
		files, _ := filepath.Glob(filepath.Join(dir, "live", "demo-*.mp4"))
		if len(files) != 1 {
			return false
		}
		b, err := os.ReadFile(files[0])
		if err != nil {
			return false
		}
		// A fragment being written may be cut short; the whole ones
		// before it parse.
		f, err := fmp4.Parse(wholeBoxes(b))
		if err != nil || len(f.Fragments) == 0 {
			return false
		}
		partial, partialBytes = f, wholeBoxes(b)
		return true
	})
	p.wait(t)
	if len(partial.Tracks) != 2 {
		t.Errorf("recording in progress has tracks %+v, want video and audio", partial.Tracks)
	}
	// The file as it was while written, less a fragment cut short (what a
	// crash leaves), ffmpeg decodes without an error.
	cut := filepath.Join(t.TempDir(), "cut.mp4")
	if err := os.WriteFile(cut, partialBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(ffmpeg, "-v", "error", "-i", cut, "-f", "null", "-").CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("ffmpeg decoding the recording as it was while written: %v\n%s", err, out)
	}
	waitFor(t, "the recording to end", 10*time.Second, func() bool {
		return r.Players(relay.Path{App: "live", Key: "demo"}) == 0
	})
	files, _ := filepath.Glob(filepath.Join(dir, "live", "demo-*.mp4"))
	if len(files) != 1 {
		t.Fatalf("recordings %q, want one MP4 of live/demo", files)
	}
	checkRun(t, "recording "+filepath.Base(files[0]), src, srcExtra, files[0], 1)
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	f, err := fmp4.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, fr := range f.Fragments {
		for _, r := range fr.Runs {
			if r.TrackID == 1 && (len(r.Samples) == 0 || !r.Samples[0].Sync) {
				t.Errorf("fragment %d: video does not start on a keyframe", fr.Sequence)
			}
		}
	}
}

// wholeBoxes is b up to the end of its last whole top-level box.
func wholeBoxes(b []byte) []byte {
	at := 0
	for at+8 <= len(b) {
		size := int(binary.BigEndian.Uint32(b[at:]))
		if size < 8 || at+size > len(b) {
			break
		}
		at += size
	}
	return b[:at]
}
