package main

import (
	"slices"
	"time"
)

// maxDelaySamples bounds what one player records: ten minutes of a
// 25 fps stream with audio.
const maxDelaySamples = 1 << 16

// warmUp is how much stream time after its first message a player's
// delays are not recorded: a server with a fast start sends the frames it
// cached since the last keyframe (up to a GOP, 2 s in rtmpbench's media)
// at once, and those arrive "late" by their age, which says nothing about
// how the server keeps up.
const warmUp = 2500 // ms

// delays records, for each audio and video message a player receives after
// the warm-up, its
// arrival time minus its timestamp. Servers may rebase timestamps per
// player, so only differences within one player mean something: a
// message's delay is how much later it arrived than the player's most
// punctual message. That is what a server adds by holding bytes back
// (Nagle's algorithm, batching) or by writing to its players one after the
// other, on top of the publisher's own pacing jitter.
type delays struct {
	start   time.Time
	first   uint32
	started bool
	offsets []time.Duration
}

func (d *delays) record(ts uint32) {
	if !d.started {
		d.first, d.started = ts, true
	}
	if ts-d.first < warmUp || ts-d.first > 1<<31 {
		return // warming up, or older than the first message
	}
	if len(d.offsets) < maxDelaySamples {
		d.offsets = append(d.offsets, time.Since(d.start)-time.Duration(ts)*time.Millisecond)
	}
}

// appendTo appends each message's delay over the most punctual one.
func (d *delays) appendTo(dst []time.Duration) []time.Duration {
	if len(d.offsets) == 0 {
		return dst
	}
	best := slices.Min(d.offsets)
	for _, o := range d.offsets {
		dst = append(dst, o-best)
	}
	return dst
}

// percentiles returns the median, 99th and 99.9th percentiles; it sorts v.
func percentiles(v []time.Duration) [3]time.Duration {
	if len(v) == 0 {
		return [3]time.Duration{}
	}
	slices.Sort(v)
	return [3]time.Duration{v[len(v)/2], v[len(v)*99/100], v[len(v)*999/1000]}
}
