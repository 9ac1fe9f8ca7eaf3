package flv

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The vectors below are written from the FLV 10.1 specification (legacy
// tags) and the Enhanced RTMP v1 and v2 specifications: one per packet
// type, FourCC, ModEx form and multitrack mode.
func TestClassifyVideoSpecVectors(t *testing.T) {
	longModEx := append(hx("97 ff 01 00 00 00 07"), make([]byte, 254)...) // UI16 form: 0x0100+1 = 257 bytes
	longModEx = append(longModEx, hx("00 'av01' 0a 0b")...)
	tests := []struct {
		name string
		in   []byte
		want VideoInfo
	}{
		// Legacy FLV.
		{"avc sequence header", hx("17 00 000000 01 64 00 1f"),
			VideoInfo{Kind: KindSequenceStart, FrameType: FrameKey, Codec: CodecAVC, FourCC: FourCCAVC, PacketType: VideoSequenceStart, Tracks: 1, Data: hx("01 64 00 1f")}},
		{"avc keyframe with composition time", hx("17 01 000050 00000002 6588"),
			VideoInfo{Kind: KindKeyframe, FrameType: FrameKey, Codec: CodecAVC, FourCC: FourCCAVC, PacketType: VideoCodedFrames, Tracks: 1, CompositionTime: 80, Data: hx("00000002 6588")}},
		{"avc inter frame, negative composition time", hx("27 01 ffffd8 00000001 41"),
			VideoInfo{Kind: KindFrame, FrameType: FrameInter, Codec: CodecAVC, FourCC: FourCCAVC, PacketType: VideoCodedFrames, Tracks: 1, CompositionTime: -40, Data: hx("00000001 41")}},
		{"avc end of sequence", hx("17 02 000000"),
			VideoInfo{Kind: KindSequenceEnd, FrameType: FrameKey, Codec: CodecAVC, FourCC: FourCCAVC, PacketType: VideoSequenceEnd, Tracks: 1, Data: []byte{}}},
		{"legacy hevc id 12", hx("1c 00 000000 01 01"),
			VideoInfo{Kind: KindSequenceStart, FrameType: FrameKey, Codec: CodecHEVCLegacy, FourCC: FourCCHEVC, PacketType: VideoSequenceStart, Tracks: 1, Data: hx("01 01")}},
		{"sorenson h263 keyframe", hx("12 aa bb"),
			VideoInfo{Kind: KindKeyframe, FrameType: FrameKey, Codec: CodecSorensonH263, PacketType: VideoCodedFrames, Tracks: 1, Data: hx("aa bb")}},
		{"vp6 disposable frame", hx("34 cc"),
			VideoInfo{Kind: KindFrame, FrameType: FrameDisposable, Codec: CodecVP6, PacketType: VideoCodedFrames, Tracks: 1, Data: hx("cc")}},
		{"generated keyframe", hx("42 dd"),
			VideoInfo{Kind: KindKeyframe, FrameType: FrameGeneratedKey, Codec: CodecSorensonH263, PacketType: VideoCodedFrames, Tracks: 1, Data: hx("dd")}},
		{"legacy command, h263", hx("52 00"),
			VideoInfo{Kind: KindCommand, FrameType: FrameCommand, Codec: CodecSorensonH263, PacketType: VideoCodedFrames, Tracks: 1, Command: CommandStartSeek}},
		{"legacy command, avc", hx("57 01 000000 01"),
			VideoInfo{Kind: KindCommand, FrameType: FrameCommand, Codec: CodecAVC, FourCC: FourCCAVC, PacketType: VideoCodedFrames, Tracks: 1, Command: CommandEndSeek}},

		// Enhanced RTMP v1: every packet type and video FourCC.
		{"hvc1 sequence start", hx("90 'hvc1' 01 02"),
			VideoInfo{Kind: KindSequenceStart, FrameType: FrameKey, Enhanced: true, FourCC: FourCCHEVC, PacketType: VideoSequenceStart, Tracks: 1, Data: hx("01 02")}},
		{"hvc1 coded frames keyframe", hx("91 'hvc1' 000028 0000000a 2601"),
			VideoInfo{Kind: KindKeyframe, FrameType: FrameKey, Enhanced: true, FourCC: FourCCHEVC, PacketType: VideoCodedFrames, Tracks: 1, CompositionTime: 40, Data: hx("0000000a 2601")}},
		{"hvc1 coded frames x inter", hx("a3 'hvc1' 00000002 0201"),
			VideoInfo{Kind: KindFrame, FrameType: FrameInter, Enhanced: true, FourCC: FourCCHEVC, PacketType: VideoCodedFramesX, Tracks: 1, Data: hx("00000002 0201")}},
		{"avc1 coded frames", hx("a1 'avc1' fffff6 00000001 41"),
			VideoInfo{Kind: KindFrame, FrameType: FrameInter, Enhanced: true, FourCC: FourCCAVC, PacketType: VideoCodedFrames, Tracks: 1, CompositionTime: -10, Data: hx("00000001 41")}},
		{"av01 sequence start", hx("90 'av01' 81 00 0c 00"),
			VideoInfo{Kind: KindSequenceStart, FrameType: FrameKey, Enhanced: true, FourCC: FourCCAV1, PacketType: VideoSequenceStart, Tracks: 1, Data: hx("81 00 0c 00")}},
		{"av01 coded frames carry no composition time", hx("91 'av01' 12 00 0a"),
			VideoInfo{Kind: KindKeyframe, FrameType: FrameKey, Enhanced: true, FourCC: FourCCAV1, PacketType: VideoCodedFrames, Tracks: 1, Data: hx("12 00 0a")}},
		{"av01 sequence end", hx("92 'av01'"),
			VideoInfo{Kind: KindSequenceEnd, FrameType: FrameKey, Enhanced: true, FourCC: FourCCAV1, PacketType: VideoSequenceEnd, Tracks: 1, Data: []byte{}}},
		{"av01 mpeg2-ts sequence start", hx("95 'av01' 80 04"),
			VideoInfo{Kind: KindSequenceStart, FrameType: FrameKey, Enhanced: true, FourCC: FourCCAV1, PacketType: VideoMPEG2TSSequenceStart, Tracks: 1, Data: hx("80 04")}},
		{"vp09 inter frame", hx("a1 'vp09' 77"),
			VideoInfo{Kind: KindFrame, FrameType: FrameInter, Enhanced: true, FourCC: FourCCVP9, PacketType: VideoCodedFrames, Tracks: 1, Data: hx("77")}},
		{"vp09 sequence start", hx("90 'vp09' 01 00 00 00"),
			VideoInfo{Kind: KindSequenceStart, FrameType: FrameKey, Enhanced: true, FourCC: FourCCVP9, PacketType: VideoSequenceStart, Tracks: 1, Data: hx("01 00 00 00")}},
		{"metadata (command frame type does not apply)", hx("d4 'hvc1' 02 0009 'colorInfo'"),
			VideoInfo{Kind: KindMetadata, FrameType: FrameCommand, Enhanced: true, FourCC: FourCCHEVC, PacketType: VideoMetadata, Tracks: 1, Data: hx("02 0009 'colorInfo'")}},
		{"enhanced command frame", hx("d1 01"),
			VideoInfo{Kind: KindCommand, FrameType: FrameCommand, Enhanced: true, PacketType: VideoCodedFrames, Tracks: 1, Command: CommandEndSeek}},

		// Enhanced RTMP v2 ModEx.
		{"modex nano offset", hx("97 02 01e240 01 'hvc1' 000000 aa"),
			VideoInfo{Kind: KindKeyframe, FrameType: FrameKey, Enhanced: true, FourCC: FourCCHEVC, PacketType: VideoCodedFrames, Tracks: 1, TimestampNanoOffset: 123456, Data: hx("aa")}},
		{"modex 16-bit size form", longModEx,
			VideoInfo{Kind: KindSequenceStart, FrameType: FrameKey, Enhanced: true, FourCC: FourCCAV1, PacketType: VideoSequenceStart, Tracks: 1, TimestampNanoOffset: 7, Data: hx("0a 0b")}},
		{"unknown modex type is skipped", hx("97 00 aa 11 'vp09' bb"),
			VideoInfo{Kind: KindKeyframe, FrameType: FrameKey, Enhanced: true, FourCC: FourCCVP9, PacketType: VideoCodedFrames, Tracks: 1, Data: hx("bb")}},
		{"modex chain then multitrack", hx("97 00 aa 17 02 000064 06 01 'av01' 05 cc"),
			VideoInfo{Kind: KindKeyframe, FrameType: FrameKey, Enhanced: true, FourCC: FourCCAV1, PacketType: VideoCodedFrames, Multitrack: true, MultitrackMode: OneTrack, TrackID: 5, Tracks: 1, TimestampNanoOffset: 100, Data: hx("cc")}},

		// Enhanced RTMP v2 multitrack, all three modes.
		{"multitrack one track", hx("96 01 'hvc1' 02 000000 aa"),
			VideoInfo{Kind: KindKeyframe, FrameType: FrameKey, Enhanced: true, FourCC: FourCCHEVC, PacketType: VideoCodedFrames, Multitrack: true, MultitrackMode: OneTrack, TrackID: 2, Tracks: 1, Data: hx("aa")}},
		{"multitrack many tracks", hx("96 10 'av01' 00 000002 aabb 01 000001 cc"),
			VideoInfo{Kind: KindSequenceStart, FrameType: FrameKey, Enhanced: true, FourCC: FourCCAV1, PacketType: VideoSequenceStart, Multitrack: true, MultitrackMode: ManyTracks, TrackID: 0, Tracks: 2, Data: hx("aabb")}},
		{"multitrack many tracks many codecs", hx("a6 21 'hvc1' 03 000005 000014 eeff 'av01' 04 000001 99"),
			VideoInfo{Kind: KindFrame, FrameType: FrameInter, Enhanced: true, FourCC: FourCCHEVC, PacketType: VideoCodedFrames, Multitrack: true, MultitrackMode: ManyTracksManyCodecs, TrackID: 3, Tracks: 2, CompositionTime: 20, Data: hx("eeff")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ClassifyVideo(tc.in)
			if err != nil {
				t.Fatalf("ClassifyVideo(% x): %v", tc.in, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ClassifyVideo(% x) mismatch (-want +got):\n%s", tc.in, diff)
			}
			if !within(got.Data, tc.in) {
				t.Errorf("Data is not a sub-slice of the payload")
			}
		})
	}
}

func TestClassifyVideoErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"frame type 0", hx("07 00 000000"), ErrReserved},
		{"frame type 7", hx("77 00 000000"), ErrReserved},
		{"enhanced frame type 6", hx("e1 'vp09'"), ErrReserved},
		{"legacy codec 0", hx("10"), ErrReserved},
		{"avc without packet type", hx("17"), ErrTruncated},
		{"avc without composition time", hx("17 01 0000"), ErrTruncated},
		{"avc packet type 3", hx("17 03 000000"), ErrReserved},
		{"legacy command without byte", hx("52"), ErrTruncated},
		{"short fourcc", hx("91 'hv'"), ErrTruncated},
		{"hvc1 coded frames without composition time", hx("91 'hvc1' 00"), ErrTruncated},
		{"packet type 8", hx("98 'hvc1'"), ErrReserved},
		{"packet type 15", hx("9f 'hvc1'"), ErrReserved},
		{"modex without size", hx("97"), ErrTruncated},
		{"modex data past end", hx("97 02 0000"), ErrTruncated},
		{"modex without type byte", hx("97 02 000000"), ErrTruncated},
		{"modex 16-bit size cut", hx("97 ff 01"), ErrTruncated},
		{"modex nano offset under 3 bytes", hx("97 01 0000 01 'hvc1' 000000"), ErrTruncated},
		{"enhanced command without byte", hx("d1"), ErrTruncated},
		{"multitrack without mode byte", hx("96"), ErrTruncated},
		{"multitrack mode 3", hx("96 31 'hvc1' 00 000000 00"), ErrReserved},
		{"nested multitrack", hx("96 06 'hvc1' 00"), ErrMultitrack},
		{"modex inside multitrack", hx("96 07 'hvc1' 00"), ErrMultitrack},
		{"multitrack with no tracks", hx("96 11 'hvc1'"), ErrMultitrack},
		{"track size past the end", hx("96 13 'hvc1' 00 000005 aa"), ErrMultitrack},
		{"track without size", hx("96 13 'hvc1' 00 0000"), ErrTruncated},
		{"second track cut in its fourcc", hx("96 23 'hvc1' 00 000000 'av'"), ErrTruncated},
		{"track cut before its id", hx("96 03 'hvc1'"), ErrMultitrack},
		{"hvc1 track without composition time", hx("96 11 'hvc1' 00 000002 0000"), ErrTruncated},
		{"reserved packet type inside multitrack", hx("96 08 'hvc1' 00"), ErrReserved},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ClassifyVideo(tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("ClassifyVideo(% x) = %+v, %v; want error %v", tc.in, got, err, tc.want)
			}
			if diff := cmp.Diff(VideoInfo{}, got); diff != "" && tc.want != nil {
				t.Errorf("an error must come with a zero VideoInfo:\n%s", diff)
			}
		})
	}
}

func TestVideoTracksWalksWithoutCopying(t *testing.T) {
	in := hx("a6 21 'hvc1' 03 000005 000014 eeff 'av01' 04 000001 99 'vp09' 07 000000")
	var got []VideoTrack
	it := VideoTracks(in)
	for it.Next() {
		tr := it.Track()
		if !within(tr.Body, in) || !within(tr.Data, in) {
			t.Fatalf("track %d copies its bytes", tr.ID)
		}
		got = append(got, tr)
	}
	if err := it.Err(); err != nil {
		t.Fatal(err)
	}
	want := []VideoTrack{
		{ID: 3, FourCC: FourCCHEVC, PacketType: VideoCodedFrames, CompositionTime: 20, Body: hx("000014 eeff"), Data: hx("eeff")},
		{ID: 4, FourCC: FourCCAV1, PacketType: VideoCodedFrames, Body: hx("99"), Data: hx("99")},
		{ID: 7, FourCC: FourCCVP9, PacketType: VideoCodedFrames, Body: []byte{}, Data: []byte{}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tracks mismatch (-want +got):\n%s", diff)
	}
}

func TestVideoTracksOfPlainMessages(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		want []VideoTrack
	}{
		{"legacy avc", hx("27 01 000028 ab"), []VideoTrack{{FourCC: FourCCAVC, PacketType: VideoCodedFrames, CompositionTime: 40, Body: hx("01 000028 ab"), Data: hx("ab")}}},
		{"enhanced", hx("90 'av01' 81"), []VideoTrack{{FourCC: FourCCAV1, PacketType: VideoSequenceStart, Body: hx("81"), Data: hx("81")}}},
		{"command", hx("d1 00"), nil},
	} {
		var got []VideoTrack
		it := VideoTracks(tc.in)
		for it.Next() {
			got = append(got, it.Track())
		}
		if it.Err() != nil {
			t.Fatalf("%s: %v", tc.name, it.Err())
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: tracks mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
	it := VideoTracks(hx("96 13 'hvc1' 00 000005 aa"))
	if it.Next() || !errors.Is(it.Err(), ErrMultitrack) {
		t.Errorf("bad multitrack: Next or Err wrong (err %v)", it.Err())
	}
}

func TestExtractVideoTrack(t *testing.T) {
	many := hx("96 21 'hvc1' 00 000005 000014 eeff 'av01' 01 000001 99")
	tests := []struct {
		name string
		in   []byte
		id   uint8
		want []byte
	}{
		{"track 0 of many codecs keeps its composition time", many, 0, hx("91 'hvc1' 000014 eeff")},
		{"track 1 of many codecs", many, 1, hx("91 'av01' 99")},
		{"one track, modex dropped", hx("97 02 000064 06 00 'avc1' 09 0164001f"), 9, hx("90 'avc1' 0164001f")},
		{"plain message is copied for track 0", hx("17 00 000000 01"), 0, hx("17 00 000000 01")},
	}
	for _, tc := range tests {
		prefix := []byte("keep")
		got, err := ExtractVideoTrack(prefix, tc.in, tc.id)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !bytes.Equal(got, append([]byte("keep"), tc.want...)) {
			t.Errorf("%s: got % x, want keep+% x", tc.name, got, tc.want)
		}
		info, err := ClassifyVideo(got[4:])
		if err != nil || info.Multitrack {
			t.Errorf("%s: extracted message does not classify as single-track: %+v %v", tc.name, info, err)
		}
	}
	if _, err := ExtractVideoTrack(nil, many, 5); !errors.Is(err, ErrTrackNotFound) {
		t.Errorf("missing track: err %v", err)
	}
	if _, err := ExtractVideoTrack(nil, hx("17 00 000000"), 1); !errors.Is(err, ErrTrackNotFound) {
		t.Errorf("track 1 of a plain message: err %v", err)
	}
	if _, err := ExtractVideoTrack(nil, hx("96 13 'hvc1' 00 000005 aa"), 0); !errors.Is(err, ErrMultitrack) {
		t.Errorf("bad multitrack: err %v", err)
	}
}

func TestClassifyVideoAllocatesNothing(t *testing.T) {
	in := hx("a6 21 'hvc1' 03 000005 000014 eeff 'av01' 04 000001 99")
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := ClassifyVideo(in); err != nil {
			t.Fatal(err)
		}
		it := VideoTracks(in)
		for it.Next() {
			_ = it.Track()
		}
	})
	if allocs != 0 {
		t.Errorf("ClassifyVideo and VideoTracks allocate %v times per call", allocs)
	}
}
