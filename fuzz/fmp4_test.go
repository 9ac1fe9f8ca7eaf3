package fuzz

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gortmp/rtmp/codec/fmp4"
)

// FuzzFMP4Parse parses the input as fragmented MP4. A failure wraps
// fmp4.ErrMalformed; every sample's data lies inside the input; and what
// parsed, written back with AppendInit and AppendFragment, parses to the
// same tracks and fragments.
func FuzzFMP4Parse(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		file, err := fmp4.Parse(in)
		if err != nil {
			if !errors.Is(err, fmp4.ErrMalformed) {
				t.Fatalf("parse failed with %v, not ErrMalformed", err)
			}
			return
		}
		for _, fr := range file.Fragments {
			for _, r := range fr.Runs {
				for _, s := range r.Samples {
					if len(s.Data) > 0 && !inside(s.Data, in) {
						t.Fatal("sample data outside the input")
					}
				}
			}
		}
		var out []byte
		if len(file.Tracks) > 0 {
			if out, err = fmp4.AppendInit(nil, file.Tracks); err != nil {
				return // parsed, but not a track set this package writes
			}
		}
		for _, fr := range file.Fragments {
			if out, err = fmp4.AppendFragment(out, fr.Sequence, fr.Runs); err != nil {
				return
			}
		}
		again, err := fmp4.Parse(out)
		if err != nil {
			t.Fatalf("what was written back does not parse: %v", err)
		}
		want := *file
		want.Tracks = nil
		for _, tr := range file.Tracks {
			if tr.Codec == fmp4.Opus {
				tr.SampleRate = 48000 // always written so
			}
			want.Tracks = append(want.Tracks, tr)
		}
		if diff := cmp.Diff(&want, again, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("written back, parsed differently (-first +second):\n%s", diff)
		}
	})
}

// FuzzFMP4Tags reads the input as media messages (a type byte, a 4-byte
// timestamp, a 2-byte size, then the body) and pushes each through
// fmp4.Tags. Bad messages are errors, never panics; every track set it
// announces makes a valid init segment; and its samples, muxed and
// flushed, parse back to as many samples with the same data.
func FuzzFMP4Tags(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		var tags fmp4.Tags
		var mux fmp4.Muxer
		var out []byte
		var wrote [][]byte
		for len(in) >= 7 {
			typeID := in[0]
			ms := uint32(in[1])<<24 | uint32(in[2])<<16 | uint32(in[3])<<8 | uint32(in[4])
			size := min(int(in[5])<<8|int(in[6]), len(in)-7)
			body := in[7 : 7+size]
			in = in[7+size:]
			ev, err := tags.Push(typeID, ms, body)
			if err != nil {
				if ev.TracksChanged || len(ev.Samples) > 0 {
					t.Fatalf("an error (%v) with an event %+v", err, ev)
				}
				continue
			}
			if ev.TracksChanged {
				if _, err := fmp4.AppendInit(nil, tags.Tracks()); err != nil {
					t.Fatalf("track set %+v: %v", tags.Tracks(), err)
				}
			}
			for _, s := range ev.Samples {
				if len(s.Sample.Data) == 0 || !inside(s.Sample.Data, body) {
					t.Fatal("sample data not inside the message")
				}
				mux.Add(s)
				wrote = append(wrote, bytes.Clone(s.Sample.Data))
			}
		}
		out, err := mux.Flush(out)
		if err != nil {
			t.Fatal(err)
		}
		file, err := fmp4.Parse(out)
		if err != nil {
			t.Fatalf("muxed samples do not parse: %v", err)
		}
		n := 0
		for _, fr := range file.Fragments {
			for _, r := range fr.Runs {
				n += len(r.Samples)
			}
		}
		if n != len(wrote) {
			t.Fatalf("%d samples in, %d out", len(wrote), n)
		}
	})
}
