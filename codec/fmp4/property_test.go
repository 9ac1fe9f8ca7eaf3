package fmp4_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/gortmp/rtmp/codec/fmp4"
)

var allCodecs = []fmp4.Codec{fmp4.H264, fmp4.H265, fmp4.AV1, fmp4.VP9, fmp4.AAC, fmp4.Opus, fmp4.MP3, fmp4.FLAC, fmp4.AC3, fmp4.EAC3}

// genOpusHead draws a canonical OpusHead packet: version 1, and a channel
// mapping table exactly when the family needs one.
func genOpusHead(t *rapid.T) []byte {
	channels := rapid.ByteRange(1, 8).Draw(t, "channels")
	family := rapid.SampledFrom([]byte{0, 1, 255}).Draw(t, "family")
	head := append([]byte("OpusHead"), 1, channels)
	head = append(head, rapid.SliceOfN(rapid.Byte(), 8, 8).Draw(t, "skip-rate-gain")...)
	head = append(head, family)
	if family != 0 {
		head = append(head, rapid.SliceOfN(rapid.Byte(), 2+int(channels), 2+int(channels)).Draw(t, "mapping")...)
	}
	return head
}

func genTrack(t *rapid.T, id uint32) fmp4.Track {
	tr := fmp4.Track{
		ID:        id,
		Codec:     rapid.SampledFrom(allCodecs).Draw(t, "codec"),
		Timescale: rapid.Uint32Range(1, 1<<31).Draw(t, "timescale"),
	}
	switch {
	case tr.Codec == fmp4.Opus:
		tr.Config = genOpusHead(t)
	case tr.Codec != fmp4.MP3:
		tr.Config = rapid.SliceOfN(rapid.Byte(), 1, 300).Draw(t, "config")
	}
	if tr.Codec.IsVideo() {
		tr.Width = rapid.Uint16().Draw(t, "width")
		tr.Height = rapid.Uint16().Draw(t, "height")
	} else {
		tr.Channels = rapid.Uint16Range(1, 8).Draw(t, "channels")
		tr.SampleRate = rapid.SampledFrom([]uint32{8000, 16000, 22050, 44100, 48000}).Draw(t, "rate")
		if tr.Codec == fmp4.Opus {
			tr.SampleRate = 48000
		}
	}
	return tr
}

func genTracks(t *rapid.T) []fmp4.Track {
	n := rapid.IntRange(1, 5).Draw(t, "tracks")
	ids := rapid.SliceOfNDistinct(rapid.Uint32Range(1, 1<<31), n, n, rapid.ID).Draw(t, "ids")
	tracks := make([]fmp4.Track, n)
	for i, id := range ids {
		tracks[i] = genTrack(t, id)
	}
	return tracks
}

func genRun(t *rapid.T, id uint32) fmp4.Run {
	r := fmp4.Run{TrackID: id, BaseDecodeTime: rapid.Uint64().Draw(t, "base")}
	n := rapid.IntRange(0, 20).Draw(t, "samples")
	for range n {
		r.Samples = append(r.Samples, fmp4.Sample{
			Duration:          rapid.Uint32().Draw(t, "duration"),
			CompositionOffset: rapid.Int32().Draw(t, "cto"),
			Sync:              rapid.Bool().Draw(t, "sync"),
			Data:              rapid.SliceOfN(rapid.Byte(), 0, 200).Draw(t, "data"),
		})
	}
	return r
}

// Whatever goes into an init segment and its fragments comes out of a
// parse of the bytes: tracks, and per fragment the sequence, runs, sample
// durations, sizes, composition offsets, sync flags and data.
func TestRoundTripProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tracks := genTracks(t)
		out, err := fmp4.AppendInit(nil, tracks)
		if err != nil {
			t.Fatal(err)
		}
		want := fmp4.File{Tracks: tracks}
		for range rapid.IntRange(0, 4).Draw(t, "fragments") {
			var runs []fmp4.Run
			for _, tr := range rapid.SliceOfNDistinct(rapid.SampledFrom(tracks), 1, len(tracks), func(tr fmp4.Track) uint32 { return tr.ID }).Draw(t, "run tracks") {
				runs = append(runs, genRun(t, tr.ID))
			}
			seq := rapid.Uint32().Draw(t, "sequence")
			out, err = fmp4.AppendFragment(out, seq, runs)
			if err != nil {
				t.Fatal(err)
			}
			want.Fragments = append(want.Fragments, fmp4.Fragment{Sequence: seq, Runs: runs})
		}
		got, err := fmp4.Parse(out)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("parse differs (-wrote +parsed):\n%s", diff)
		}
	})
}

// Every prefix of a valid stream that is not a whole number of boxes fails
// to parse with ErrMalformed, never a panic.
func TestTruncatedProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		tracks := genTracks(t)
		out, err := fmp4.AppendInit(nil, tracks)
		if err != nil {
			t.Fatal(err)
		}
		out, err = fmp4.AppendFragment(out, 1, []fmp4.Run{genRun(t, tracks[0].ID)})
		if err != nil {
			t.Fatal(err)
		}
		cut := rapid.IntRange(1, len(out)-1).Draw(t, "cut")
		boxes, _ := fmp4.Boxes(out)
		whole := false
		for _, b := range boxes {
			if b.Offset == cut {
				whole = true
			}
		}
		_, err = fmp4.Parse(out[:cut])
		if whole {
			if err != nil {
				t.Fatalf("cut at a box boundary %d: %v", cut, err)
			}
			return
		}
		if !errors.Is(err, fmp4.ErrMalformed) {
			t.Fatalf("cut at %d of %d: %v, want ErrMalformed", cut, len(out), err)
		}
	})
}
