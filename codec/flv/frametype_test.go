package flv

import (
	"bytes"
	"errors"
	"testing"

	"github.com/gortmp/rtmp/codec/keyframe"
)

// frameTypeZero is p with its frame type cleared, as some libraries write
// every Enhanced RTMP video message.
func frameTypeZero(p []byte) []byte {
	p = bytes.Clone(p)
	p[0] &^= 0x70
	return p
}

func TestAppendResolvedVideo(t *testing.T) {
	idr := []byte{0, 0, 0, 2, 0x65, 0x88}
	nonIDR := []byte{0, 0, 0, 2, 0x41, 0x9a}
	irap := []byte{0, 0, 0, 3, 19 << 1, 1, 0xaf}
	vp9Key, vp9Inter := []byte{0x82, 0x49, 0x83, 0x42}, []byte{0x86, 0x00}
	av1Key := []byte{0x12, 0x00, 0x32, 0x02, 0x10, 0}
	for _, tc := range []struct {
		name string
		in   []byte
		want VideoFrameType
	}{
		{"hevc sequence start", AppendVideo(nil, FrameKey, VideoSequenceStart, FourCCHEVC, 0, []byte{1, 2, 3}), FrameKey},
		{"hevc sequence end", AppendVideo(nil, FrameKey, VideoSequenceEnd, FourCCHEVC, 0, nil), FrameKey},
		{"hevc irap", AppendVideo(nil, FrameKey, VideoCodedFramesX, FourCCHEVC, 0, irap), FrameKey},
		{"avc idr with composition time", AppendVideo(nil, FrameKey, VideoCodedFrames, FourCCAVC, 40, idr), FrameKey},
		{"avc non-idr", AppendVideo(nil, FrameInter, VideoCodedFramesX, FourCCAVC, 0, nonIDR), FrameInter},
		{"vp9 key", AppendVideo(nil, FrameKey, VideoCodedFramesX, FourCCVP9, 0, vp9Key), FrameKey},
		{"vp9 inter", AppendVideo(nil, FrameInter, VideoCodedFramesX, FourCCVP9, 0, vp9Inter), FrameInter},
		{"av1 key", AppendVideo(nil, FrameKey, VideoCodedFramesX, FourCCAV1, 0, av1Key), FrameKey},
		{"multitrack one track", AppendVideoMultitrack(nil, FrameKey, VideoCodedFramesX, []VideoTrack{{ID: 1, FourCC: FourCCHEVC, Data: irap}}), FrameKey},
		{"multitrack keys on every track", AppendVideoMultitrack(nil, FrameKey, VideoCodedFramesX, []VideoTrack{
			{ID: 0, FourCC: FourCCAVC, Data: idr}, {ID: 1, FourCC: FourCCVP9, Data: vp9Key}}), FrameKey},
		{"multitrack key on one track only", AppendVideoMultitrack(nil, FrameInter, VideoCodedFramesX, []VideoTrack{
			{ID: 0, FourCC: FourCCAVC, Data: idr}, {ID: 1, FourCC: FourCCVP9, Data: vp9Inter}}), FrameInter},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, changed, err := AppendResolvedVideo([]byte("kept"), frameTypeZero(tc.in))
			if err != nil || !changed {
				t.Fatalf("changed %v, err %v", changed, err)
			}
			if !bytes.HasPrefix(out, []byte("kept")) {
				t.Fatalf("dst not kept: %q", out)
			}
			out = out[4:]
			want := bytes.Clone(tc.in)
			want[0] = want[0]&0x8f | byte(tc.want)<<4
			if !bytes.Equal(out, want) {
				t.Errorf("resolved % x, want % x", out, want)
			}
			if _, err := ClassifyVideo(out); err != nil {
				t.Errorf("resolved payload does not classify: %v", err)
			}
		})
	}
}

func TestAppendResolvedVideoLeavesValidFrameTypes(t *testing.T) {
	for _, p := range [][]byte{
		AppendVideo(nil, FrameInter, VideoCodedFramesX, FourCCHEVC, 0, []byte{0, 0, 0, 1, 2}),
		{0x17, 0, 0, 0, 0, 1}, // legacy AVC
		{0x07, 0, 0, 0, 0},    // legacy, frame type 0: not Enhanced RTMP, not resolved
		nil,
	} {
		out, changed, err := AppendResolvedVideo(nil, p)
		if changed || err != nil || !bytes.Equal(out, p) {
			t.Errorf("% x: got % x, %v, %v; want it unchanged", p, out, changed, err)
		}
	}
}

func TestAppendResolvedVideoErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		err  error
	}{
		{"unknown codec", AppendVideo(nil, FrameKey, VideoCodedFramesX, FourCCVP8, 0, []byte{1}), ErrReserved},
		{"bad bitstream", AppendVideo(nil, FrameKey, VideoCodedFramesX, FourCCHEVC, 0, []byte{0, 0, 0, 9, 1}), keyframe.ErrTruncated},
		{"truncated header", []byte{0x81, 'h', 'v'}, ErrTruncated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := frameTypeZero(tc.in)
			out, changed, err := AppendResolvedVideo(nil, in)
			if !errors.Is(err, tc.err) || changed || !bytes.Equal(out, in) {
				t.Errorf("got % x, %v, %v; want the payload back and %v", out, changed, err, tc.err)
			}
		})
	}
}
