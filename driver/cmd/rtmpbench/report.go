package main

import (
	"fmt"
	"io"
)

// printRow prints one N's measures with the ratio ours/nginx when both
// servers ran.
func printRow(w io.Writer, n, dumps int, row []measure) {
	fmt.Fprintf(w, "\nN=%d (%d rtmpload players + %d rtmpdump)\n", n, n, dumps)
	fmt.Fprintf(w, "%-36s", "measure")
	for _, m := range row {
		fmt.Fprintf(w, "%14s", m.server)
	}
	var ours, theirs *measure
	for i := range row {
		switch row[i].server {
		case serverRTMPD:
			ours = &row[i]
		case serverNginx:
			theirs = &row[i]
		}
	}
	both := ours != nil && theirs != nil
	if both {
		fmt.Fprintf(w, "%14s", "ours/nginx")
	}
	fmt.Fprintln(w)
	line := func(name string, value func(m measure) float64, format string) {
		fmt.Fprintf(w, "%-36s", name)
		for _, m := range row {
			fmt.Fprintf(w, "%14s", fmt.Sprintf(format, value(m)))
		}
		if both {
			fmt.Fprintf(w, "%14s", ratio(value(*ours), value(*theirs)))
		}
		fmt.Fprintln(w)
	}
	line("CPU s per GB delivered", measure.cpuPerGB, "%.3f")
	line("  of which in the kernel", measure.kernelCPUPerGB, "%.3f")
	line("server+rtmpload CPU s per GB", measure.systemCPUPerGB, "%.3f")
	line("server CPU s", func(m measure) float64 { return m.cpu.Seconds() }, "%.2f")
	line("GB delivered", func(m measure) float64 { return float64(m.res.delivered()) / 1e9 }, "%.3f")
	line("peak RSS MiB", func(m measure) float64 { return float64(m.rss) / (1 << 20) }, "%.1f")
	line("players < 95% of media", func(m measure) float64 { return float64(m.res.short()) }, "%.0f")
	line("  of which the load tool dropped", func(m measure) float64 { return float64(m.res.load.ClientDropped) }, "%.0f")
	line("play to 1st keyframe median ms", func(m measure) float64 { return m.res.load.FirstKeyframeMedianMS }, "%.1f")
	line("play to 1st keyframe p99 ms", func(m measure) float64 { return m.res.load.FirstKeyframeP99MS }, "%.1f")
	line("late players without a keyframe", func(m measure) float64 { return float64(m.res.load.LateFailed) }, "%.0f")
	line("late player 1st keyframe median ms", func(m measure) float64 { return m.res.load.LateFirstKeyframeMedianMS }, "%.1f")
	line("late player 1st keyframe p99 ms", func(m measure) float64 { return m.res.load.LateFirstKeyframeP99MS }, "%.1f")
	line("message delay median ms", func(m measure) float64 { return m.res.load.DelayMedianMS }, "%.1f")
	line("message delay p99 ms", func(m measure) float64 { return m.res.load.DelayP99MS }, "%.1f")
	line("message delay p99.9 ms", func(m measure) float64 { return m.res.load.DelayP999MS }, "%.1f")
	line("load tool CPU s", func(m measure) float64 { return m.res.load.CPUSeconds }, "%.2f")
	for _, m := range row {
		if m.res.load.FirstError != "" {
			fmt.Fprintf(w, "%s: a player's error: %s\n", m.server, m.res.load.FirstError)
		}
	}
}

// ratio formats a/b, or "-" when b is zero.
func ratio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a/b)
}
