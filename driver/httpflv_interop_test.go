package driver_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/httpflv"
	"github.com/gortmp/rtmp/driver/internal/peers"
)

// TestInteropHTTPFLV plays over HTTP-FLV what ffmpeg publishes over RTMP,
// with ffmpeg and with GStreamer's souphttpsrc: a player waiting before the
// publisher starts must write the whole stream unaltered, one joining late
// a contiguous, unaltered run from a keyframe (fast start); the files end
// when the publisher stops.
func TestInteropHTTPFLV(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	gst := peers.Need(t, peers.GStreamer)
	src, srcExtra := packets(t, longSample)

	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	r := &live.Relay{}
	addr := startServer(t, nil, r, driver.Config{})
	web := httptest.NewServer(httpflv.NewHandler(r))
	t.Cleanup(web.Close)
	path := relay.Path{App: "live", Key: "demo"}
	url := web.URL + "/live/demo.flv"
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }

	early := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", url, "-c", "copy", "-f", "flv", out("early.flv"))
	gstPlay := startPeer(ctx, t, gst, "-q", "-e", "souphttpsrc", "location="+url, "!", "filesink", "location="+out("gst.flv"))
	waitFor(t, "the waiting HTTP-FLV players", 10*time.Second, func() bool { return r.Players(path) == 2 })
	pub := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-re", "-i", longSample, "-c", "copy", "-f", "flv", rtmpURL(addr, "live/demo"))
	waitFor(t, "the publisher", 10*time.Second, func() bool { return r.Publishing(path) })
	awaitUnderway(t, r, path, 2)
	late := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", url, "-c", "copy", "-f", "flv", out("late.flv"))

	pub.wait(t)
	early.wait(t)
	late.wait(t)
	gstPlay.wait(t)
	checkRun(t, "ffmpeg over HTTP-FLV (early)", src, srcExtra, out("early.flv"), 1)
	checkRun(t, "GStreamer souphttpsrc over HTTP-FLV (early)", src, srcExtra, out("gst.flv"), 1)
	checkRun(t, "ffmpeg over HTTP-FLV (late)", src, srcExtra, out("late.flv"), lateShare)
}
