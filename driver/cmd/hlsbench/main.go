// Command hlsbench measures what serving HLS costs rtmpd against serving
// HTTP-FLV, for the same stream and the same number of players: CPU
// seconds of the server process per GB of media delivered.
//
//	go run ./driver/cmd/hlsbench -n 300 -duration 20s
//
// It builds rtmpd from this module and, for each mode, starts a fresh one
// on free loopback ports (with -hls-always, 1 s segments and 200 ms
// parts), publishes the sample (testdata/media/h264-aac-640x360.flv,
// 1.4 Mbit/s, looped in real time by ffmpeg), lets the first segments be
// cut, then runs N players of that mode:
//
//   - flv: GET /live/demo.flv, read to the end;
//   - hls: the media playlist every second, and each new segment, as a
//     player that ignores parts does;
//   - llhls: blocking playlist reloads for the next part (_HLS_msn,
//     _HLS_part) and each part as it is listed, as our page's player does.
//
// For each it prints the server's CPU (utime+stime from /proc/PID/stat)
// over the measured span, the media bytes the players received (FLV
// bodies; segments and parts, playlists apart), CPU seconds per GB of
// media, requests per second, and the ratio to flv. The players run in
// this process on the same machine, so they compete with the server for
// the cores; the ratio between modes of one run is what to read.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"time"
)

type options struct {
	n        int
	duration time.Duration
	modes    []string
	media    string
	rtmpd    string
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var modes string
	fs := flag.NewFlagSet("hlsbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.n, "n", 300, "players per mode (1 to 2000)")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "measured span per mode (2s to 5m)")
	fs.StringVar(&modes, "modes", "flv,hls,llhls", "modes to run, comma separated: flv, hls, llhls")
	fs.StringVar(&o.media, "media", "testdata/media/h264-aac-640x360.flv", "FLV file the publisher loops")
	fs.StringVar(&o.rtmpd, "rtmpd", "", "rtmpd binary to run (default: build this module's)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.n < 1 || o.n > 2000 {
		return o, errors.New("-n must be from 1 to 2000")
	}
	if o.duration < 2*time.Second || o.duration > 5*time.Minute {
		return o, errors.New("-duration must be from 2s to 5m")
	}
	for _, m := range strings.Split(modes, ",") {
		switch m {
		case "flv", "hls", "llhls":
			o.modes = append(o.modes, m)
		default:
			return o, fmt.Errorf("unknown mode %q", m)
		}
	}
	return o, nil
}

func main() {
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hlsbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, w io.Writer) error {
	dir, err := os.MkdirTemp("", "hlsbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if o.rtmpd == "" {
		o.rtmpd = filepath.Join(dir, "rtmpd")
		out, err := exec.CommandContext(ctx, "go", "build", "-o", o.rtmpd, "github.com/gortmp/rtmp/driver/cmd/rtmpd").CombinedOutput()
		if err != nil {
			return fmt.Errorf("building rtmpd: %v\n%s", err, out)
		}
	}
	fmt.Fprintf(w, "%d players per mode, %v measured each, media %s\n", o.n, o.duration, o.media)
	fmt.Fprintf(w, "%-6s %10s %12s %10s %10s %9s %8s\n", "mode", "server CPU", "media bytes", "CPU s/GB", "req/s", "playlists", "vs flv")
	var flv float64
	for _, mode := range o.modes {
		r, err := measure(ctx, o, dir, mode)
		if err != nil {
			return fmt.Errorf("%s: %w", mode, err)
		}
		perGB := r.cpu.Seconds() / (float64(r.media) / 1e9)
		if mode == "flv" {
			flv = perGB
		}
		vs := "-"
		if flv > 0 {
			vs = fmt.Sprintf("%.2f", perGB/flv)
		}
		fmt.Fprintf(w, "%-6s %9.2fs %12d %10.2f %10.0f %8.1f%% %8s\n", mode, r.cpu.Seconds(), r.media, perGB,
			float64(r.requests)/o.duration.Seconds(), 100*float64(r.playlists)/float64(r.media+r.playlists), vs)
		if r.failed > 0 {
			fmt.Fprintf(w, "       %d of %d players failed; first error: %v\n", r.failed, o.n, r.firstErr)
		}
	}
	return nil
}
