package fmp4_test

import (
	"testing"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/fmp4"
)

// benchRuns is one second of a 25 fps video track and an AAC track, as a
// fragment of a live stream holds.
func benchRuns() []fmp4.Run {
	video := fmp4.Run{TrackID: 1, BaseDecodeTime: 900000}
	for i := range 25 {
		video.Samples = append(video.Samples, fmp4.Sample{Duration: 3600, CompositionOffset: 7200, Sync: i == 0, Data: make([]byte, 6000)})
	}
	audio := fmp4.Run{TrackID: 2, BaseDecodeTime: 441000}
	for range 43 {
		audio.Samples = append(audio.Samples, fmp4.Sample{Duration: 1024, Sync: true, Data: make([]byte, 300)})
	}
	return []fmp4.Run{video, audio}
}

// Writing into a buffer with room allocates nothing, init segments and
// fragments alike; nor does Tags for a frame, nor the Muxer once its
// buffers have grown to a fragment's size.
func TestAppendAllocatesNothing(t *testing.T) {
	runs := benchRuns()
	tracks := []fmp4.Track{
		{ID: 1, Codec: fmp4.H264, Timescale: 90000, Config: avcRecord, Width: 320, Height: 240},
		{ID: 2, Codec: fmp4.AAC, Timescale: 44100, Config: ascStereo44k, SampleRate: 44100, Channels: 2},
	}
	buf := make([]byte, 0, 1<<20)
	if n := testing.AllocsPerRun(100, func() {
		if _, err := fmp4.AppendFragment(buf, 7, runs); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("AppendFragment: %v allocations", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		if _, err := fmp4.AppendInit(buf, tracks); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("AppendInit: %v allocations", n)
	}
	var tags fmp4.Tags
	push(t, &tags, fmp4.TypeVideo, 0, legacyVideo(flv.FrameKey, 0, 0, avcRecord))
	frame := legacyVideo(flv.FrameInter, 1, 40, make([]byte, 4000))
	if n := testing.AllocsPerRun(100, func() {
		if _, err := tags.Push(fmp4.TypeVideo, 80, frame); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("Tags.Push of a frame: %v allocations", n)
	}
	var mux fmp4.Muxer
	dts := uint64(0)
	gop := func() {
		for i := range 25 {
			dts += 3600
			s := fmp4.TrackSample{TrackID: 1, DTS: dts, Keyframe: i == 0, Sample: fmp4.Sample{Sync: i == 0, Data: frame}}
			mux.Add(s) // a keyframe ends the fragment before it
			if s.Keyframe {
				var err error
				if buf, err = mux.AppendFragment(buf[:0]); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	gop() // the muxer's buffers grow to a GOP's size once
	if n := testing.AllocsPerRun(20, gop); n != 0 {
		t.Errorf("Muxer, a GOP at a time: %v allocations", n)
	}
}

func BenchmarkAppendFragment(b *testing.B) {
	runs := benchRuns()
	buf := make([]byte, 0, 1<<20)
	size := 0
	for _, r := range runs {
		for _, s := range r.Samples {
			size += len(s.Data)
		}
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := fmp4.AppendFragment(buf, 7, runs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTagsPushAndMux(b *testing.B) {
	var tags fmp4.Tags
	var mux fmp4.Muxer
	if _, err := tags.Push(fmp4.TypeVideo, 0, legacyVideo(flv.FrameKey, 0, 0, avcRecord)); err != nil {
		b.Fatal(err)
	}
	frame := legacyVideo(flv.FrameInter, 1, 40, make([]byte, 6000))
	key := legacyVideo(flv.FrameKey, 1, 40, make([]byte, 6000))
	buf := make([]byte, 0, 1<<20)
	b.SetBytes(6000)
	b.ReportAllocs()
	i := uint32(0)
	for b.Loop() {
		body := frame
		if i%25 == 0 {
			body = key
		}
		ev, err := tags.Push(fmp4.TypeVideo, 40*i, body)
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range ev.Samples {
			mux.Add(s) // a keyframe ends the fragment before it
			if s.Keyframe {
				if buf, err = mux.AppendFragment(buf[:0]); err != nil {
					b.Fatal(err)
				}
			}
		}
		i++
	}
}
