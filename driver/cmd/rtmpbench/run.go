package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// measure is one server's result at one N.
type measure struct {
	server  string
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
	for _, n := range o.ns {
		dumps := 0
		if n <= 300 && t.rtmpdump != "" {
			dumps = o.rtmpdump
		}
		var row []measure
		for _, name := range o.servers {
			fmt.Fprintf(logw, "rtmpbench: %s, %d players + %d rtmpdump, %v\n", name, n, dumps, o.duration)
			m, err := measureOne(ctx, t, o, name, n, dumps)
			if err != nil {
				return all, fmt.Errorf("%s at N=%d: %w", name, n, err)
			}
			row = append(row, m)
		}
		all = append(all, row...)
		printRow(w, n, dumps, row)
		for _, m := range row {
			if m.profile != "" {
				printProfile(ctx, w, t, m.profile, o.profileOut)
			}
		}
	}
	return all, nil
}

// measureOne starts a fresh server, loads it and reads its counters.
func measureOne(ctx context.Context, t *tools, o options, name string, n, dumps int) (measure, error) {
	m := measure{server: name, n: n}
	tag := fmt.Sprintf("n%d", n)
	var s *server
	var err error
	switch name {
	case serverRTMPD:
		if o.profileN == n && o.profileOut != "" {
			m.profile = filepath.Join(t.dir, tag+"-cpu.pprof")
		}
		s, err = startRTMPD(t, tag, m.profile, o.rtmpdArgs)
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
	m.res, err = runLoad(ctx, t, tag+"-"+name, url, n, o.late, dumps, o.duration)
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
