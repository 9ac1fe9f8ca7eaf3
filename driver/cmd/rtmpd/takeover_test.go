package main

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/internal/peers"
)

// waitLog waits for a line of the server's log holding every one of parts.
func (r *running) waitLog(t *testing.T, timeout time.Duration, parts ...string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		for line := range strings.Lines(r.out.String()) {
			all := true
			for _, p := range parts {
				all = all && strings.Contains(line, p)
			}
			if all {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no log line with %q in %v", parts, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ffmpegPublisher starts ffmpeg publishing the sample in a loop at its
// pace to url. It is killed, and continued first if stopped, when the
// test ends.
func ffmpegPublisher(t *testing.T, ffmpeg, url string) *exec.Cmd {
	t.Helper()
	sample, _ := filepath.Abs("../../../testdata/media/h264-aac-640x360.flv")
	cmd := exec.Command(ffmpeg, "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", sample, "-c", "copy", "-f", "flv", url)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGCONT)
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd
}

// videoMessage is what a test sees of one video message played.
type videoMessage struct {
	ts uint32
	// header: an AVC sequence header, which a publisher sends once, first
	// (ffmpeg looping a file with -c copy does not send it again).
	header bool
}

// mediaClock reads a playback in the background and reports each video
// message, until the playback ends (then its error).
func mediaClock(ctx context.Context, pb *dial.Playback) (<-chan videoMessage, <-chan error) {
	video, ended := make(chan videoMessage, 4096), make(chan error, 1)
	go func() {
		for {
			m, err := pb.ReadMessage(ctx)
			if err != nil {
				ended <- err
				return
			}
			if v, ok := m.Body.(message.Video); ok {
				header := len(v.Payload) > 1 && v.Payload[0] == 0x17 && v.Payload[1] == 0
				select {
				case video <- videoMessage{m.Timestamp, header}:
				default: // the test stopped reading
				}
			}
		}
	}()
	return video, ended
}

// videoUntil takes video messages until n more arrived, or with header
// until a sequence header did, checking that their timestamps never go
// back and that the playback goes on; it returns the last timestamp.
func videoUntil(t *testing.T, what string, video <-chan videoMessage, ended <-chan error, n int, header bool, after uint32) uint32 {
	t.Helper()
	timeout := time.After(20 * time.Second)
	last := after
	for i := 0; i < n; i++ {
		select {
		case m := <-video:
			if m.ts < last {
				t.Fatalf("%s: video at %d ms after %d ms", what, m.ts, last)
			}
			last = m.ts
			if header && !m.header {
				i-- // not yet
			}
		case err := <-ended:
			t.Fatalf("%s: the playback ended after %d video messages: %v", what, i, err)
		case <-timeout:
			t.Fatalf("%s: %d of %d video messages in 20 s", what, i, n)
		}
	}
	return last
}

// TestFFmpegTakeover: ffmpeg A publishes a key, a player (our client) and
// an ffmpeg player play it; A is frozen with SIGSTOP; ffmpeg B publishes
// the same key and is accepted at once; A's connection is closed with the
// takeover logged; both players go on without reconnecting and get B's
// stream, the timestamps carrying on from A's.
func TestFFmpegTakeover(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	r := startRunning(t, options{listen: "127.0.0.1:0", logLevel: "info", publishTakeover: true})
	url := "rtmp://" + r.addrs[addrRTMP].String() + "/live/take"

	a := ffmpegPublisher(t, ffmpeg, url)
	r.waitLog(t, 20*time.Second, "publishing", "path=live/take")

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn, err := dial.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	pb, err := conn.Play(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	video, ended := mediaClock(ctx, pb)
	ffplayer := exec.CommandContext(ctx, ffmpeg, "-loglevel", "error", "-i", url, "-c", "copy", "-f", "null", "-")
	var ffplayerOut strings.Builder
	ffplayer.Stderr = &ffplayerOut
	if err := ffplayer.Start(); err != nil {
		t.Fatal(err)
	}
	var ffplayerErr error
	ffplayerDone := make(chan struct{})
	go func() { ffplayerErr = ffplayer.Wait(); close(ffplayerDone) }()
	t.Cleanup(func() { ffplayer.Process.Kill(); <-ffplayerDone })
	r.waitLog(t, 20*time.Second, "playing", "path=live/take", "remote=127.0.0.1") // one of the two
	last := videoUntil(t, "A's sequence header", video, ended, 1, true, 0)
	last = videoUntil(t, "A's stream", video, ended, 25, false, last)

	if err := a.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	ffmpegPublisher(t, ffmpeg, url)
	r.waitLog(t, 10*time.Second, "publishing", "path=live/take", "took_over=true")
	r.waitLog(t, 10*time.Second, "publish ended", "path=live/take", "role=publisher", `reason="relay: taken over by a new publisher"`)

	// B's stream starts with its sequence header, the second the player
	// sees; then two seconds of it at 25 frames a second. Timestamps never
	// go back from A's to B's.
	last = videoUntil(t, "B's sequence header", video, ended, 1, true, last)
	videoUntil(t, "B's stream", video, ended, 50, false, last)

	select {
	case <-ffplayerDone:
		t.Fatalf("the ffmpeg player ended at the takeover: %v\n%s", ffplayerErr, ffplayerOut.String())
	default:
	}
	if strings.Contains(r.out.String(), "play ended") {
		t.Errorf("a player ended:\n%s", r.out.String())
	}
	if n := strings.Count(r.out.String(), "msg=playing"); n != 2 {
		t.Errorf("%d plays started, want the two players' first", n)
	}
}
