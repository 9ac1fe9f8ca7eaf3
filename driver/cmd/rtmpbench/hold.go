package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/gortmp/rtmp/codec/flv"
)

// holds are the hold-back times printHolds weighs: none (what both
// servers do by default), a 10 ms latency budget and some past it, up to
// the merged writes rtmpbench measures (rtmpd -merge-writes 100ms, 350ms).
var holds = []time.Duration{0, 5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond, 100 * time.Millisecond, 350 * time.Millisecond}

// printHolds prints how many writes one player needs each second for the
// benchmark's media, and how many a relay that held every message back
// for up to a given time to gather it with the next ones would need at
// the least. A relay pays the kernel mostly per write (on loopback each
// one also runs the receiver's TCP input), so this bounds what holding
// back could save, without building it: it is arithmetic on the file's
// timestamps, not a measurement.
func printHolds(w io.Writer, media string) error {
	f, err := os.Open(media)
	if err != nil {
		return err
	}
	defer f.Close()
	tags, err := flv.ReadAll(f)
	if err != nil {
		return err
	}
	var stamps []uint32
	for _, t := range tags {
		if t.Type == flv.TagAudio || t.Type == flv.TagVideo {
			stamps = append(stamps, t.Timestamp)
		}
	}
	if len(stamps) < 2 {
		return fmt.Errorf("%s: too few audio and video tags", media)
	}
	sort.Slice(stamps, func(i, j int) bool { return stamps[i] < stamps[j] })
	secs := float64(stamps[len(stamps)-1]-stamps[0]) / 1000
	fmt.Fprintf(w, "media: %.1f audio and video messages a second; writes one player needs, at the least, when each message may wait\n", float64(len(stamps))/secs)
	for _, h := range holds {
		n := writesWithHold(stamps, uint32(h.Milliseconds()))
		fmt.Fprintf(w, "  up to %-5v  %6.1f writes/s  %.2f messages a write  %3.0f%% of the writes without holding\n",
			h, float64(n)/secs, float64(len(stamps))/float64(n), 100*float64(n)/float64(len(stamps)))
	}
	return nil
}

// writesWithHold returns the fewest writes that carry messages with the
// given timestamps (milliseconds, in order) when none may leave more than
// hold after it arrived, messages arriving at their timestamps.
func writesWithHold(stamps []uint32, hold uint32) int { return len(holdBatches(stamps, hold)) }

// holdBatches returns where each write of such a schedule starts: a write
// leaves hold after the first message it carries, with every message that
// arrived by then. Each write starts more than hold after the one before,
// so no schedule can do with fewer: those first messages cannot share a
// write.
func holdBatches(stamps []uint32, hold uint32) []int {
	var starts []int
	for i := 0; i < len(stamps); {
		starts = append(starts, i)
		first := stamps[i]
		for i < len(stamps) && stamps[i]-first <= hold {
			i++
		}
	}
	return starts
}
