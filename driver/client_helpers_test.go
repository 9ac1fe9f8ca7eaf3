package driver_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/driver/internal/peers"
)

// freeLoopbackAddr returns a loopback address with a port that was free a
// moment ago, for peers that must open the listener themselves.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// startNginxForClient runs nginx with only the RTMP module, application
// "live" live on, in the foreground, stopped at the end of the test. It
// returns the listen address once the port accepts.
func startNginxForClient(t *testing.T) string {
	t.Helper()
	nginx := peers.Need(t, peers.NginxRTMP)
	dir := t.TempDir()
	addr := freeLoopbackAddr(t)
	conf := fmt.Sprintf(`load_module %s;
daemon off;
master_process off;
pid %s/nginx.pid;
error_log %s/error.log warn;
worker_rlimit_nofile 8192;
events { worker_connections 4096; }
rtmp {
	server {
		listen %s;
		chunk_size 4096;
		application live { live on; }
	}
}
`, peers.NginxRTMPModule, dir, dir, addr)
	path := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := startPeer(ctx, t, nginx, "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", path)
	t.Cleanup(func() {
		cancel()
		<-p.done
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Logf("nginx error log:\n%s\n%s", log, p.stderr.String())
		}
	})
	waitFor(t, "nginx to listen", 10*time.Second, func() bool {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	return addr
}

// publishFLV publishes every tag of an FLV file at speed times real time
// (0: as fast as the socket takes it) and returns the number of tags.
func publishFLV(ctx context.Context, pub *dial.Publication, file string, speed float64) (int, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	tags, err := flv.ReadAll(f)
	f.Close()
	if err != nil {
		return 0, err
	}
	start := time.Now()
	for n, tag := range tags {
		if speed > 0 {
			due := start.Add(time.Duration(float64(tag.Timestamp) / speed * float64(time.Millisecond)))
			select {
			case <-time.After(time.Until(due)):
			case <-ctx.Done():
				return n, ctx.Err()
			}
		}
		if err := pub.WriteTag(tag); err != nil {
			return n, err
		}
	}
	return len(tags), nil
}

// recordPlayback writes the audio and video a playback delivers to an FLV
// file until no message came for idle, and returns the message count. The
// first message may take until ctx ends: a publisher started after the
// player (ffmpeg starting up on a busy machine) is no silence.
func recordPlayback(ctx context.Context, pb *dial.Playback, file string, idle time.Duration) (int, error) {
	f, err := os.Create(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	w, err := flv.NewWriter(f, flv.Header{Version: 1, HasAudio: true, HasVideo: true})
	if err != nil {
		return 0, err
	}
	n := 0
	for {
		rctx, cancel := ctx, context.CancelFunc(func() {})
		if n > 0 {
			rctx, cancel = context.WithTimeout(ctx, idle)
		}
		m, err := pb.ReadMessage(rctx)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil || errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		var tag flv.Tag
		switch b := m.Body.(type) {
		case message.Audio:
			tag = flv.Tag{Type: flv.TagAudio, Timestamp: m.Timestamp, Data: b.Payload}
		case message.Video:
			tag = flv.Tag{Type: flv.TagVideo, Timestamp: m.Timestamp, Data: b.Payload}
		default:
			continue
		}
		if err := w.WriteTag(tag); err != nil {
			return n, err
		}
		n++
	}
}

// runFFmpegServer runs ffmpeg as an RTMP server that records what is
// published to url into file.
func runFFmpegServer(ctx context.Context, t *testing.T, url, file string) *peer {
	t.Helper()
	ffmpeg := peers.Need(t, peers.FFmpeg)
	return startPeer(ctx, t, ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
		"-listen", "1", "-f", "flv", "-i", url, "-c", "copy", "-f", "flv", file)
}
