package driver_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

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
