package fmp4_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/fmp4"
)

// message is one relay message made from a parsed MP4 sample.
type message struct {
	typeID uint8
	ms     uint32
	body   []byte
}

// codecFourCC is the Enhanced RTMP FourCC of each codec.
var codecFourCC = map[fmp4.Codec]flv.FourCC{
	fmp4.H264: flv.FourCCAVC, fmp4.H265: flv.FourCCHEVC, fmp4.AV1: flv.FourCCAV1, fmp4.VP9: flv.FourCCVP9,
	fmp4.AAC: flv.FourCCAAC, fmp4.Opus: flv.FourCCOpus, fmp4.MP3: flv.FourCCMP3, fmp4.FLAC: flv.FourCCFLAC,
	fmp4.AC3: flv.FourCCAC3, fmp4.EAC3: flv.FourCCEAC3,
}

// enhancedMessages turns a parsed fragmented MP4 into the Enhanced RTMP
// messages a publisher would send: each track's sequence start (none for
// MP3), then its frames in decode order, all tracks interleaved by time.
func enhancedMessages(t *testing.T, f *fmp4.File) []message {
	t.Helper()
	var msgs []message
	timescale := map[uint32]uint32{}
	codec := map[uint32]fmp4.Codec{}
	for _, tr := range f.Tracks {
		timescale[tr.ID], codec[tr.ID] = tr.Timescale, tr.Codec
		cc := codecFourCC[tr.Codec]
		switch {
		case tr.Codec.IsVideo():
			msgs = append(msgs, message{fmp4.TypeVideo, 0, flv.AppendVideo(nil, flv.FrameKey, flv.VideoSequenceStart, cc, 0, tr.Config)})
		case tr.Codec != fmp4.MP3 && tr.Codec != fmp4.AC3 && tr.Codec != fmp4.EAC3:
			msgs = append(msgs, message{fmp4.TypeAudio, 0, flv.AppendAudio(nil, flv.AudioSequenceStart, cc, tr.Config)})
		}
	}
	var frames []message
	for _, fr := range f.Fragments {
		for _, r := range fr.Runs {
			dts := r.BaseDecodeTime
			scale := uint64(timescale[r.TrackID])
			c := codec[r.TrackID]
			for _, s := range r.Samples {
				ms := uint32(dts * 1000 / scale)
				if c.IsVideo() {
					ft := flv.FrameInter
					if s.Sync {
						ft = flv.FrameKey
					}
					cto := int32(int64(s.CompositionOffset) * 1000 / int64(scale))
					frames = append(frames, message{fmp4.TypeVideo, ms, flv.AppendVideo(nil, ft, flv.VideoCodedFrames, codecFourCC[c], cto, s.Data)})
				} else {
					frames = append(frames, message{fmp4.TypeAudio, ms, flv.AppendAudio(nil, flv.AudioCodedFrames, codecFourCC[c], s.Data)})
				}
				dts += uint64(s.Duration)
			}
		}
	}
	slices.SortStableFunc(frames, func(a, b message) int { return int(a.ms) - int(b.ms) })
	return append(msgs, frames...)
}

// muxMessages runs messages through Tags and a Muxer, as remux does.
func muxMessages(t *testing.T, msgs []message) ([]fmp4.Track, []byte) {
	t.Helper()
	var tags fmp4.Tags
	var mux fmp4.Muxer
	var out []byte
	for _, m := range msgs {
		ev, err := tags.Push(m.typeID, m.ms, m.body)
		if err != nil {
			t.Fatalf("message at %d ms: %v", m.ms, err)
		}
		for _, s := range ev.Samples {
			if out == nil {
				if out, err = fmp4.AppendInit(nil, tags.Tracks()); err != nil {
					t.Fatal(err)
				}
			}
			mux.Add(s) // a keyframe ends the fragment before it
			if s.Keyframe {
				if out, err = mux.AppendFragment(out); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	out, err := mux.Flush(out)
	if err != nil {
		t.Fatal(err)
	}
	return tags.Tracks(), out
}

// Every codec Tags maps, from real encoders: ffmpeg writes a fragmented
// MP4 of each (Parse reads ffmpeg's layout), the samples go through
// Enhanced RTMP messages, Tags and the Muxer into a file of ours, and
// ffmpeg finds in it the same packets, byte for byte, and decodes them
// without an error.
func TestFFmpegReadsEveryCodec(t *testing.T) {
	ffmpeg := needProgram(t, "ffmpeg", "ffmpeg")
	const media = "../../testdata/media/"
	sine := []string{"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "0.5"}
	cases := []struct {
		name  string
		codec fmp4.Codec
		args  []string
	}{
		{"hevc", fmp4.H265, []string{"-framerate", "10", "-i", media + "hevc-160x90.hevc", "-c", "copy", "-tag:v", "hvc1"}},
		{"av1", fmp4.AV1, []string{"-i", media + "av1-160x90.ivf", "-c", "copy"}},
		{"vp9", fmp4.VP9, []string{"-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10", "-frames:v", "6", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-g", "3"}},
		{"opus", fmp4.Opus, append(sine, "-c:a", "libopus", "-b:a", "32k")},
		{"mp3", fmp4.MP3, append(sine, "-c:a", "libmp3lame", "-b:a", "64k")},
		{"flac", fmp4.FLAC, append(sine, "-c:a", "flac", "-strict", "-2")},
		{"ac3", fmp4.AC3, append(sine, "-c:a", "ac3", "-b:a", "96k")},
		{"eac3", fmp4.EAC3, append(sine, "-c:a", "eac3", "-b:a", "96k")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "src.mp4")
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			args := append([]string{"-v", "error", "-nostdin"}, c.args...)
			args = append(args, "-movflags", "+frag_keyframe+empty_moov+delay_moov+default_base_moof", "-f", "mp4", src)
			if out, err := exec.CommandContext(ctx, ffmpeg, args...).CombinedOutput(); err != nil {
				t.Fatalf("ffmpeg making the source: %v\n%s", err, out)
			}
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := fmp4.Parse(data)
			if err != nil {
				t.Fatalf("parsing ffmpeg's file: %v", err)
			}
			if len(parsed.Tracks) != 1 || parsed.Tracks[0].Codec != c.codec || len(parsed.Fragments) == 0 {
				t.Fatalf("ffmpeg's file has tracks %+v and %d fragments, want one %v track", parsed.Tracks, len(parsed.Fragments), c.codec)
			}
			tracks, ours := muxMessages(t, enhancedMessages(t, parsed))
			if len(tracks) != 1 || tracks[0].Codec != c.codec {
				t.Fatalf("Tags made tracks %+v", tracks)
			}
			if c.codec == fmp4.H265 || c.codec == fmp4.AV1 {
				if tracks[0].Width != 160 || tracks[0].Height != 90 {
					t.Errorf("video track of %dx%d, want 160x90", tracks[0].Width, tracks[0].Height)
				}
			}
			if (c.codec == fmp4.AC3 || c.codec == fmp4.EAC3) && !bytes.Equal(tracks[0].Config, parsed.Tracks[0].Config) {
				t.Errorf("configuration from the first frame % x, ffmpeg's % x", tracks[0].Config, parsed.Tracks[0].Config)
			}
			if c.codec.IsAudio() && (tracks[0].SampleRate != 48000 || tracks[0].Channels != 1) {
				t.Errorf("audio track at %d Hz with %d channels, want 48000 Hz mono", tracks[0].SampleRate, tracks[0].Channels)
			}
			mp4 := filepath.Join(dir, "ours.mp4")
			if err := os.WriteFile(mp4, ours, 0o644); err != nil {
				t.Fatal(err)
			}
			want, got := frameMD5(t, src), frameMD5(t, mp4)
			for _, m := range []map[int][]framePacket{want, got} {
				for _, pkts := range m {
					for i := range pkts {
						pkts[i].PTSms = 0 // ffmpeg's edit lists (encoder delay) shift its times; ours has none
					}
				}
			}
			if len(want[0]) == 0 {
				t.Fatal("the source has no packets")
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("packets differ (-ffmpeg's +ours):\n%s", diff)
			}
			var stderr bytes.Buffer
			decode := exec.CommandContext(ctx, ffmpeg, "-v", "error", "-i", mp4, "-f", "null", "-")
			decode.Stderr = &stderr
			if err := decode.Run(); err != nil || stderr.Len() > 0 {
				t.Fatalf("ffmpeg decoding ours: %v\n%s", err, stderr.String())
			}
		})
	}
}
