package driver_test

import (
	"context"
	"crypto/tls"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/internal/peers"
	"github.com/gortmp/rtmp/driver/internal/testcert"
)

// TestInteropRTMPS publishes and plays with ffmpeg over rtmps:// against
// the same server on a TLS listener with a self-signed certificate.
func TestInteropRTMPS(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	src, srcExtra := packets(t, shortSample)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tlsLn := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{testcert.New(t)}})
	r := &live.Relay{}
	addr := startServer(t, tlsLn, r, driver.Config{})
	url := "rtmps://" + addr + "/live/secure"
	path := relay.Path{App: "live", Key: "secure"}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out := filepath.Join(t.TempDir(), "player.flv")
	// FFmpeg 5 does not verify certificates unless asked; -tls_verify 0
	// says so explicitly for versions that do.
	player := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-tls_verify", "0", "-i", url, "-c", "copy", "-f", "flv", out)
	waitFor(t, "the player", 10*time.Second, func() bool { return r.Players(path) == 1 })
	pub := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", shortSample, "-c", "copy", "-tls_verify", "0", "-f", "flv", url)
	pub.wait(t)
	player.wait(t)
	checkRun(t, "ffmpeg over rtmps", src, srcExtra, out, 1)
}

// TestInteropGStreamerPublish publishes with GStreamer's rtmp2sink (the
// FLV remuxed by flvdemux and flvmux) and plays with ffmpeg.
func TestInteropGStreamerPublish(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	gst := peers.Need(t, peers.GStreamer)
	src, srcExtra := packets(t, shortSample)
	srv := newRelayServer(t)
	path := relay.Path{App: "live", Key: "gst"}
	url := rtmpURL(srv.addr, "live/gst")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out := filepath.Join(t.TempDir(), "player.flv")
	player := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", url, "-c", "copy", "-f", "flv", out)
	waitFor(t, "the player", 10*time.Second, func() bool { return srv.relay.Players(path) == 1 })
	pub := startPeer(ctx, t, gst, "-q", "filesrc", "location="+shortSample, "!", "flvdemux", "name=d",
		"d.video", "!", "queue", "!", "h264parse", "!", "m.",
		"d.audio", "!", "queue", "!", "aacparse", "!", "m.",
		"flvmux", "name=m", "streamable=true", "!", "rtmp2sink", "location="+url)
	pub.wait(t)
	waitFor(t, "the publisher to leave", 10*time.Second, func() bool { return !srv.relay.Publishing(path) })
	player.wait(t)
	checkRun(t, "ffmpeg playing rtmp2sink", src, srcExtra, out, 1)
}
