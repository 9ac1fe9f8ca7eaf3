package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// result is one mode's measure.
type result struct {
	cpu       time.Duration
	media     int64 // FLV bodies, segments and parts
	playlists int64 // playlist bodies
	requests  int64
	failed    int
	firstErr  error
}

// freeAddrs finds n loopback addresses free at once: each listener stays
// open until all are chosen, so no two of them can be the same port.
func freeAddrs(n int) ([]string, error) {
	addrs := make([]string, 0, n)
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer ln.Close()
		addrs = append(addrs, ln.Addr().String())
	}
	return addrs, nil
}

// measure runs one mode on a fresh server.
func measure(ctx context.Context, o options, dir, mode string) (result, error) {
	addrs, err := freeAddrs(2)
	if err != nil {
		return result{}, err
	}
	rtmpAddr, httpAddr := addrs[0], addrs[1]
	log, err := os.Create(filepath.Join(dir, mode+"-rtmpd.log"))
	if err != nil {
		return result{}, err
	}
	defer log.Close()
	srv := exec.Command(o.rtmpd, "-listen", rtmpAddr, "-http-listen", httpAddr, "-hls-always", "-hls-segment", "1s",
		"-hls-part", "200ms", "-log-level", "warn", "-max-conns", "5000")
	srv.Stdout, srv.Stderr = log, log
	if err := srv.Start(); err != nil {
		return result{}, err
	}
	defer func() {
		srv.Process.Signal(syscall.SIGTERM)
		srv.Wait()
	}()
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pub := exec.CommandContext(pctx, "ffmpeg", "-nostdin", "-loglevel", "error", "-stream_loop", "-1", "-re", "-i", o.media,
		"-c", "copy", "-f", "flv", "rtmp://"+rtmpAddr+"/live/demo")
	// rtmpd may not listen yet: the publisher is retried until it does.
	base := "http://" + httpAddr
	if err := waitListening(ctx, rtmpAddr); err != nil {
		said, _ := os.ReadFile(log.Name())
		return result{}, fmt.Errorf("rtmpd on %s: %w; its log:\n%s", rtmpAddr, err, said)
	}
	if err := pub.Start(); err != nil {
		return result{}, err
	}
	defer func() {
		cancel() // the publisher loops until killed
		pub.Wait()
	}()
	// A few segments cut, so every player starts on a full playlist.
	if err := waitFor(ctx, 15*time.Second, func() bool {
		resp, err := http.Get(base + "/live/demo/index.m3u8")
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b := make([]byte, 8192)
		n, _ := resp.Body.Read(b)
		return strings.Count(string(b[:n]), "#EXTINF") >= 3
	}); err != nil {
		return result{}, fmt.Errorf("no segments: %w", err)
	}
	return runPlayers(ctx, o, base, mode, srv.Process.Pid)
}

func waitListening(ctx context.Context, addr string) error {
	return waitFor(ctx, 10*time.Second, func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
}

func waitFor(ctx context.Context, limit time.Duration, cond func() bool) error {
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			return errors.New("timed out")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}

// cpuOf is a process's utime+stime so far.
func cpuOf(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// Fields after the command name's closing parenthesis: utime is the
	// 12th, stime the 13th, in USER_HZ (100 a second).
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b[i+1:]))
	if i < 0 || len(f) < 13 {
		return 0, errors.New("unreadable /proc stat")
	}
	u, err1 := strconv.ParseInt(f[11], 10, 64)
	s, err2 := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(u+s) * 10 * time.Millisecond, errors.Join(err1, err2)
}
