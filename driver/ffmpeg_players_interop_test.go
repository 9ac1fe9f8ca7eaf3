package driver_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/internal/peers"
)

// startLoopingPublisher publishes the long sample to url with ffmpeg in
// real time, over and over, until ctx ends, and waits until the relay
// has it.
func startLoopingPublisher(ctx context.Context, t *testing.T, srv testServer, path relay.Path) *peer {
	t.Helper()
	ffmpeg := peers.Need(t, peers.FFmpeg)
	url := rtmpURL(srv.addr, path.App+"/"+path.Key)
	pub := startPeer(ctx, t, ffmpeg, "-nostdin", "-loglevel", "error", "-re", "-stream_loop", "-1",
		"-i", longSample, "-c", "copy", "-f", "flv", url)
	waitFor(t, "the publisher", 20*time.Second, func() bool { return srv.relay.Publishing(path) })
	return pub
}

// TestInteropFFmpegPlayersSeeNoServerError plays a live stream with many
// short ffmpeg players, eight at a time (each mostly waits for the
// stream). ffmpeg sends _checkbw as soon as it reads onBWDone, which may
// be before the server has accepted its connect; whatever the order, no
// player may print a "Server error" line (the server's _error to one of
// its commands), and each must play.
func TestInteropFFmpegPlayersSeeNoServerError(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	const (
		players  = 60
		parallel = 8
	)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv := newRelayServer(t)
	path := relay.Path{App: "live", Key: "demo"}
	pub := startLoopingPublisher(ctx, t, srv, path)
	url := rtmpURL(srv.addr, "live/demo")

	var (
		mu       sync.Mutex
		failures []string
		wg       sync.WaitGroup
	)
	fail := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		failures = append(failures, s)
	}
	slots := make(chan struct{}, parallel)
	start := time.Now()
	for i := range players {
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			pctx, pcancel := context.WithTimeout(ctx, 30*time.Second)
			defer pcancel()
			out, err := exec.CommandContext(pctx, ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "info",
				"-i", url, "-t", "0.5", "-f", "null", "-").CombinedOutput()
			sc := bufio.NewScanner(strings.NewReader(string(out)))
			for sc.Scan() {
				if strings.Contains(sc.Text(), "Server error") {
					fail(sc.Text())
				}
			}
			if err != nil {
				fail("player " + strconv.Itoa(i) + ": " + err.Error() + ": " + lastLines(string(out), 5))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	pub.interrupt(t)
	if len(failures) > 0 {
		t.Fatalf("%d of %d players had errors:\n%s", len(failures), players, strings.Join(failures, "\n"))
	}
	t.Logf("%d players, %d at a time, in %v", players, parallel, elapsed.Round(time.Millisecond))
}

// TestInteropProbeSeesPublishedStreams publishes H.264 and AAC with ffmpeg
// and probes the stream: ffprobe must list exactly one video and one
// audio stream, as published (nothing the server sends at play start may
// look like a stream of its own), and ffmpeg copying every stream it
// finds (-map 0) into MP4 must succeed with exactly those two.
func TestInteropProbeSeesPublishedStreams(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	ffprobe := peers.Need(t, peers.FFprobe)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv := newRelayServer(t)
	path := relay.Path{App: "live", Key: "demo"}
	pub := startLoopingPublisher(ctx, t, srv, path)
	url := rtmpURL(srv.addr, "live/demo")

	probe := func(what string, args ...string) []string {
		t.Helper()
		pctx, pcancel := context.WithTimeout(ctx, 30*time.Second)
		defer pcancel()
		cmd := exec.CommandContext(pctx, ffprobe, append([]string{"-v", "error", "-show_streams", "-of", "json"}, args...)...)
		var stderr lockedBuffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("ffprobe %s: %v\n%s", what, err, stderr.String())
		}
		var got struct {
			Streams []struct {
				CodecType string `json:"codec_type"`
				CodecName string `json:"codec_name"`
			} `json:"streams"`
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("ffprobe %s: %v\n%s", what, err, out)
		}
		var streams []string
		for _, s := range got.Streams {
			streams = append(streams, s.CodecType+" "+s.CodecName)
		}
		return streams
	}
	wantStreams := func(what string, streams []string) {
		t.Helper()
		video, audio := 0, 0
		for _, s := range streams {
			switch {
			case s == "video h264":
				video++
			case s == "audio aac":
				audio++
			}
		}
		if video != 1 || audio != 1 || len(streams) != 2 {
			t.Errorf("%s: streams %q, want one video h264 and one audio aac", what, streams)
		}
	}

	wantStreams("ffprobe of the RTMP stream", probe("the RTMP stream", url))

	mp4 := filepath.Join(t.TempDir(), "copy.mp4")
	cctx, ccancel := context.WithTimeout(ctx, 30*time.Second)
	defer ccancel()
	if out, err := exec.CommandContext(cctx, ffmpeg, "-nostdin", "-loglevel", "error", "-i", url,
		"-map", "0", "-c", "copy", "-t", "2", mp4).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg -map 0 -c copy to MP4: %v\n%s", err, out)
	}
	wantStreams("the MP4 copy", probe("the MP4 copy", mp4))
	pub.interrupt(t)
}

// lastLines is the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
