package flv

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Audio vectors from the FLV 10.1 specification (legacy) and Enhanced RTMP
// v1/v2: each audio packet type, FourCC, channel order and multitrack mode.
func TestClassifyAudioSpecVectors(t *testing.T) {
	opusHead := hx("'OpusHead' 01 02 3801 80bb0000 0000 00")
	tests := []struct {
		name string
		in   []byte
		want AudioInfo
	}{
		{"aac sequence header", hx("af 00 1210"),
			AudioInfo{Kind: KindSequenceStart, Format: SoundAAC, Rate: 3, Bits16: true, Stereo: true, FourCC: FourCCAAC, PacketType: AudioSequenceStart, Tracks: 1, Data: hx("1210")}},
		{"aac raw", hx("af 01 2100"),
			AudioInfo{Kind: KindFrame, Format: SoundAAC, Rate: 3, Bits16: true, Stereo: true, FourCC: FourCCAAC, PacketType: AudioCodedFrames, Tracks: 1, Data: hx("2100")}},
		{"mp3 44k 16-bit mono", hx("2e fffb"),
			AudioInfo{Kind: KindFrame, Format: SoundMP3, Rate: 3, Bits16: true, FourCC: 0, PacketType: AudioCodedFrames, Tracks: 1, Data: hx("fffb")}},
		{"speex", hx("b2 01"),
			AudioInfo{Kind: KindFrame, Format: SoundSpeex, Bits16: true, PacketType: AudioCodedFrames, Tracks: 1, Data: hx("01")}},
		{"g711 a-law 8-bit 5.5k mono, no data", hx("70"),
			AudioInfo{Kind: KindFrame, Format: SoundG711ALaw, PacketType: AudioCodedFrames, Tracks: 1, Data: []byte{}}},

		{"Opus sequence start", append(hx("90 'Opus'"), opusHead...),
			AudioInfo{Kind: KindSequenceStart, Format: SoundExHeader, Enhanced: true, FourCC: FourCCOpus, PacketType: AudioSequenceStart, Tracks: 1, Data: opusHead}},
		{"fLaC coded frames", hx("91 'fLaC' fff8"),
			AudioInfo{Kind: KindFrame, Format: SoundExHeader, Enhanced: true, FourCC: FourCCFLAC, PacketType: AudioCodedFrames, Tracks: 1, Data: hx("fff8")}},
		{"ac-3 sequence end", hx("92 'ac-3'"),
			AudioInfo{Kind: KindSequenceEnd, Format: SoundExHeader, Enhanced: true, FourCC: FourCCAC3, PacketType: AudioSequenceEnd, Tracks: 1, Data: []byte{}}},
		{"ec-3 multichannel native order", hx("94 'ec-3' 01 06 0000003f"),
			AudioInfo{Kind: KindChannelConfig, Format: SoundExHeader, Enhanced: true, FourCC: FourCCEAC3, PacketType: AudioMultichannelConfig, Tracks: 1, Data: hx("01 06 0000003f")}},
		{"mp4a multichannel custom order", hx("94 'mp4a' 02 03 000102"),
			AudioInfo{Kind: KindChannelConfig, Format: SoundExHeader, Enhanced: true, FourCC: FourCCAAC, PacketType: AudioMultichannelConfig, Tracks: 1, Data: hx("02 03 000102")}},
		{".mp3 multichannel unspecified order", hx("94 '.mp3' 00 02"),
			AudioInfo{Kind: KindChannelConfig, Format: SoundExHeader, Enhanced: true, FourCC: FourCCMP3, PacketType: AudioMultichannelConfig, Tracks: 1, Data: hx("00 02")}},
		{"mp4a sequence start", hx("90 'mp4a' 1210"),
			AudioInfo{Kind: KindSequenceStart, Format: SoundExHeader, Enhanced: true, FourCC: FourCCAAC, PacketType: AudioSequenceStart, Tracks: 1, Data: hx("1210")}},
		{"modex nano offset", hx("97 02 000064 01 'Opus' fc"),
			AudioInfo{Kind: KindFrame, Format: SoundExHeader, Enhanced: true, FourCC: FourCCOpus, PacketType: AudioCodedFrames, TimestampNanoOffset: 100, Tracks: 1, Data: hx("fc")}},
		{"multitrack one track", hx("95 01 'Opus' 03 fc"),
			AudioInfo{Kind: KindFrame, Format: SoundExHeader, Enhanced: true, FourCC: FourCCOpus, PacketType: AudioCodedFrames, Multitrack: true, MultitrackMode: OneTrack, TrackID: 3, Tracks: 1, Data: hx("fc")}},
		{"multitrack many tracks", hx("95 11 'mp4a' 00 000002 aabb 01 000001 cc"),
			AudioInfo{Kind: KindFrame, Format: SoundExHeader, Enhanced: true, FourCC: FourCCAAC, PacketType: AudioCodedFrames, Multitrack: true, MultitrackMode: ManyTracks, Tracks: 2, Data: hx("aabb")}},
		{"multitrack many codecs sequence start", hx("95 20 'Opus' 01 000001 aa 'mp4a' 02 000002 1210"),
			AudioInfo{Kind: KindSequenceStart, Format: SoundExHeader, Enhanced: true, FourCC: FourCCOpus, PacketType: AudioSequenceStart, Multitrack: true, MultitrackMode: ManyTracksManyCodecs, TrackID: 1, Tracks: 2, Data: hx("aa")}},
		{"multitrack channel configs", hx("95 14 'ec-3' 00 000002 0002 01 000006 01060000003f"),
			AudioInfo{Kind: KindChannelConfig, Format: SoundExHeader, Enhanced: true, FourCC: FourCCEAC3, PacketType: AudioMultichannelConfig, Multitrack: true, MultitrackMode: ManyTracks, Tracks: 2, Data: hx("0002")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ClassifyAudio(tc.in)
			if err != nil {
				t.Fatalf("ClassifyAudio(% x): %v", tc.in, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ClassifyAudio(% x) mismatch (-want +got):\n%s", tc.in, diff)
			}
			if !within(got.Data, tc.in) {
				t.Errorf("Data is not a sub-slice of the payload")
			}
		})
	}
}

func TestClassifyAudioErrors(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrTruncated},
		{"aac without packet type", hx("af"), ErrTruncated},
		{"aac packet type 2", hx("af 02"), ErrReserved},
		{"sound format 12", hx("c0 00"), ErrReserved},
		{"sound format 13", hx("d0 00"), ErrReserved},
		{"short fourcc", hx("91 'Op'"), ErrTruncated},
		{"packet type 3", hx("93 'Opus'"), ErrReserved},
		{"packet type 6", hx("96 'Opus'"), ErrReserved},
		{"packet type 9", hx("99 'Opus'"), ErrReserved},
		{"native channel config without flags", hx("94 'ec-3' 01 02 0000"), ErrTruncated},
		{"custom channel config short mapping", hx("94 'mp4a' 02 03 0001"), ErrTruncated},
		{"channel config without count", hx("94 'mp4a' 00"), ErrTruncated},
		{"modex cut", hx("97 02 00"), ErrTruncated},
		{"multitrack mode 4", hx("95 41 'Opus' 00"), ErrReserved},
		{"nested multitrack", hx("95 05 'Opus' 00"), ErrMultitrack},
		{"modex inside multitrack", hx("95 07 'Opus' 00"), ErrMultitrack},
		{"no tracks", hx("95 11 'Opus'"), ErrMultitrack},
		{"track size past end", hx("95 11 'Opus' 00 000009 aa"), ErrMultitrack},
		{"bad channel config in second track", hx("95 14 'ec-3' 00 000002 0002 01 000003 010600"), ErrTruncated},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ClassifyAudio(tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("ClassifyAudio(% x) = %+v, %v; want error %v", tc.in, got, err, tc.want)
			}
			if diff := cmp.Diff(AudioInfo{}, got); diff != "" {
				t.Errorf("an error must come with a zero AudioInfo:\n%s", diff)
			}
		})
	}
}

func TestAudioTracksAndExtract(t *testing.T) {
	in := hx("95 21 'Opus' 01 000001 aa 'mp4a' 02 000002 2100")
	var got []AudioTrack
	it := AudioTracks(in)
	for it.Next() {
		tr := it.Track()
		if !within(tr.Data, in) {
			t.Fatalf("track %d copies its bytes", tr.ID)
		}
		got = append(got, tr)
	}
	if it.Err() != nil {
		t.Fatal(it.Err())
	}
	want := []AudioTrack{
		{ID: 1, FourCC: FourCCOpus, PacketType: AudioCodedFrames, Data: hx("aa")},
		{ID: 2, FourCC: FourCCAAC, PacketType: AudioCodedFrames, Data: hx("2100")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tracks mismatch (-want +got):\n%s", diff)
	}

	one, err := ExtractAudioTrack(nil, in, 2)
	if err != nil || !bytes.Equal(one, hx("91 'mp4a' 2100")) {
		t.Errorf("ExtractAudioTrack(2) = % x, %v", one, err)
	}
	legacy := hx("af 01 2100")
	if same, err := ExtractAudioTrack(nil, legacy, 0); err != nil || !bytes.Equal(same, legacy) {
		t.Errorf("plain message not copied: % x, %v", same, err)
	}
	if _, err := ExtractAudioTrack(nil, in, 0); !errors.Is(err, ErrTrackNotFound) {
		t.Errorf("missing track: %v", err)
	}
	if _, err := ExtractAudioTrack(nil, hx("95 11 'Opus' 00 000009 aa"), 0); !errors.Is(err, ErrMultitrack) {
		t.Errorf("bad multitrack: %v", err)
	}
}

func TestFourCCString(t *testing.T) {
	for f, want := range map[FourCC]string{FourCCHEVC: "hvc1", FourCCMP3: ".mp3", FourCCAC3: "ac-3", 0x00010203: "0x00010203"} {
		if got := f.String(); got != want {
			t.Errorf("FourCC(%#x).String() = %q, want %q", uint32(f), got, want)
		}
	}
}
