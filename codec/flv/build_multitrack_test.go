package flv

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// Multitrack payloads built by AppendVideoMultitrack walk back to the
// same tracks with VideoTracks, and each extracts to the single-track
// message AppendVideo builds for it.
func TestPropAppendVideoMultitrack(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ft := VideoFrameType(rapid.IntRange(1, 4).Draw(t, "frameType"))
		pt := rapid.SampledFrom([]VideoPacketType{VideoSequenceStart, VideoCodedFrames, VideoCodedFramesX, VideoSequenceEnd}).Draw(t, "packetType")
		n := rapid.IntRange(1, 4).Draw(t, "tracks")
		shared := rapid.Bool().Draw(t, "shared")
		codec := rapid.SampledFrom(videoCodecs).Draw(t, "codec")
		var tracks []VideoTrack
		for i := 0; i < n; i++ {
			tr := VideoTrack{ID: uint8(i), FourCC: codec, PacketType: pt}
			if !shared {
				tr.FourCC = rapid.SampledFrom(videoCodecs).Draw(t, "trackCodec")
			}
			tr.Data = rapid.SliceOfN(rapid.Byte(), 0, 12).Draw(t, "data")
			tr.Body = tr.Data
			if pt == VideoCodedFrames && tr.FourCC.hasCompositionTime() {
				tr.CompositionTime = rapid.Int32Range(-1<<23, 1<<23-1).Draw(t, "cto")
				tr.Body = append(append24(nil, uint32(tr.CompositionTime)&0xffffff), tr.Data...)
			}
			tracks = append(tracks, tr)
		}
		msg := AppendVideoMultitrack(nil, ft, pt, tracks)
		var got []VideoTrack
		it := VideoTracks(msg)
		for it.Next() {
			got = append(got, it.Track())
		}
		if it.Err() != nil {
			t.Fatalf("VideoTracks(% x): %v", msg, it.Err())
		}
		if diff := cmp.Diff(tracks, got, cmp.Comparer(func(a, b []byte) bool { return string(a) == string(b) })); diff != "" {
			t.Fatalf("tracks (-built +read):\n%s", diff)
		}
		for _, tr := range tracks {
			single, err := ExtractVideoTrack(nil, msg, tr.ID)
			if err != nil {
				t.Fatal(err)
			}
			want := AppendVideo(nil, ft, pt, tr.FourCC, tr.CompositionTime, tr.Data)
			if string(single) != string(want) {
				t.Fatalf("track %d extracts to % x, want % x", tr.ID, single, want)
			}
		}
	})
}

// The audio builder walks back the same way.
func TestPropAppendAudioMultitrack(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		pt := rapid.SampledFrom([]AudioPacketType{AudioSequenceStart, AudioCodedFrames, AudioSequenceEnd}).Draw(t, "packetType")
		n := rapid.IntRange(1, 4).Draw(t, "tracks")
		var tracks []AudioTrack
		for i := 0; i < n; i++ {
			tracks = append(tracks, AudioTrack{
				ID:         uint8(2 * i),
				FourCC:     rapid.SampledFrom(audioCodecs).Draw(t, "codec"),
				PacketType: pt,
				Data:       rapid.SliceOfN(rapid.Byte(), 0, 12).Draw(t, "data"),
			})
		}
		msg := AppendAudioMultitrack(nil, pt, tracks)
		var got []AudioTrack
		it := AudioTracks(msg)
		for it.Next() {
			got = append(got, it.Track())
		}
		if it.Err() != nil {
			t.Fatalf("AudioTracks(% x): %v", msg, it.Err())
		}
		if diff := cmp.Diff(tracks, got, cmp.Comparer(func(a, b []byte) bool { return string(a) == string(b) })); diff != "" {
			t.Fatalf("tracks (-built +read):\n%s", diff)
		}
	})
}

func TestAppendMultitrackEmpty(t *testing.T) {
	if got := AppendVideoMultitrack([]byte{1}, FrameKey, VideoCodedFrames, nil); string(got) != "\x01" {
		t.Errorf("no video tracks appended % x", got)
	}
	if got := AppendAudioMultitrack([]byte{1}, AudioCodedFrames, nil); string(got) != "\x01" {
		t.Errorf("no audio tracks appended % x", got)
	}
}
