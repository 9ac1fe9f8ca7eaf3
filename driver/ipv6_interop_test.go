package driver_test

import (
	"context"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"testing"
	"time"

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
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	src, srcExtra := packets(t, shortSample)
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	r := &driver.Relay{}
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
	c, err := driver.Dial(ctx, url)
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
