package main

import (
	"fmt"
	"io"
	"strings"
)

// tableLine is one measure of a table: its name, how to read it and how
// to print it; ratio: whether the ratios to nginx mean something.
type tableLine struct {
	name   string
	value  func(m measure) float64
	format string
	ratio  bool
}

// printTable prints one row of measures as a table, a column per target,
// then each target's ratio to nginx when nginx ran.
func printTable(w io.Writer, title string, row []measure, lines []tableLine) {
	fmt.Fprintf(w, "\n%s\n", title)
	var nginx *measure
	for i := range row {
		if row[i].kind == serverNginx {
			nginx = &row[i]
		}
	}
	var others []measure
	if nginx != nil {
		for _, m := range row {
			if m.kind != serverNginx {
				others = append(others, m)
			}
		}
	}
	fmt.Fprintf(w, "%-36s", "measure")
	for _, m := range row {
		fmt.Fprintf(w, "%16s", m.server)
	}
	for _, m := range others {
		fmt.Fprintf(w, "%16s", ratioName(m))
	}
	fmt.Fprintln(w)
	for _, l := range lines {
		fmt.Fprintf(w, "%-36s", l.name)
		for _, m := range row {
			fmt.Fprintf(w, "%16s", fmt.Sprintf(l.format, l.value(m)))
		}
		for _, m := range others {
			r := ""
			if l.ratio {
				r = ratio(l.value(m), l.value(*nginx))
			}
			fmt.Fprintf(w, "%16s", r)
		}
		fmt.Fprintln(w)
	}
	for _, m := range row {
		if m.res.load.FirstError != "" {
			fmt.Fprintf(w, "%s: a player's error: %s\n", m.server, m.res.load.FirstError)
		}
	}
}

// ratioName heads a target's ratio column: "ours/nginx" for rtmpd with its
// defaults, "mw=100ms/nginx" for a -merge-writes, "mediamtx/nginx".
func ratioName(m measure) string {
	if m.server == serverRTMPD {
		return "ours/nginx"
	}
	return strings.TrimPrefix(m.server, "rtmpd ") + "/nginx"
}

// printRow prints one N's fan-out measures.
func printRow(w io.Writer, n, dumps int, row []measure) {
	printTable(w, fmt.Sprintf("N=%d (%d rtmpload players + %d rtmpdump)", n, n, dumps), row, []tableLine{
		{"CPU s per GB delivered", measure.cpuPerGB, "%.3f", true},
		{"  of which in the kernel", measure.kernelCPUPerGB, "%.3f", true},
		{"server+rtmpload CPU s per GB", measure.systemCPUPerGB, "%.3f", true},
		{"server CPU s", func(m measure) float64 { return m.cpu.Seconds() }, "%.2f", true},
		{"GB delivered", func(m measure) float64 { return float64(m.res.delivered()) / 1e9 }, "%.3f", false},
		{"peak RSS MiB", func(m measure) float64 { return float64(m.rss) / (1 << 20) }, "%.1f", true},
		{"players < 95% of media", func(m measure) float64 { return float64(m.res.short()) }, "%.0f", false},
		{"  of which the load tool dropped", func(m measure) float64 { return float64(m.res.load.ClientDropped) }, "%.0f", false},
		{"play to 1st keyframe median ms", func(m measure) float64 { return m.res.load.FirstKeyframeMedianMS }, "%.1f", false},
		{"play to 1st keyframe p99 ms", func(m measure) float64 { return m.res.load.FirstKeyframeP99MS }, "%.1f", false},
		{"late players without a keyframe", func(m measure) float64 { return float64(m.res.load.LateFailed) }, "%.0f", false},
		{"late player 1st keyframe median ms", func(m measure) float64 { return m.res.load.LateFirstKeyframeMedianMS }, "%.1f", false},
		{"late player 1st keyframe p99 ms", func(m measure) float64 { return m.res.load.LateFirstKeyframeP99MS }, "%.1f", false},
		{"message delay median ms", func(m measure) float64 { return m.res.load.DelayMedianMS }, "%.1f", false},
		{"message delay p99 ms", func(m measure) float64 { return m.res.load.DelayP99MS }, "%.1f", false},
		{"message delay p99.9 ms", func(m measure) float64 { return m.res.load.DelayP999MS }, "%.1f", false},
		{"load tool CPU s", func(m measure) float64 { return m.res.load.CPUSeconds }, "%.2f", false},
	})
}

// printIngestRow prints the ingest measures at p publishers.
func printIngestRow(w io.Writer, p int, row []measure) {
	printTable(w, fmt.Sprintf("ingest: %d publishers, one rtmpload player each", p), row, []tableLine{
		{"CPU s per GB received", measure.cpuPerGBReceived, "%.3f", true},
		{"  of which in the kernel", measure.kernelCPUPerGBReceived, "%.3f", true},
		{"server CPU s", func(m measure) float64 { return m.cpu.Seconds() }, "%.2f", true},
		{"GB received", func(m measure) float64 { return float64(m.res.load.PublishedBytes) / 1e9 }, "%.3f", false},
		{"GB delivered", func(m measure) float64 { return float64(m.res.delivered()) / 1e9 }, "%.3f", false},
		{"peak RSS MiB", func(m measure) float64 { return float64(m.rss) / (1 << 20) }, "%.1f", true},
		{"players < 95% of media", func(m measure) float64 { return float64(m.res.short()) }, "%.0f", false},
		{"message delay median ms", func(m measure) float64 { return m.res.load.DelayMedianMS }, "%.1f", false},
		{"message delay p99 ms", func(m measure) float64 { return m.res.load.DelayP99MS }, "%.1f", false},
		{"load tool CPU s", func(m measure) float64 { return m.res.load.CPUSeconds }, "%.2f", false},
	})
}

// ratio formats a/b, or "-" when b is zero.
func ratio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", a/b)
}
