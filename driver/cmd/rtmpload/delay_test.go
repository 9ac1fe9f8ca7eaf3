package main

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDelaysAreOverTheMostPunctualMessage(t *testing.T) {
	// A server that rebased timestamps by 5 s: only differences count.
	d := delays{offsets: []time.Duration{5 * time.Second, 5*time.Second + 3*time.Millisecond, 5*time.Second - time.Millisecond}}
	got := d.appendTo(nil)
	want := []time.Duration{time.Millisecond, 4 * time.Millisecond, 0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("delays (-want +got):\n%s", diff)
	}
}

func TestDelaysSkipTheWarmUp(t *testing.T) {
	d := delays{start: time.Now()}
	for _, ts := range []uint32{1000, 900, 2000, 3499, 3500, 4000} {
		d.record(ts)
	}
	if len(d.offsets) != 2 {
		t.Errorf("recorded %d messages, want the 2 at or past 2.5 s of stream time", len(d.offsets))
	}
}

func TestPercentiles(t *testing.T) {
	var v []time.Duration
	for i := 1000; i > 0; i-- {
		v = append(v, time.Duration(i)*time.Millisecond)
	}
	got := percentiles(v)
	want := [3]time.Duration{501 * time.Millisecond, 991 * time.Millisecond, 1000 * time.Millisecond}
	if got != want {
		t.Errorf("percentiles = %v, want %v", got, want)
	}
	if got := percentiles(nil); got != ([3]time.Duration{}) {
		t.Errorf("percentiles(nil) = %v", got)
	}
}
