package main

import (
	"context"
	"errors"
	"os"
	"sync/atomic"
	"time"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/driver/dial"
)

// readTags reads a whole FLV file; it is small and sent many times.
func readTags(file string) ([]flv.Tag, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tags, err := flv.ReadAll(f)
	if err != nil {
		return nil, err
	}
	if len(tags) == 0 {
		return nil, errors.New(file + " has no tags")
	}
	return tags, nil
}

// publisherStats are the publisher's counters, read by the reporter.
type publisherStats struct {
	url      string       // where it publishes
	messages atomic.Int64 // audio and video messages sent
	bytes    atomic.Int64
	lastTS   atomic.Uint32
}

// publishLoop sends the tags paced at speed times real time, looping the
// file with timestamps that keep growing, until ctx ends. Script tags go
// out on the first round only.
func publishLoop(ctx context.Context, pub *dial.Publication, tags []flv.Tag, speed float64, st *publisherStats) error {
	start := time.Now()
	// Each round starts one frame interval after the last tag of the
	// previous one, so timestamps never repeat.
	span := tags[len(tags)-1].Timestamp - tags[0].Timestamp + 40
	timer := time.NewTimer(0)
	defer timer.Stop()
	for round := uint32(0); ; round++ {
		for _, t := range tags {
			if t.Type == flv.TagScript && round > 0 {
				continue
			}
			t.Timestamp += round * span
			due := start.Add(time.Duration(float64(t.Timestamp) / speed * float64(time.Millisecond)))
			if d := time.Until(due); d > 0 {
				timer.Reset(d)
				select {
				case <-timer.C:
				case <-ctx.Done():
					return nil
				}
			} else if ctx.Err() != nil {
				return nil
			}
			if err := pub.WriteTag(t); err != nil {
				return err
			}
			if t.Type != flv.TagScript {
				st.messages.Add(1)
				st.bytes.Add(int64(len(t.Data)))
				st.lastTS.Store(t.Timestamp)
			}
		}
	}
}
