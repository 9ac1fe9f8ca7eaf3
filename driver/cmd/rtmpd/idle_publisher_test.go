package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/internal/peers"
)

// TestFFmpegIdlePublisher: with takeover off and a 2 s publish idle
// timeout, an ffmpeg publisher frozen with SIGSTOP is disconnected, the
// end logged with its reason; an ffmpeg player of the key sees the stream
// end cleanly (UnpublishNotify ends its playback, exit status 0, with
// what it got written out); and another publisher then publishes the key.
func TestFFmpegIdlePublisher(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	r := startRunning(t, options{listen: "127.0.0.1:0", logLevel: "info", publishIdleTimeout: 2 * time.Second})
	url := "rtmp://" + r.addrs[addrRTMP].String() + "/live/idle"

	a := ffmpegPublisher(t, ffmpeg, url)
	r.waitLog(t, 20*time.Second, "publishing", "path=live/idle")

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	played := filepath.Join(t.TempDir(), "played.flv")
	player := exec.CommandContext(ctx, ffmpeg, "-loglevel", "error", "-i", url, "-c", "copy", "-f", "flv", played)
	var playerOut strings.Builder
	player.Stderr = &playerOut
	if err := player.Start(); err != nil {
		t.Fatal(err)
	}
	var playerErr error
	playerDone := make(chan struct{})
	go func() { playerErr = player.Wait(); close(playerDone) }()
	t.Cleanup(func() { player.Process.Kill(); <-playerDone })
	r.waitLog(t, 20*time.Second, "playing", "path=live/idle")
	// The player has its fast start and some live media before A stops.
	waitGrows(t, played, 100<<10)

	if err := a.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	stopped := time.Now()
	r.waitLog(t, 15*time.Second, "publish ended", "path=live/idle", "role=publisher", `reason="rtmp: publisher sent no audio or video for 2000ms"`)
	if d := time.Since(stopped); d < 2*time.Second {
		t.Errorf("the frozen publisher was dropped after %v, before its 2 s idle timeout", d)
	}
	select {
	case <-playerDone:
		if playerErr != nil {
			t.Errorf("the player ended with %v:\n%s", playerErr, playerOut.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the player did not end with the stream")
	}

	// The key is free: another publisher publishes it.
	sample, _ := filepath.Abs("../../../testdata/media/h264-aac-320x240.flv")
	if out, err := exec.CommandContext(ctx, ffmpeg, "-loglevel", "error", "-i", sample, "-c", "copy", "-f", "flv", url).CombinedOutput(); err != nil {
		t.Fatalf("publishing after the idle publisher was dropped: %v\n%s", err, out)
	}
	if n := strings.Count(r.out.String(), "msg=publishing"); n != 2 {
		t.Errorf("%d publishes logged, want 2", n)
	}
}

// waitGrows waits until the file at name holds at least n bytes.
func waitGrows(t *testing.T, name string, n int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if fi, err := os.Stat(name); err == nil && fi.Size() >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not reach %d bytes in 20 s", name, n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
