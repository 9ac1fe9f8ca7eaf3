package driver_test

import (
	"context"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/internal/peers"
	"github.com/gortmp/rtmp/driver/rtmpt"
)

// startRTMPT serves h over RTMPT on a loopback HTTP port and returns the
// port's address.
func startRTMPT(t *testing.T, h driver.Handler) (string, *rtmpt.Listener) {
	t.Helper()
	httpLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tl := rtmpt.NewListener(httpLn.Addr(), rtmpt.Config{})
	hs := &http.Server{Handler: tl, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(httpLn)
	t.Cleanup(func() { hs.Close() })
	startServer(t, tl, h, driver.Config{RTMPE: true})
	return httpLn.Addr().String(), tl
}

// TestInteropRTMPT plays over RTMPT (RTMP in HTTP requests) with ffmpeg
// and rtmpdump, and over RTMPTE (RTMPE in RTMPT, rtmpte://) with rtmpdump,
// what ffmpeg publishes over plain RTMP, and plays over plain
// RTMP what ffmpeg publishes over RTMPT, from one relay. Every player must
// write the stream unaltered from its start: all of it when the publisher
// speaks plain RTMP. ffmpeg's RTMPT client sends what it buffered only
// when it next reads, and drops what is left when it closes, so a stream
// it publishes over RTMPT loses its last fraction of a second with any
// server; that run must still hold 95% of the stream.
func TestInteropRTMPT(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	rtmpdump := peers.Need(t, peers.RTMPDump)
	src, srcExtra := packets(t, longSample)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r := &live.Relay{}
	plainAddr := startServer(t, nil, r, driver.Config{})
	httpAddr, tl := startRTMPT(t, r)
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }

	// Played over RTMPT.
	path := relay.Path{App: "live", Key: "a"}
	tunnelled := "rtmpt://" + httpAddr + "/live/a"
	ffT := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", tunnelled, "-c", "copy", "-f", "flv", out("ffmpeg-rtmpt.flv"))
	dumpT := startPeer(ctx, t, rtmpdump, "-q", "--live", "-r", tunnelled, "-o", out("rtmpdump-rtmpt.flv"))
	dumpTE := startPeer(ctx, t, rtmpdump, "-q", "--live", "-r", "rtmpte://"+httpAddr+"/live/a", "-o", out("rtmpdump-rtmpte.flv"))
	waitFor(t, "three waiting players", 10*time.Second, func() bool { return r.Players(path) == 3 })
	if n := tl.Sessions(); n != 3 {
		t.Errorf("%d RTMPT sessions, want the three players'", n)
	}
	pub := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-re", "-i", longSample, "-c", "copy", "-f", "flv", rtmpURL(plainAddr, "live/a"))
	pub.wait(t)
	ffT.finish(t, 5*time.Second)
	dumpT.finish(t, 5*time.Second)
	dumpTE.finish(t, 5*time.Second)
	checkRun(t, "ffmpeg over RTMPT", src, srcExtra, out("ffmpeg-rtmpt.flv"), 1)
	checkRun(t, "rtmpdump over RTMPT", src, srcExtra, out("rtmpdump-rtmpt.flv"), 1)
	checkRun(t, "rtmpdump over RTMPTE", src, srcExtra, out("rtmpdump-rtmpte.flv"), 1)

	// Published over RTMPT.
	path = relay.Path{App: "live", Key: "b"}
	ffPlain := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", rtmpURL(plainAddr, "live/b"), "-c", "copy", "-f", "flv", out("ffmpeg-rtmp.flv"))
	waitFor(t, "the waiting player", 10*time.Second, func() bool { return r.Players(path) == 1 })
	pub = startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-re", "-i", longSample, "-c", "copy", "-f", "flv", "rtmpt://"+httpAddr+"/live/b")
	pub.wait(t)
	ffPlain.finish(t, 5*time.Second)
	checkRun(t, "ffmpeg over RTMP, published over RTMPT", src, srcExtra, out("ffmpeg-rtmp.flv"), 0.95)
	waitFor(t, "the RTMPT sessions to end", 10*time.Second, func() bool { return tl.Sessions() == 0 })
}
