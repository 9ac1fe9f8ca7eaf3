package driver_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/internal/peers"
)

// TestInteropRelay publishes a file with ffmpeg and plays it with ffmpeg,
// rtmpdump and GStreamer's rtmp2src, all waiting before the publisher
// starts, plus an ffmpeg player that joins late. Every player must write
// a contiguous, unaltered run of the source's packets starting on a
// keyframe; the early ones the whole stream.
func TestInteropRelay(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	rtmpdump := peers.Need(t, peers.RTMPDump)
	gst := peers.Need(t, peers.GStreamer)
	src, srcExtra := packets(t, longSample)

	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	srv := newRelayServer(t)
	path := relay.Path{App: "live", Key: "demo"}
	url := rtmpURL(srv.addr, "live/demo")
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }

	ffPlay := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", url, "-c", "copy", "-f", "flv", out("ffmpeg.flv"))
	dump := startPeer(ctx, t, rtmpdump, "-q", "--live", "-r", url, "-o", out("rtmpdump.flv"))
	gstPlay := startPeer(ctx, t, gst, "-q", "-e", "rtmp2src", "location="+url, "!", "filesink", "location="+out("gst.flv"))
	waitFor(t, "three waiting players", 10*time.Second, func() bool { return srv.relay.Players(path) == 3 })

	pub := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-re", "-i", longSample, "-c", "copy", "-f", "flv", url)
	waitFor(t, "the publisher", 10*time.Second, func() bool { return srv.relay.Publishing(path) })
	awaitUnderway(t, srv.relay, path, 3)
	late := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", url, "-c", "copy", "-f", "flv", out("late.flv"))

	pub.wait(t)
	ffPlay.wait(t)
	late.wait(t)
	dump.wait(t)
	gstPlay.interrupt(t)

	checkRun(t, "ffmpeg (early)", src, srcExtra, out("ffmpeg.flv"), 1)
	checkRun(t, "rtmpdump (early)", src, srcExtra, out("rtmpdump.flv"), 1)
	checkRun(t, "gstreamer rtmp2src (early)", src, srcExtra, out("gst.flv"), 1)
	checkRun(t, "ffmpeg (late)", src, srcExtra, out("late.flv"), lateShare)
}
