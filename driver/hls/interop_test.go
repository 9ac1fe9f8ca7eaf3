package hls_test

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	corehls "github.com/gortmp/rtmp/core/hls"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/hls"
	"github.com/gortmp/rtmp/driver/internal/peers"
	"github.com/gortmp/rtmp/driver/live"
)

// media is 4 s of 640x360 H.264 Main (B-frames, a keyframe a second) and
// AAC.
const media = "../../testdata/media/h264-aac-640x360.flv"

// server is a relay served over RTMP and HLS on loopback ports.
type server struct {
	relay *live.Relay
	hls   *hls.Handler
	rtmp  string // host:port
	web   *httptest.Server
}

func startServer(t *testing.T, ctx context.Context, r *live.Relay, cfg hls.Config) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(ctx)
	served := make(chan struct{})
	go func() { defer close(served); driver.Serve(ctx, ln, r, driver.Config{}) }()
	h := hls.NewHandler(r, cfg)
	ran := make(chan struct{})
	go func() { defer close(ran); h.Run(ctx) }()
	web := httptest.NewServer(h)
	t.Cleanup(func() {
		cancel()
		web.Close()
		<-served
		<-ran
	})
	return &server{relay: r, hls: h, rtmp: ln.Addr().String(), web: web}
}

// waitFor polls cond every 10 ms until it holds, failing the test after
// limit.
func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// run starts a peer; wait returns its error and standard error.
type proc struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
}

func start(ctx context.Context, t *testing.T, prog string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.CommandContext(ctx, prog, args...)}
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *proc) wait(t *testing.T) {
	t.Helper()
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(p.cmd.Args, " "), err, p.stderr.String())
	}
}

// frameHashes decodes a file's (or URL's) video and returns the MD5 of
// each frame, in order, as ffmpeg's framemd5 muxer prints them.
func frameHashes(ctx context.Context, t *testing.T, ffmpeg string, args ...string) []string {
	t.Helper()
	cmd := exec.CommandContext(ctx, ffmpeg, append(append([]string{"-nostdin", "-loglevel", "error", "-xerror"}, args...), "-map", "0:v:0", "-f", "framemd5", "-")...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, stderr.String())
	}
	var hashes []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ",")
		hashes = append(hashes, strings.TrimSpace(f[len(f)-1]))
	}
	return hashes
}

// TestInteropFFmpegReadsHLS publishes the sample with ffmpeg over RTMP
// and reads it back over HLS with ffmpeg as it is cut: the decode has no
// error, and its frames are the published frames from a keyframe to the
// end, none missing, none changed.
func TestInteropFFmpegReadsHLS(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv := startServer(t, ctx, &live.Relay{}, hls.Config{Timeline: corehls.Config{TargetDuration: time.Second}})
	source := frameHashes(ctx, t, ffmpeg, "-i", media)

	path := relay.Path{App: "live", Key: "demo"}
	pub := start(ctx, t, ffmpeg, "-nostdin", "-loglevel", "error", "-re", "-i", media, "-c", "copy", "-f", "flv", "rtmp://"+srv.rtmp+"/live/demo")
	waitFor(t, "the publisher", 10*time.Second, func() bool { return srv.relay.Publishing(path) })
	got := frameHashes(ctx, t, ffmpeg, "-live_start_index", "0", "-i", srv.web.URL+"/live/demo/index.m3u8")
	pub.wait(t)

	if len(got) == 0 {
		t.Fatal("no frame read over HLS")
	}
	from := -1
	for i, h := range source {
		if h == got[0] {
			from = i
			break
		}
	}
	if from < 0 || from%25 != 0 {
		t.Fatalf("the HLS copy starts with a frame at %d of the source, not on a keyframe", from)
	}
	want := source[from:]
	if len(got) != len(want) {
		t.Fatalf("the HLS copy has %d frames, the source %d from its keyframe at frame %d", len(got), len(want), from)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("frame %d of the HLS copy differs from frame %d of the source", i, from+i)
		}
	}
	t.Logf("%d frames from frame %d match", len(got), from)
}
