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

// TestInteropRTMPE plays with rtmpdump over RTMPE (rtmpe://: a
// Diffie-Hellman handshake, then RC4 both ways) what ffmpeg publishes over
// plain RTMP to the same server; an rtmpdump over plain RTMP plays beside
// it. Both must write the whole stream, unaltered; a third over RTMPE
// joins late and must write an unaltered run from a keyframe, its fast
// start encrypted like the rest.
func TestInteropRTMPE(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	rtmpdump := peers.Need(t, peers.RTMPDump)
	src, srcExtra := packets(t, longSample)

	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	r := &live.Relay{}
	addr := startServer(t, nil, r, driver.Config{RTMPE: true})
	path := relay.Path{App: "live", Key: "demo"}
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }

	encrypted := startPeer(ctx, t, rtmpdump, "-q", "--live", "-r", "rtmpe://"+addr+"/live/demo", "-o", out("rtmpe.flv"))
	plain := startPeer(ctx, t, rtmpdump, "-q", "--live", "-r", rtmpURL(addr, "live/demo"), "-o", out("rtmp.flv"))
	waitFor(t, "two waiting players", 10*time.Second, func() bool { return r.Players(path) == 2 })
	pub := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-re", "-i", longSample, "-c", "copy", "-f", "flv", rtmpURL(addr, "live/demo"))
	waitFor(t, "the publisher", 10*time.Second, func() bool { return r.Publishing(path) })
	awaitUnderway(t, r, path, 2)
	late := startPeer(ctx, t, rtmpdump, "-q", "--live", "-r", "rtmpe://"+addr+"/live/demo", "-o", out("rtmpe-late.flv"))
	pub.wait(t)
	encrypted.finish(t, 5*time.Second)
	plain.finish(t, 5*time.Second)
	late.finish(t, 5*time.Second)
	checkRun(t, "rtmpdump over RTMPE", src, srcExtra, out("rtmpe.flv"), 1)
	checkRun(t, "rtmpdump over RTMP", src, srcExtra, out("rtmp.flv"), 1)
	checkRun(t, "rtmpdump over RTMPE (late)", src, srcExtra, out("rtmpe-late.flv"), lateShare)
}
