package fmp4_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gortmp/rtmp/codec/fmp4"
)

// A fragment holds the samples whose durations are known: each track's
// latest waits for the next one. Flush writes it with the duration before
// it. Data handed in may be reused at once.
func TestMuxerDurationsAndFlush(t *testing.T) {
	var m fmp4.Muxer
	buf := []byte{0}
	add := func(track uint32, dts uint64, b byte, sync bool) {
		buf[0] = b
		m.Add(fmp4.TrackSample{TrackID: track, DTS: dts, Keyframe: sync, Sample: fmp4.Sample{Sync: sync, Data: buf}})
	}
	add(2, 1000, 'a', true)
	add(1, 9000, 'K', true)
	add(2, 2024, 'b', true)
	add(1, 12600, 'p', false)
	add(2, 3048, 'c', true)
	first, err := m.AppendFragment(nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Pending() != 2 {
		t.Fatalf("%d samples pending, want each track's latest", m.Pending())
	}
	add(1, 16200, 'p', false)
	second, err := m.Flush(nil)
	if err != nil {
		t.Fatal(err)
	}
	if m.Pending() != 0 {
		t.Fatalf("%d samples pending after Flush", m.Pending())
	}
	f, err := fmp4.Parse(append(first, second...))
	if err != nil {
		t.Fatal(err)
	}
	sample := func(d uint32, sync bool, b byte) fmp4.Sample {
		return fmp4.Sample{Duration: d, Sync: sync, Data: []byte{b}}
	}
	want := []fmp4.Fragment{
		{Sequence: 1, Runs: []fmp4.Run{
			{TrackID: 1, BaseDecodeTime: 9000, Samples: []fmp4.Sample{sample(3600, true, 'K')}},
			{TrackID: 2, BaseDecodeTime: 1000, Samples: []fmp4.Sample{sample(1024, true, 'a'), sample(1024, true, 'b')}},
		}},
		{Sequence: 2, Runs: []fmp4.Run{
			{TrackID: 1, BaseDecodeTime: 12600, Samples: []fmp4.Sample{sample(3600, false, 'p'), sample(3600, false, 'p')}},
			{TrackID: 2, BaseDecodeTime: 3048, Samples: []fmp4.Sample{sample(1024, true, 'c')}},
		}},
	}
	if diff := cmp.Diff(want, f.Fragments); diff != "" {
		t.Fatalf("fragments (-want +got):\n%s", diff)
	}
	if out, err := m.AppendFragment(nil); err != nil || len(out) != 0 {
		t.Fatalf("an empty muxer wrote %d bytes, %v", len(out), err)
	}
}
