package driver_test

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/internal/peers"
)

// TestERTMPPeerMultitrackLegacyDecoders: the peer publishes the
// multitrack stream (video track 0 H.264, track 1 H.265; audio track 0
// AAC, track 1 Opus), and rtmpdump and ffmpeg 5.1, which know nothing of
// Enhanced RTMP, play it from the start and from 1150 ms on. Each records
// the default tracks only, H.264 and AAC, from a keyframe: ffmpeg decodes
// every recording with no error, every video frame of it.
func TestERTMPPeerMultitrackLegacyDecoders(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	ffprobe := peers.Need(t, peers.FFprobe)
	rtmpdump := peers.Need(t, peers.RTMPDump)
	bin := buildERTMPPeer(t)
	script := multitrackScript(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv := newRelayServer(t)
	path := relay.Path{App: "live", Key: "multitrack"}
	url := rtmpURL(srv.addr, path.String())
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }

	// Our multitrack player gets everything: it tells when the relay has
	// taken what the publisher wrote.
	reference := playWithClient(ctx, t, multitrackPlayer, url)
	type recording struct {
		name, file string
		p          *peer
		frames     int // H.264 frames from its first keyframe
	}
	var recordings []recording
	players := 1
	join := func(when string, frames int) {
		for _, r := range []recording{
			{name: when + " rtmpdump", file: out(when + "-rtmpdump.flv"), frames: frames},
			{name: when + " ffmpeg", file: out(when + "-ffmpeg.flv"), frames: frames},
		} {
			if strings.HasSuffix(r.name, "rtmpdump") {
				r.p = startPeer(ctx, t, rtmpdump, "-q", "--live", "-r", url, "-o", r.file)
			} else {
				r.p = startPeer(ctx, t, ffmpeg, "-nostdin", "-loglevel", "error", "-i", url, "-c", "copy", "-f", "flv", r.file)
			}
			recordings = append(recordings, r)
		}
		players += 2
		waitFor(t, when+" players", 10*time.Second, func() bool { return srv.relay.Players(path) == players })
	}
	join("early", 30)
	pub := startERTMPPeer(ctx, t, bin, "publish", rtmpURL(srv.addr, path.App)+"#"+path.Key, script.write(t))
	pub.await(t, "ready")
	send := func(n int) {
		pub.command(t, fmt.Sprint("send ", n))
		pub.await(t, "sent")
		want := pub.count()
		waitFor(t, "the relay to take the frames", 10*time.Second, func() bool { return reference.count() >= want })
	}
	first := script.framesBefore(1150)
	send(first)
	join("late", 15) // from the H.264 keyframe at 1000 ms
	send(len(script.Frames) - first)
	pub.command(t, "end")
	finished(t, "publisher", pub.recorder, pub.stderr.String)
	finished(t, "reference player", reference, func() string { return "" })
	pub.cmd.Wait()

	for _, r := range recordings {
		awaitRecorder(t, r.name, r.p)
	}
	for _, r := range recordings {
		codecs := run(t, ffprobe, "-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", r.file)
		if got := strings.Fields(codecs); !slices.Equal(sortedCopy(got), []string{"aac", "h264"}) {
			t.Errorf("%s recorded streams %q, want h264 and aac", r.name, got)
		}
		if errs := run(t, ffmpeg, "-nostdin", "-v", "error", "-i", r.file, "-f", "null", "-"); errs != "" {
			t.Errorf("%s: decoding the recording: %s", r.name, errs)
		}
		n := run(t, ffprobe, "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", r.file)
		if got, err := strconv.Atoi(strings.TrimSpace(n)); err != nil || got != r.frames {
			t.Errorf("%s: %q video frames decoded, want %d", r.name, n, r.frames)
		}
	}
}

// awaitRecorder waits for a recording player to end with the stream:
// ffmpeg with status 0, rtmpdump with 0 or 2 ("may be incomplete": the
// last packet's time falls short of the duration it expected). One still
// running after 10 s is interrupted; its file is then checked all the same.
func awaitRecorder(t *testing.T, name string, p *peer) {
	t.Helper()
	select {
	case err := <-p.done:
		var exit *exec.ExitError
		if err != nil && !(strings.Contains(name, "rtmpdump") && errors.As(err, &exit) && exit.ExitCode() == 2) {
			t.Fatalf("%s: %v\n%s", name, err, p.stderr.String())
		}
	case <-time.After(10 * time.Second):
		p.interrupt(t)
	}
}

// run runs a program to its end and returns its output.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", filepath.Base(name), args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
