// Command rtmpbench measures rtmpd against nginx-rtmp side by side, on
// loopback, under the same load in the same run, and prints each measure
// with the ratio ours/nginx.
//
//	go run ./driver/cmd/rtmpbench -n 100,300,1000 -duration 20s
//
// It builds rtmpd and rtmpload from this module, writes a 3 Mbit/s
// H.264+AAC FLV with ffmpeg (testsrc2 and a sine tone, libx264 at 2900
// kbit/s, a keyframe every 2 s) into a temporary directory, and for each N
// starts a fresh rtmpd and a fresh nginx (Debian nginx with
// libnginx-mod-rtmp: one worker, no master process, chunk_size 4096,
// application live with live on) on free loopback ports. Against each it
// runs one real-time publisher and N players with rtmpload, plus, for N up
// to 300, -rtmpdump rtmpdump processes as independent players. Per server
// it reports
//
//   - CPU seconds per GB delivered: the server process's utime+stime from
//     /proc/PID/stat across the run, over the media bytes the players
//     received (rtmpload's payload count plus rtmpdump's FLV output);
//   - the same with rtmpload's own CPU added: on loopback part of the
//     kernel's work for a transfer lands on whichever side triggers it, so
//     the sum is the fairer comparison of what serving costs the machine;
//   - peak RSS (VmHWM);
//   - players that got less than 95% of what was published while they
//     played (rtmpload's players; an rtmpdump player counts as short when
//     its output is under 95% of the median rtmpload player's bytes);
//   - median and 99th percentile time from play to the first video
//     keyframe (rtmpload's players), for the N that all dial at the start
//     and apart for -late players that join one at a time, from 40% to
//     90% of the run, while the N play: the late viewer fast start is for.
//
// Before the table it prints how many writes one player needs each second
// for the generated media, and how many fewer a relay that held messages
// back for up to 5 to 350 ms could make at best (arithmetic on the file's
// timestamps): both servers write every message as it comes unless rtmpd
// runs with -merge-writes, which -merge-writes here measures side by side.
//
// Flags:
//
//	-n LIST          player counts to run, comma separated (default 100,300,1000; each at most 5000)
//	-duration D      how long the publisher runs at each N (default 20s; 2s to 5m)
//	-media D         length of the generated FLV, looped by the publisher (default 25s; 20s to 30s)
//	-rtmpdump K      rtmpdump players added at each N <= 300 (default 20; at most 300)
//	-late K          rtmpload players that join one at a time while the N play (default 30; at most 300)
//	-servers LIST    which servers to run: rtmpd, nginx or both (default rtmpd,nginx)
//	-cpuprofile-n N  write rtmpd's CPU profile at this N to -cpuprofile (default 300; 0: none)
//	-cpuprofile FILE where that profile goes (default rtmpd-cpu.pprof)
//	-keep            keep the temporary directory (logs, configs, media)
//	-rtmpd-args S    extra rtmpd flags, space separated (for example -nagle=false)
//	-merge-writes L  rtmpd -merge-writes values measured side by side, each an rtmpd of its own (default 0; say 0,100ms,350ms)
//	-publishers L    instead of the fan-out, an ingest benchmark at each of these publisher counts: that many
//	                 real-time publishers of the media, each to its own stream with one player; CPU per GB received
//	-mediamtx PATH   measure this mediamtx too, configured RTMP-only (default: mediamtx on PATH, if any; none: off)
//
// mediamtx is not part of CI. To measure it, build it from the Go module
// proxy, or take a release binary:
//
//	GOFLAGS=-mod=mod go install github.com/bluenviron/mediamtx@v1.20.1
//	go run ./driver/cmd/rtmpbench -mediamtx $(go env GOPATH)/bin/mediamtx
//
// It refuses a play before its stream is ready, so its players dial a
// second after the publisher starts (rtmpload -play-delay).
//
// Both servers and all players run on the same machine, so the load tool's
// own CPU competes with them; that is why every ratio comes from the same
// run. Absolute numbers drift from machine to machine, ratios much less.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/gortmp/rtmp/driver/internal/cli"
)

// options are the command line flags.
type options struct {
	ns         []int
	duration   time.Duration
	media      time.Duration
	rtmpdump   int
	late       int
	servers    []string
	profileN   int
	profileOut string
	keep       bool
	rtmpdArgs  []string
	// mergeWrites are the rtmpd -merge-writes values measured side by
	// side, 0 for rtmpd's default.
	mergeWrites []time.Duration
	// publishers, if set, makes the run an ingest benchmark at each of
	// these publisher counts instead of the fan-out at each N.
	publishers []int
	// mediamtx is the mediamtx binary to measure too, "" for none.
	mediamtx string
}

// Bounds of the flags: the benchmark must end and stay on one machine.
const (
	maxPlayers  = 5000
	maxRTMPDump = 300
	maxLate     = 300
	// maxPublishers bounds -publishers: each is a 3 Mbit/s stream.
	maxPublishers = 200
	minDuration   = 2 * time.Second
	maxDuration   = 5 * time.Minute
)

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var ns, servers string
	fs := flag.NewFlagSet("rtmpbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&ns, "n", "100,300,1000", "player counts, comma separated")
	fs.DurationVar(&o.duration, "duration", 20*time.Second, "how long the publisher runs at each N")
	fs.DurationVar(&o.media, "media", 25*time.Second, "length of the generated FLV")
	fs.IntVar(&o.rtmpdump, "rtmpdump", 20, "rtmpdump players added at each N <= 300")
	fs.IntVar(&o.late, "late", 30, "players that join one at a time while the N play")
	fs.StringVar(&servers, "servers", "rtmpd,nginx", "servers to measure: rtmpd, nginx or both")
	fs.IntVar(&o.profileN, "cpuprofile-n", 300, "N at which rtmpd writes a CPU profile (0: none)")
	fs.StringVar(&o.profileOut, "cpuprofile", "rtmpd-cpu.pprof", "file for rtmpd's CPU profile")
	fs.BoolVar(&o.keep, "keep", false, "keep the temporary directory")
	var rtmpdArgs, merges, publishers string
	fs.StringVar(&rtmpdArgs, "rtmpd-args", "", "extra rtmpd flags, space separated (for example -nagle=false)")
	fs.StringVar(&merges, "merge-writes", "0", "rtmpd -merge-writes values measured side by side, comma separated (0: the default)")
	fs.StringVar(&publishers, "publishers", "", "ingest benchmark at these publisher counts (comma separated), one player each, instead of the fan-out at each -n")
	fs.StringVar(&o.mediamtx, "mediamtx", "", "mediamtx binary to measure too (default: mediamtx on PATH, if any; \"none\": not measured)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch o.mediamtx {
	case "none":
		o.mediamtx = ""
	case "":
		o.mediamtx, _ = exec.LookPath("mediamtx")
	}
	for _, f := range strings.Split(merges, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(f))
		if err != nil || d < 0 || d > 5*time.Second {
			return o, fmt.Errorf("-merge-writes: %q is not a duration from 0 to 5s", f)
		}
		o.mergeWrites = append(o.mergeWrites, d)
	}
	if publishers != "" {
		for _, f := range strings.Split(publishers, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n < 1 || n > maxPublishers {
				return o, fmt.Errorf("-publishers: %q is not a publisher count from 1 to %d", f, maxPublishers)
			}
			o.publishers = append(o.publishers, n)
		}
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	o.rtmpdArgs = strings.Fields(rtmpdArgs)
	for _, f := range strings.Split(ns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > maxPlayers {
			return o, fmt.Errorf("-n: %q is not a player count from 1 to %d", f, maxPlayers)
		}
		o.ns = append(o.ns, n)
	}
	for _, s := range strings.Split(servers, ",") {
		switch s = strings.TrimSpace(s); s {
		case serverRTMPD, serverNginx:
			o.servers = append(o.servers, s)
		default:
			return o, fmt.Errorf("-servers: unknown server %q", s)
		}
	}
	if o.mediamtx != "" {
		o.servers = append(o.servers, serverMediaMTX)
	}
	switch {
	case o.duration < minDuration || o.duration > maxDuration:
		return o, fmt.Errorf("-duration must be from %v to %v", minDuration, maxDuration)
	case o.media < time.Second || o.media > 30*time.Second:
		return o, errors.New("-media must be from 1s to 30s")
	case o.rtmpdump < 0 || o.rtmpdump > maxRTMPDump:
		return o, fmt.Errorf("-rtmpdump must be from 0 to %d", maxRTMPDump)
	case o.late < 0 || o.late > maxLate:
		return o, fmt.Errorf("-late must be from 0 to %d", maxLate)
	}
	return o, nil
}

func main() {
	cli.Main("rtmpbench", parseFlags, func(ctx context.Context, o options) error {
		fmt.Printf("machine: %d cores (GOMAXPROCS %d), %s/%s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH)
		_, err := run(ctx, o, os.Stdout, os.Stderr)
		return err
	})
}
