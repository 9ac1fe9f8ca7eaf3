package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/internal/peers"
)

func TestParseFlags(t *testing.T) {
	o, err := parseFlags(nil, new(bytes.Buffer))
	if err != nil || o.listen != ":1935" || o.logLevel != "info" || !o.publishTakeover || o.publishIdleTimeout != 10*time.Second || o.mergeWrites != 0 {
		t.Fatalf("defaults: %+v, %v", o, err)
	}
	if o, err := parseFlags([]string{"-merge-writes", "350ms"}, new(bytes.Buffer)); err != nil || o.mergeWrites != 350*time.Millisecond {
		t.Errorf("-merge-writes 350ms: %v, %v", o.mergeWrites, err)
	}
	for _, bad := range [][]string{
		{"-tls-listen", ":1936"},
		{"-listen", ""},
		{"extra"},
		{"-fanout-writers", "-1"},
		{"-merge-writes", "-1ms"},
		{"-merge-writes", "6s"},
		{"-max-conns", "0"},
		{"-stats"},
		{"-on-publish", "ftp://hooks/publish"},
		{"-on-play", "/play"},
	} {
		if _, err := parseFlags(bad, new(bytes.Buffer)); err == nil {
			t.Errorf("parseFlags(%q) accepted", bad)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server's log writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestRunPublishKey runs the server as the command does, prints the
// paste-ready lines, refuses a publisher without the key, relays one with
// it, and stops when its context ends.
func TestRunPublishKey(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	sample, _ := filepath.Abs("../../../testdata/media/h264-aac-320x240.flv")
	r := startRunning(t, options{listen: "127.0.0.1:0", publishKey: "s3cret", logLevel: "warn"})
	addrs := r.addrs
	banner := r.out.String()
	base := "rtmp://" + addrs[0].String() + "/live/demo"
	for _, want := range []string{
		"ffmpeg -re -i input.flv -c copy -f flv '" + base + "?key=s3cret'",
		"ffplay '" + base + "'",
	} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}

	publish := func(url string) error {
		cctx, ccancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer ccancel()
		return exec.CommandContext(cctx, ffmpeg, "-loglevel", "quiet", "-i", sample, "-c", "copy", "-f", "flv", url).Run()
	}
	if err := publish(base); err == nil {
		t.Error("publishing without the key succeeded")
	}
	if err := publish(base + "?key=s3cret"); err != nil {
		t.Errorf("publishing with the key: %v", err)
	}
	r.stop(t)
}

// TestRunHTTP serves the HTTP port alone: the banner gives rtmpt:// and
// HTTP-FLV lines, ffmpeg publishes over RTMPT while another ffmpeg plays
// over HTTP-FLV, and the run stops when its context ends.
func TestRunHTTP(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	sample, _ := filepath.Abs("../../../testdata/media/h264-aac-320x240.flv")
	r := startRunning(t, options{httpListen: "127.0.0.1:0", stats: true, logLevel: "warn"})
	addrs := r.addrs
	if addrs[0] != nil || addrs[1] != nil || addrs[2] == nil {
		t.Fatalf("addresses %v, want RTMPT's only", addrs)
	}
	base := "rtmpt://" + addrs[2].String() + "/live/demo"
	flvURL := "http://" + addrs[2].String() + "/live/demo.flv"
	banner := r.out.String()
	for _, want := range []string{"ffmpeg -re -i input.flv -c copy -f flv '" + base + "'", "ffplay '" + flvURL + "'"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	cctx, ccancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer ccancel()
	played := filepath.Join(t.TempDir(), "played.flv")
	player := exec.CommandContext(cctx, ffmpeg, "-loglevel", "error", "-i", flvURL, "-c", "copy", "-f", "flv", played)
	if err := player.Start(); err != nil {
		t.Fatal(err)
	}
	waitPlayers(t, "http://"+addrs[addrHTTP].String(), "live", "demo", 1) // it waits for the publisher
	if b, err := exec.CommandContext(cctx, ffmpeg, "-loglevel", "error", "-re", "-i", sample, "-c", "copy", "-f", "flv", base).CombinedOutput(); err != nil {
		t.Errorf("publishing over RTMPT: %v\n%s", err, b)
	}
	if err := player.Wait(); err != nil {
		t.Errorf("playing over HTTP-FLV: %v", err)
	}
	if fi, err := os.Stat(played); err != nil || fi.Size() < 10000 {
		t.Errorf("the HTTP-FLV player wrote %v bytes (%v)", fi, err)
	}
	r.stop(t)
}

// TestSignalStopsServer builds the command, starts it, and checks that
// SIGTERM stops it cleanly.
func TestSignalStopsServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "rtmpd")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	var out syncBuffer
	cmd := exec.Command(bin, "-listen", "127.0.0.1:0")
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "ffplay") {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no banner:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(os.Interrupt)
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, out.String())
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Fatal("SIGINT did not stop the server")
	}
	if !strings.Contains(out.String(), "stopped") {
		t.Errorf("no clean stop in the log:\n%s", out.String())
	}
}
