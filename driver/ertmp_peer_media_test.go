package driver_test

import (
	"encoding/binary"
	"testing"

	"github.com/gortmp/rtmp/codec/flv"
)

// The streams the Enhanced RTMP peer publishes: the repository's samples
// (see testdata/README.md) as gortmplib tracks, the 6-frame HEVC, AV1 and
// VP9 samples looped so a stream has several keyframes, H.264 and AAC from
// the short FLV sample (which rtmpdump and ffmpeg then decode), and Opus
// packets, which no player here decodes, made up.

const vp9Sample = "../testdata/media/vp9-160x90.ivf"

// scriptTracks indexes: which script track each codec of a scenario is.
type peerScenario struct {
	name   string
	script peerScript
	// cuts are the media times at which late players join.
	cuts []int64
}

// loopVideo adds frames, looped, one every 100 ms while before end, to
// script track tr; units splits a frame for gortmplib (nil: the frame
// whole, as Data).
func loopVideo(s *peerScript, tr int, frames [][]byte, end int64, units func([]byte) [][]byte) {
	for i := 0; int64(i)*100 < end; i++ {
		f := scriptFrame{Track: tr, DTS: int64(i) * 100, PTS: int64(i) * 100}
		if units != nil {
			f.Units = units(frames[i%len(frames)])
		} else {
			f.Data = frames[i%len(frames)]
		}
		s.Frames = append(s.Frames, f)
	}
}

// opusPackets adds an Opus packet every 20 ms before end to script track
// tr; each is numbered, so every one differs.
func opusPackets(s *peerScript, tr int, end int64) {
	for i := 0; int64(i)*20 < end; i++ {
		s.Frames = append(s.Frames, scriptFrame{Track: tr, DTS: int64(i) * 20, PTS: int64(i) * 20,
			Data: []byte{0xfc, byte(i >> 8), byte(i), 0x5a, 0xa5}})
	}
}

// flvSample is the short sample's H.264 and AAC as script material.
type flvSample struct {
	sps, pps, aacConfig []byte
	video, audio        []scriptFrame
}

func loadFLVSample(t *testing.T, videoTrack, audioTrack int) flvSample {
	t.Helper()
	var s flvSample
	for _, tag := range readTags(t, shortSample) {
		switch tag.Type {
		case flv.TagVideo:
			info, err := flv.ClassifyVideo(tag.Data)
			if err != nil {
				t.Fatal(err)
			}
			switch info.Kind {
			case flv.KindSequenceStart:
				s.sps, s.pps = avcParameterSets(t, info.Data)
			case flv.KindKeyframe, flv.KindFrame:
				s.video = append(s.video, scriptFrame{Track: videoTrack, DTS: int64(tag.Timestamp),
					PTS: int64(tag.Timestamp) + int64(info.CompositionTime), Units: nalUnits(t, info.Data)})
			}
		case flv.TagAudio:
			info, err := flv.ClassifyAudio(tag.Data)
			if err != nil {
				t.Fatal(err)
			}
			if info.Kind == flv.KindSequenceStart {
				s.aacConfig = info.Data
			} else {
				s.audio = append(s.audio, scriptFrame{Track: audioTrack, DTS: int64(tag.Timestamp), PTS: int64(tag.Timestamp), Data: info.Data})
			}
		}
	}
	if s.sps == nil || s.aacConfig == nil || len(s.video) != 30 {
		t.Fatalf("short sample: %d video frames, SPS %v, AAC config %v", len(s.video), s.sps != nil, s.aacConfig != nil)
	}
	return s
}

// avcParameterSets reads the first SPS and PPS of an avcC record.
func avcParameterSets(t *testing.T, rec []byte) (sps, pps []byte) {
	t.Helper()
	if len(rec) < 8 || rec[5]&0x1f < 1 {
		t.Fatal("avcC without an SPS")
	}
	n := int(binary.BigEndian.Uint16(rec[6:]))
	if len(rec) < 8+n+3 {
		t.Fatal("avcC cut")
	}
	sps, rest := rec[8:8+n], rec[8+n:]
	m := int(binary.BigEndian.Uint16(rest[1:]))
	if rest[0] < 1 || len(rest) < 3+m {
		t.Fatal("avcC without a PPS")
	}
	return sps, rest[3 : 3+m]
}

// peerScenarios are the streams of the interop tests: one per codec, and
// a multitrack one as OBS 31 and gortmplib write it (video track 0 H.264,
// track 1 H.265; audio track 0 AAC, track 1 Opus; one track per message).
// Late players join twice: with track 1's latest keyframe before track
// 0's, and after it.
func peerScenarios(t *testing.T) []peerScenario {
	t.Helper()
	hevc, av1 := loadHEVC(t), loadAV1(t)
	hevcUnits := func(au []byte) [][]byte { return nalUnits(t, au) }
	av1Units := func(tu []byte) [][]byte { return obus(t, tu) }
	vp9 := ivfFrames(t, vp9Sample)

	var out []peerScenario

	s := peerScript{Tracks: []scriptTrack{{Codec: "h265"}, {Codec: "aac"}}}
	sample := loadFLVSample(t, 0, 1)
	s.Tracks[1].Config = sample.aacConfig
	loopVideo(&s, 0, hevc.frames, 1800, hevcUnits)
	for _, f := range sample.audio {
		if f.DTS < 1800 {
			s.Frames = append(s.Frames, f)
		}
	}
	out = append(out, peerScenario{name: "hevc+aac", script: s, cuts: []int64{1150, 1450}})

	s = peerScript{Tracks: []scriptTrack{{Codec: "av1"}, {Codec: "opus", Channels: 2}}}
	loopVideo(&s, 0, av1.frames, 1800, av1Units)
	opusPackets(&s, 1, 1800)
	out = append(out, peerScenario{name: "av1+opus", script: s, cuts: []int64{1150, 1450}})

	s = peerScript{Tracks: []scriptTrack{{Codec: "vp9"}, {Codec: "opus", Channels: 2}}}
	loopVideo(&s, 0, vp9, 1800, nil)
	opusPackets(&s, 1, 1800)
	out = append(out, peerScenario{name: "vp9+opus", script: s, cuts: []int64{1150, 1450}})

	out = append(out, peerScenario{name: "multitrack", script: multitrackScript(t), cuts: []int64{1150, 1250}})
	for i := range out {
		out[i].script.sortFrames()
	}
	return out
}

// multitrackScript: H.264 keyframes at 0 and 1000 ms, H.265 every 300 ms,
// so a late player at 1150 ms finds track 1's latest keyframe (900 ms)
// before track 0's, and one at 1250 ms after it (1200 ms).
func multitrackScript(t *testing.T) peerScript {
	t.Helper()
	sample := loadFLVSample(t, 0, 2)
	s := peerScript{Tracks: []scriptTrack{
		{Codec: "h264", SPS: sample.sps, PPS: sample.pps}, {Codec: "h265"},
		{Codec: "aac", Config: sample.aacConfig}, {Codec: "opus", Channels: 2},
	}}
	s.Frames = append(s.Frames, sample.video...)
	s.Frames = append(s.Frames, sample.audio...)
	loopVideo(&s, 1, loadHEVC(t).frames, 2000, func(au []byte) [][]byte { return nalUnits(t, au) })
	opusPackets(&s, 3, 2000)
	s.sortFrames()
	return s
}
