package fmp4_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/fmp4"
)

// avcRecord is an AVCDecoderConfigurationRecord with one SPS (Baseline,
// 320x240) and one PPS, as x264 writes them.
var avcRecord = []byte{
	0x01, 0x42, 0xc0, 0x0d, 0xff, 0xe1, 0x00, 0x19,
	0x67, 0x42, 0xc0, 0x0d, 0xd9, 0x01, 0x41, 0xfb, 0x01, 0x10, 0x00, 0x00, 0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03, 0xc0, 0xf1, 0x42, 0xa4, 0x80,
	0x01, 0x00, 0x04, 0x68, 0xcb, 0x83, 0xcb, 0x20,
}

// ascStereo44k is an AAC-LC AudioSpecificConfig: 44.1 kHz, two channels.
var ascStereo44k = []byte{0x12, 0x10}

func legacyVideo(ft flv.VideoFrameType, packetType byte, cto int32, data []byte) []byte {
	b := []byte{byte(ft)<<4 | byte(flv.CodecAVC), packetType, byte(cto >> 16), byte(cto >> 8), byte(cto)}
	return append(b, data...)
}

func legacyAAC(packetType byte, data []byte) []byte {
	return append([]byte{byte(flv.SoundAAC)<<4 | 0x0f, packetType}, data...)
}

func push(t *testing.T, tags *fmp4.Tags, typeID uint8, ms uint32, body []byte) fmp4.Event {
	t.Helper()
	ev, err := tags.Push(typeID, ms, body)
	if err != nil {
		t.Fatalf("push %d at %d ms: %v", typeID, ms, err)
	}
	return ev
}

// Legacy H.264 and AAC become two tracks numbered in the order their
// configurations came; a repeated configuration changes nothing, a new one
// changes the set; frames carry their decode time, composition offset and
// keyframe flag in the track's timescale.
func TestTagsLegacyH264AAC(t *testing.T) {
	var tags fmp4.Tags
	if ev := push(t, &tags, fmp4.TypeVideo, 0, legacyVideo(flv.FrameInter, 1, 0, []byte{0, 0, 0, 1, 9})); ev.TracksChanged || len(ev.Samples) != 0 {
		t.Fatalf("a frame before any configuration gave %+v", ev)
	}
	if ev := push(t, &tags, fmp4.TypeVideo, 0, legacyVideo(flv.FrameKey, 0, 0, avcRecord)); !ev.TracksChanged {
		t.Fatal("the AVC sequence header did not change the track set")
	}
	if ev := push(t, &tags, fmp4.TypeAudio, 0, legacyAAC(0, ascStereo44k)); !ev.TracksChanged {
		t.Fatal("the AAC sequence header did not change the track set")
	}
	want := []fmp4.Track{
		{ID: 1, Codec: fmp4.H264, Timescale: 90000, Config: avcRecord, Width: 320, Height: 240},
		{ID: 2, Codec: fmp4.AAC, Timescale: 44100, Config: ascStereo44k, SampleRate: 44100, Channels: 2},
	}
	if diff := cmp.Diff(want, tags.Tracks()); diff != "" {
		t.Fatalf("tracks (-want +got):\n%s", diff)
	}
	if ev := push(t, &tags, fmp4.TypeVideo, 40, legacyVideo(flv.FrameKey, 0, 0, avcRecord)); ev.TracksChanged {
		t.Fatal("a repeated sequence header changed the track set")
	}
	frame := []byte{0, 0, 0, 2, 0x65, 0x88}
	ev := push(t, &tags, fmp4.TypeVideo, 1000, legacyVideo(flv.FrameKey, 1, 80, frame))
	wantSample := []fmp4.TrackSample{{TrackID: 1, DTS: 90000, Keyframe: true, Sample: fmp4.Sample{Sync: true, CompositionOffset: 7200, Data: frame}}}
	if diff := cmp.Diff(wantSample, ev.Samples); diff != "" {
		t.Fatalf("video sample (-want +got):\n%s", diff)
	}
	ev = push(t, &tags, fmp4.TypeAudio, 1000, legacyAAC(1, []byte{0x21, 0x10}))
	wantSample = []fmp4.TrackSample{{TrackID: 2, DTS: 44100, Sample: fmp4.Sample{Sync: true, Data: []byte{0x21, 0x10}}}}
	if diff := cmp.Diff(wantSample, ev.Samples); diff != "" {
		t.Fatalf("audio sample (-want +got):\n%s", diff)
	}
	before := tags.Tracks()
	if ev := push(t, &tags, fmp4.TypeAudio, 2000, legacyAAC(0, []byte{0x11, 0x90})); !ev.TracksChanged {
		t.Fatal("a new AudioSpecificConfig did not change the track set")
	}
	if got := tags.Tracks()[1]; got.ID != 2 || got.SampleRate != 48000 || got.Channels != 2 {
		t.Fatalf("changed AAC track = %+v, want id 2 at 48 kHz stereo", got)
	}
	if before[1].SampleRate != 44100 {
		t.Fatal("a track set handed out earlier was modified")
	}
}

// Enhanced RTMP codecs and multitrack: each FLV track id of each media
// kind is a track of its own, and one multitrack message gives a sample
// per track.
func TestTagsEnhancedMultitrack(t *testing.T) {
	var tags fmp4.Tags
	hvcc := []byte{1, 2, 3, 4}
	seq := flv.AppendVideoMultitrack(nil, flv.FrameKey, flv.VideoSequenceStart, []flv.VideoTrack{
		{ID: 0, FourCC: flv.FourCCHEVC, Data: hvcc},
		{ID: 1, FourCC: flv.FourCCAV1, Data: []byte{0x81, 0, 0, 0}},
	})
	if ev := push(t, &tags, fmp4.TypeVideo, 0, seq); !ev.TracksChanged {
		t.Fatal("multitrack sequence start did not change the track set")
	}
	opusHead := append([]byte("OpusHead"), 1, 2, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0)
	if ev := push(t, &tags, fmp4.TypeAudio, 0, flv.AppendAudio(nil, flv.AudioSequenceStart, flv.FourCCOpus, opusHead)); !ev.TracksChanged {
		t.Fatal("Opus sequence start did not change the track set")
	}
	got := tags.Tracks()
	want := []fmp4.Track{
		{ID: 1, Codec: fmp4.H265, Timescale: 90000, Config: hvcc},
		{ID: 2, Codec: fmp4.AV1, Timescale: 90000, Config: []byte{0x81, 0, 0, 0}},
		{ID: 3, Codec: fmp4.Opus, Timescale: 48000, Config: opusHead, SampleRate: 48000, Channels: 2},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("tracks (-want +got):\n%s", diff)
	}
	frames := flv.AppendVideoMultitrack(nil, flv.FrameInter, flv.VideoCodedFrames, []flv.VideoTrack{
		{ID: 0, FourCC: flv.FourCCHEVC, CompositionTime: -20, Data: []byte{0, 0, 0, 1, 2}},
		{ID: 1, FourCC: flv.FourCCAV1, Data: []byte{0x32, 0}},
	})
	ev := push(t, &tags, fmp4.TypeVideo, 100, frames)
	wantSamples := []fmp4.TrackSample{
		{TrackID: 1, DTS: 9000, Sample: fmp4.Sample{CompositionOffset: -1800, Data: []byte{0, 0, 0, 1, 2}}},
		{TrackID: 2, DTS: 9000, Sample: fmp4.Sample{Data: []byte{0x32, 0}}},
	}
	if diff := cmp.Diff(wantSamples, ev.Samples); diff != "" {
		t.Fatalf("multitrack samples (-want +got):\n%s", diff)
	}
	if _, err := fmp4.AppendInit(nil, got); err != nil {
		t.Fatalf("init for the track set: %v", err)
	}
}

// Legacy MP3 has no configuration message: its first frame makes the
// track, and is a sample too.
func TestTagsMP3(t *testing.T) {
	var tags fmp4.Tags
	frame := []byte{0xff, 0xfb, 0x90, 0xc4, 0, 0}
	ev := push(t, &tags, fmp4.TypeAudio, 20, append([]byte{byte(flv.SoundMP3)<<4 | 0x0e}, frame...))
	if !ev.TracksChanged || len(ev.Samples) != 1 {
		t.Fatalf("first MP3 frame gave %+v", ev)
	}
	want := []fmp4.Track{{ID: 1, Codec: fmp4.MP3, Timescale: 44100, SampleRate: 44100, Channels: 1}}
	if diff := cmp.Diff(want, tags.Tracks()); diff != "" {
		t.Fatalf("tracks (-want +got):\n%s", diff)
	}
	if ev.Samples[0].DTS != 882 {
		t.Fatalf("DTS %d, want 882", ev.Samples[0].DTS)
	}
}

// Timestamps go on across the 32-bit wrap.
func TestTagsTimestampWrap(t *testing.T) {
	var tags fmp4.Tags
	push(t, &tags, fmp4.TypeVideo, 0, legacyVideo(flv.FrameKey, 0, 0, avcRecord))
	frame := legacyVideo(flv.FrameInter, 1, 0, []byte{0, 0, 0, 1, 1})
	a := push(t, &tags, fmp4.TypeVideo, 0xffffffff, frame).Samples[0].DTS
	b := push(t, &tags, fmp4.TypeVideo, 39, frame).Samples[0].DTS
	if b-a != 40*90 {
		t.Fatalf("DTS step over the wrap %d, want %d", b-a, 40*90)
	}
}

// Malformed headers and configurations are errors that change nothing;
// other message types and codecs without a sample entry are ignored.
func TestTagsBadInput(t *testing.T) {
	var tags fmp4.Tags
	for _, c := range []struct {
		typeID uint8
		body   []byte
	}{
		{fmp4.TypeVideo, nil},
		{fmp4.TypeVideo, []byte{0x17, 0}},
		{fmp4.TypeAudio, legacyAAC(0, []byte{0x17})},
		{fmp4.TypeAudio, flv.AppendAudio(nil, flv.AudioSequenceStart, flv.FourCCOpus, []byte("OpusHea"))},
		{fmp4.TypeAudio, flv.AppendAudio(nil, flv.AudioSequenceStart, flv.FourCCFLAC, []byte("fLaC"))},
		{fmp4.TypeVideo, legacyVideo(flv.FrameKey, 0, 0, nil)},
	} {
		ev, err := tags.Push(c.typeID, 0, c.body)
		if err == nil || ev.TracksChanged {
			t.Errorf("% x: event %+v, error %v; want an error", c.body, ev, err)
		}
	}
	if len(tags.Tracks()) != 0 {
		t.Fatalf("bad input made tracks %+v", tags.Tracks())
	}
	for _, c := range []struct {
		typeID uint8
		body   []byte
	}{
		{18, []byte{2, 0, 0}},
		{fmp4.TypeVideo, []byte{0x14, 1, 2}}, // VP6
		{fmp4.TypeAudio, []byte{0xb6, 1, 2}}, // Speex
	} {
		if ev, err := tags.Push(c.typeID, 0, c.body); err != nil || ev.TracksChanged || len(ev.Samples) != 0 {
			t.Errorf("type %d % x: %+v, %v; want nothing", c.typeID, c.body, ev, err)
		}
	}
	_, err := fmp4.AppendInit(nil, nil)
	if !errors.Is(err, fmp4.ErrInvalid) {
		t.Fatalf("init without tracks: %v", err)
	}
}

// An AV1 MPEG-2 TS sequence start carries a TS descriptor, not the av1C
// record: it makes no track.
func TestTagsIgnoresMPEG2TSSequenceStart(t *testing.T) {
	var tags fmp4.Tags
	if ev := push(t, &tags, fmp4.TypeVideo, 0, flv.AppendVideo(nil, flv.FrameKey, flv.VideoMPEG2TSSequenceStart, flv.FourCCAV1, 0, []byte{0x80, 0x04})); ev.TracksChanged {
		t.Fatalf("an MPEG-2 TS sequence start made tracks %+v", tags.Tracks())
	}
}

// A ModEx nanosecond offset moves the decode time by less than a
// millisecond, in the track's units; timestamps long into a stream do
// not overflow.
func TestTagsModExNanoOffset(t *testing.T) {
	var tags fmp4.Tags
	push(t, &tags, fmp4.TypeVideo, 0, flv.AppendVideo(nil, flv.FrameKey, flv.VideoSequenceStart, flv.FourCCVP9, 0, []byte{1}))
	// Enhanced header with packet type ModEx, one link: size 3, 500000 ns,
	// then type 0 (nanosecond offset) and the real packet type,
	// CodedFramesX; then the FourCC and the frame.
	frame := []byte{0x80 | byte(flv.FrameInter)<<4 | byte(flv.VideoModEx), 2, 0x07, 0xa1, 0x20, byte(flv.VideoCodedFramesX), 'v', 'p', '0', '9', 0xaa}
	if got := push(t, &tags, fmp4.TypeVideo, 40, frame).Samples[0].DTS; got != 40*90+45 {
		t.Fatalf("DTS %d, want %d", got, 40*90+45)
	}
	if got := push(t, &tags, fmp4.TypeVideo, 4_000_000_000, frame).Samples[0].DTS; got != 4_000_000_000*90+45 {
		t.Fatalf("DTS %d, want %d", got, uint64(4_000_000_000)*90+45)
	}
}
