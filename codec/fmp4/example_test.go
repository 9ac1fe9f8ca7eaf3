package fmp4_test

import (
	"fmt"
	"log"

	"github.com/gortmp/rtmp/codec/fmp4"
)

// A live stream's messages become an init segment and fragments: Tags
// says when the track set changes and hands out samples, the Muxer cuts a
// fragment before each keyframe.
func ExampleTags() {
	messages := []struct {
		typeID uint8
		ms     uint32
		body   []byte
	}{
		{fmp4.TypeVideo, 0, append([]byte{0x17, 0, 0, 0, 0}, avcRecord...)}, // AVC sequence header
		{fmp4.TypeAudio, 0, []byte{0xaf, 0, 0x12, 0x10}},                    // AAC sequence header
		{fmp4.TypeVideo, 0, []byte{0x17, 1, 0, 0, 0x28, 0, 0, 0, 1, 0x65}},  // keyframe, shown 40 ms later
		{fmp4.TypeAudio, 0, []byte{0xaf, 1, 0x21}},
		{fmp4.TypeVideo, 40, []byte{0x27, 1, 0, 0, 0, 0, 0, 0, 1, 0x41}},
		{fmp4.TypeAudio, 23, []byte{0xaf, 1, 0x21}},
		{fmp4.TypeVideo, 80, []byte{0x17, 1, 0, 0, 0x28, 0, 0, 0, 1, 0x65}},
	}
	var tags fmp4.Tags
	var mux fmp4.Muxer
	var out []byte
	for _, m := range messages {
		ev, err := tags.Push(m.typeID, m.ms, m.body)
		if err != nil {
			log.Fatal(err)
		}
		if ev.TracksChanged {
			fmt.Println("tracks changed:", len(tags.Tracks()))
		}
		for _, s := range ev.Samples {
			if out == nil {
				out, _ = fmp4.AppendInit(out, tags.Tracks())
			}
			mux.Add(s) // a keyframe ends the fragment before it
			if s.Keyframe {
				out, _ = mux.AppendFragment(out)
			}
		}
	}
	out, _ = mux.Flush(out)

	f, err := fmp4.Parse(out)
	if err != nil {
		log.Fatal(err)
	}
	for _, tr := range f.Tracks {
		fmt.Printf("track %d: %v, timescale %d, %dx%d %d Hz\n", tr.ID, tr.Codec, tr.Timescale, tr.Width, tr.Height, tr.SampleRate)
	}
	for _, fr := range f.Fragments {
		for _, r := range fr.Runs {
			fmt.Printf("fragment %d track %d at %d:", fr.Sequence, r.TrackID, r.BaseDecodeTime)
			for _, s := range r.Samples {
				fmt.Printf(" [%d bytes, %d long, offset %d, sync %v]", len(s.Data), s.Duration, s.CompositionOffset, s.Sync)
			}
			fmt.Println()
		}
	}
	// Output:
	// tracks changed: 1
	// tracks changed: 2
	// track 1: h264, timescale 90000, 320x240 0 Hz
	// track 2: aac, timescale 44100, 0x0 44100 Hz
	// fragment 1 track 1 at 0: [5 bytes, 3600 long, offset 3600, sync true] [5 bytes, 3600 long, offset 0, sync false]
	// fragment 1 track 2 at 0: [1 bytes, 1014 long, offset 0, sync true]
	// fragment 2 track 1 at 7200: [5 bytes, 3600 long, offset 3600, sync true]
	// fragment 2 track 2 at 1014: [1 bytes, 1014 long, offset 0, sync true]
}
