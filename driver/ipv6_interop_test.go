package driver_test

import (
	"context"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/httpflv"
	"github.com/gortmp/rtmp/driver/internal/peers"
)

// TestInteropIPv6: over the IPv6 loopback, what ffmpeg publishes is
// played unaltered by ffmpeg over RTMP and over HTTP-FLV and by our
// client, each naming the server as [::1]:port. (librtmp 2.4, rtmpdump's,
// cannot parse a bracketed address in a URL.)
func TestInteropIPv6(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	ln := listenIPv6Loopback(t)
	src, srcExtra := packets(t, shortSample)
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	r := &live.Relay{}
	addr := startServer(t, ln, r, driver.Config{})
	webLn, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Fatal(err)
	}
	web := &http.Server{Handler: httpflv.NewHandler(r), ReadHeaderTimeout: 5 * time.Second}
	go web.Serve(webLn)
	t.Cleanup(func() { web.Close() })
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }
	url := "rtmp://" + addr + "/live/six"

	ffRTMP := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", url, "-c", "copy", "-f", "flv", out("ffmpeg-rtmp.flv"))
	ff := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", "http://"+webLn.Addr().String()+"/live/six.flv", "-c", "copy", "-f", "flv", out("ffmpeg.flv"))
	c, err := dial.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pb, err := c.Play(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var recErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, recErr = recordPlayback(ctx, pb, out("ours.flv"), 2*time.Second)
	}()
	waitFor(t, "three waiting players", 10*time.Second, func() bool { return r.Players(relay.Path{App: "live", Key: "six"}) == 3 })
	pub := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-re", "-i", shortSample, "-c", "copy", "-f", "flv", url)
	pub.wait(t)
	ff.wait(t)
	ffRTMP.finish(t, 3*time.Second)
	wg.Wait()
	if recErr != nil {
		t.Fatal(recErr)
	}
	checkRun(t, "ffmpeg over RTMP on IPv6", src, srcExtra, out("ffmpeg-rtmp.flv"), 1)
	checkRun(t, "ffmpeg over HTTP-FLV on IPv6", src, srcExtra, out("ffmpeg.flv"), 1)
	checkRun(t, "our client over IPv6", src, srcExtra, out("ours.flv"), 1)
}

// listenIPv6Loopback listens on a port of ::1. A machine without ::1 on
// any interface skips the test; one that has it and cannot listen there
// fails it when peers are required (RTMP_REQUIRE_PEERS=1), since CI's
// IPv6 coverage would otherwise vanish without a word.
func listenIPv6Loopback(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "[::1]:0")
	if err == nil {
		return ln
	}
	if !hasIPv6Loopback() {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	if peers.Required() {
		t.Fatalf("::1 is configured but cannot be listened on (RTMP_REQUIRE_PEERS=1): %v", err)
	}
	t.Skipf("cannot listen on ::1: %v", err)
	return nil
}

// hasIPv6Loopback reports whether an interface carries ::1.
func hasIPv6Loopback() bool {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if ipn, ok := a.(*net.IPNet); ok && ipn.IP.Equal(net.IPv6loopback) {
			return true
		}
	}
	return false
}
