package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/gortmp/rtmp/driver/internal/peers"
)

// tools are the programs a run needs, found or built.
type tools struct {
	dir      string // the run's temporary directory
	rtmpd    string
	rtmpload string
	nginx    string
	module   string
	ffmpeg   string
	rtmpdump string // "" when missing: no rtmpdump players
	media    string
	mediaLen time.Duration
}

// findPeer returns a peer's path or says which package provides it.
func findPeer(p peers.Peer) (string, error) {
	path, ok := p.Find()
	if !ok {
		return "", fmt.Errorf("%s not found: apt-get install %s", p.Program, p.Package)
	}
	return path, nil
}

// prepare builds this module's rtmpd and rtmpload into dir, finds the
// peers and writes the test media.
func prepare(ctx context.Context, dir string, o options) (*tools, error) {
	t := &tools{dir: dir, module: peers.NginxRTMPModule}
	var err error
	if t.ffmpeg, err = findPeer(peers.FFmpeg); err != nil {
		return nil, err
	}
	if o.wants(serverNginx) {
		if t.nginx, err = findPeer(peers.NginxRTMP); err != nil {
			return nil, err
		}
	}
	if o.rtmpdump > 0 {
		t.rtmpdump, _ = peers.RTMPDump.Find()
	}
	t.rtmpd = filepath.Join(dir, "rtmpd")
	t.rtmpload = filepath.Join(dir, "rtmpload")
	for bin, pkg := range map[string]string{t.rtmpd: "github.com/gortmp/rtmp/driver/cmd/rtmpd", t.rtmpload: "github.com/gortmp/rtmp/driver/cmd/rtmpload"} {
		out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, pkg).CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	t.media, t.mediaLen = filepath.Join(dir, "media.flv"), o.media
	if err := makeMedia(ctx, t.ffmpeg, t.media, o.media); err != nil {
		return nil, err
	}
	return t, nil
}

// makeMedia writes an FLV of length d: 1280x720 at 30 fps, libx264 held
// at 2900 kbit/s with a keyframe every 2 s, AAC stereo at 96 kbit/s.
func makeMedia(ctx context.Context, ffmpeg, out string, d time.Duration) error {
	secs := fmt.Sprintf("%.3f", d.Seconds())
	cmd := exec.CommandContext(ctx, ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
		"-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
		"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
		"-t", secs,
		"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
		"-b:v", "2900k", "-minrate", "2900k", "-maxrate", "2900k", "-bufsize", "2900k",
		"-x264-params", "nal-hrd=cbr", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0",
		"-c:a", "aac", "-b:a", "96k", "-ac", "2",
		"-f", "flv", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("ffmpeg: %v\n%s", err, b)
	}
	st, err := os.Stat(out)
	if err != nil {
		return err
	}
	if st.Size() == 0 {
		return errors.New("ffmpeg wrote an empty file")
	}
	return nil
}
