package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// target is one server configuration a run measures: a server and, for
// rtmpd, its -merge-writes.
type target struct {
	server string
	merge  time.Duration
}

// label names the target in the tables.
func (tg target) label() string {
	if tg.server == serverRTMPD && tg.merge > 0 {
		return fmt.Sprintf("rtmpd mw=%v", tg.merge)
	}
	return tg.server
}

// targets lists what a run measures at each N: every rtmpd variant, then
// the other servers.
func (o options) targets() []target {
	var ts []target
	for _, s := range o.servers {
		if s != serverRTMPD {
			ts = append(ts, target{server: s})
			continue
		}
		for _, d := range o.mergeWrites {
			ts = append(ts, target{server: s, merge: d})
		}
	}
	return ts
}

// measure is one server's result at one N.
type measure struct {
	server  string // the target's label
	kind    string // the target's server
	n       int
	cpu     time.Duration // user plus system
	sysCPU  time.Duration // system alone
	rss     int64
	res     loadResult
	profile string // rtmpd's CPU profile, "" if none
}

// cpuPerGB is CPU seconds per 10^9 bytes delivered.
func (m measure) cpuPerGB() float64 {
	if m.res.delivered() == 0 {
		return 0
	}
	return m.cpu.Seconds() / (float64(m.res.delivered()) / 1e9)
}

// kernelCPUPerGB is the server's system CPU seconds per GB delivered:
// the part of cpuPerGB spent in the kernel, for a relay mostly its write
// system calls (and, on loopback, the receiving side's TCP input that
// those calls run). It is a floor for any server that makes the same
// writes, whatever its own code costs.
func (m measure) kernelCPUPerGB() float64 {
	if m.res.delivered() == 0 {
		return 0
	}
	return m.sysCPU.Seconds() / (float64(m.res.delivered()) / 1e9)
}

// cpuPerGBReceived is CPU seconds per 10^9 bytes the publishers sent:
// the ingest benchmark's measure.
func (m measure) cpuPerGBReceived() float64 {
	if m.res.load.PublishedBytes == 0 {
		return 0
	}
	return m.cpu.Seconds() / (float64(m.res.load.PublishedBytes) / 1e9)
}

// kernelCPUPerGBReceived is its part in the kernel.
func (m measure) kernelCPUPerGBReceived() float64 {
	if m.res.load.PublishedBytes == 0 {
		return 0
	}
	return m.sysCPU.Seconds() / (float64(m.res.load.PublishedBytes) / 1e9)
}

// systemCPUPerGB counts the players' side too: the server's and rtmpload's
// CPU seconds per GB delivered (rtmpdump's own CPU is not counted). On
// loopback part of a transfer's kernel work lands on whichever side
// triggers it; Nagle's algorithm, for one, moves transmissions to the
// moment the receiver's acknowledgement arrives, in the receiver's
// system call. This sum does not depend on where it lands.
func (m measure) systemCPUPerGB() float64 {
	if m.res.delivered() == 0 {
		return 0
	}
	return (m.cpu.Seconds() + m.res.load.CPUSeconds) / (float64(m.res.delivered()) / 1e9)
}

// run measures every server at every N and prints the table.
func run(ctx context.Context, o options, w, logw io.Writer) ([]measure, error) {
	dir, err := os.MkdirTemp("", "rtmpbench-")
	if err != nil {
		return nil, err
	}
	if o.keep {
		fmt.Fprintln(logw, "rtmpbench: keeping", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	t, err := prepare(ctx, dir, o)
	if err != nil {
		return nil, err
	}
	if err := printHolds(w, t.media); err != nil {
		return nil, err
	}
	var all []measure
	if len(o.publishers) > 0 {
		for _, p := range o.publishers {
			spec := loadSpec{players: p, publishers: p}
			row, err := measureRow(ctx, t, o, spec, logw)
			all = append(all, row...)
			if err != nil {
				return all, err
			}
			printIngestRow(w, p, row)
			printProfiles(ctx, w, t, o, row)
		}
		return all, nil
	}
	for _, n := range o.ns {
		spec := loadSpec{players: n, late: o.late, publishers: 1}
		if n <= 300 && t.rtmpdump != "" {
			spec.dumps = o.rtmpdump
		}
		row, err := measureRow(ctx, t, o, spec, logw)
		all = append(all, row...)
		if err != nil {
			return all, err
		}
		printRow(w, n, spec.dumps, row)
		printProfiles(ctx, w, t, o, row)
	}
	return all, nil
}

// measureRow measures every target under one load.
func measureRow(ctx context.Context, t *tools, o options, spec loadSpec, logw io.Writer) ([]measure, error) {
	var row []measure
	for _, tg := range o.targets() {
		fmt.Fprintf(logw, "rtmpbench: %s, %d publishers, %d players + %d rtmpdump, %v\n", tg.label(), spec.publishers, spec.players, spec.dumps, o.duration)
		m, err := measureOne(ctx, t, o, tg, spec)
		if err != nil {
			return row, fmt.Errorf("%s with %d publishers and %d players: %w", tg.label(), spec.publishers, spec.players, err)
		}
		row = append(row, m)
	}
	return row, nil
}

// printProfiles prints the CPU profiles the row's rtmpd runs wrote.
func printProfiles(ctx context.Context, w io.Writer, t *tools, o options, row []measure) {
	for _, m := range row {
		if m.profile != "" {
			out := o.profileOut
			if len(o.mergeWrites) > 1 {
				out = strings.TrimSuffix(out, ".pprof") + "-" + strings.ReplaceAll(m.server, " ", "-") + ".pprof"
			}
			printProfile(ctx, w, t, m.profile, out)
		}
	}
}

// measureOne starts a fresh server, loads it and reads its counters.
func measureOne(ctx context.Context, t *tools, o options, tg target, spec loadSpec) (measure, error) {
	n := spec.players
	m := measure{server: tg.label(), kind: tg.server, n: n}
	tag := fmt.Sprintf("n%d-p%d-%s", n, spec.publishers, strings.ReplaceAll(strings.ReplaceAll(m.server, " ", "-"), "=", ""))
	var s *server
	var err error
	switch tg.server {
	case serverRTMPD:
		if o.profileN == n && o.profileOut != "" {
			m.profile = filepath.Join(t.dir, tag+"-cpu.pprof")
		}
		s, err = startRTMPD(t, tag, m.profile, tg.merge, o.rtmpdArgs)
	case serverMediaMTX:
		// It refuses a play before the stream is ready, which v1.20 says
		// about 2 s after the publisher connects (it reads the tracks
		// first); its players miss those seconds, so its "players short"
		// count means nothing.
		spec.playDelay = 3 * time.Second
		s, err = startMediaMTX(t, o.mediamtx, tag)
	default:
		s, err = startNginx(t, tag)
	}
	if err != nil {
		return m, err
	}
	defer s.stop()
	cpu0, err := s.cpu()
	if err != nil {
		return m, err
	}
	url := "rtmp://" + s.addr + "/live/bench"
	m.res, err = runLoad(ctx, t, tag, url, spec, o.duration)
	if err != nil {
		return m, err
	}
	cpu1, err := s.cpu()
	if err != nil {
		return m, err
	}
	m.sysCPU = cpu1.system - cpu0.system
	m.cpu = cpu1.user - cpu0.user + m.sysCPU
	if m.rss, err = s.peakRSS(); err != nil {
		return m, err
	}
	s.stop() // writes the profile
	return m, nil
}

// printProfile copies rtmpd's profile to out and prints its top.
func printProfile(ctx context.Context, w io.Writer, t *tools, profile, out string) {
	b, err := os.ReadFile(profile)
	if err != nil {
		fmt.Fprintf(w, "no profile: %v\n", err)
		return
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		fmt.Fprintf(w, "profile not saved: %v\n", err)
	}
	top, err := exec.CommandContext(ctx, "go", "tool", "pprof", "-top", "-nodecount=30", t.rtmpd, profile).CombinedOutput()
	fmt.Fprintf(w, "\nrtmpd CPU profile (saved as %s):\n%s\n", out, top)
	if err != nil {
		fmt.Fprintf(w, "go tool pprof: %v\n", err)
	}
}
