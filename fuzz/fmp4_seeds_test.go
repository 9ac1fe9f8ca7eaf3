package fuzz

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/fmp4"
)

var rewriteFMP4Corpus = flag.Bool("rewrite-fmp4-corpus", false, "rewrite the seeds of FuzzFMP4Parse and FuzzFMP4Tags")

// appendMessage frames one media message as FuzzFMP4Tags reads it.
func appendMessage(dst []byte, typeID uint8, ms uint32, body []byte) []byte {
	dst = append(dst, typeID, byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms), byte(len(body)>>8), byte(len(body)))
	return append(dst, body...)
}

// fmp4TagSeeds are message streams: the start of an H.264/AAC file (frame
// bodies cut short, which Tags does not look into), and Enhanced RTMP
// streams of every codec Tags maps, multitrack included.
func fmp4TagSeeds(t *testing.T) map[string][]byte {
	data, err := os.ReadFile("../testdata/media/h264-aac-320x240.flv")
	if err != nil {
		t.Fatal(err)
	}
	r := flv.NewReader(bytes.NewReader(data))
	if _, err := r.Header(); err != nil {
		t.Fatal(err)
	}
	var legacy []byte
	for range 16 {
		tag, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		legacy = appendMessage(legacy, uint8(tag.Type), tag.Timestamp, tag.Data[:min(len(tag.Data), 64)])
	}
	opusHead := append([]byte("OpusHead"), 1, 2, 0x38, 0x01, 0x80, 0xbb, 0, 0, 0, 0, 0)
	streamInfo := append([]byte("fLaC\x80\x00\x00\x22"), make([]byte, 34)...)
	streamInfo[8+10], streamInfo[8+12] = 0x0a, 0xc4 // 44.1 kHz, 2 channels
	var enhanced []byte
	enhanced = appendMessage(enhanced, 9, 0, flv.AppendVideoMultitrack(nil, flv.FrameKey, flv.VideoSequenceStart, []flv.VideoTrack{
		{ID: 0, FourCC: flv.FourCCHEVC, Data: []byte{1, 2, 3}},
		{ID: 1, FourCC: flv.FourCCAV1, Data: []byte{0x81, 0, 0, 0}},
		{ID: 2, FourCC: flv.FourCCVP9, Data: []byte{0, 10, 0x80, 2, 2, 2, 0, 0}},
	}))
	enhanced = appendMessage(enhanced, 8, 0, flv.AppendAudio(nil, flv.AudioSequenceStart, flv.FourCCOpus, opusHead))
	enhanced = appendMessage(enhanced, 8, 0, flv.AppendAudioMultitrack(nil, flv.AudioSequenceStart, []flv.AudioTrack{
		{ID: 1, FourCC: flv.FourCCFLAC, Data: streamInfo},
		{ID: 2, FourCC: flv.FourCCAAC, Data: []byte{0x12, 0x10}},
	}))
	for i := range uint32(4) {
		ft := flv.FrameInter
		if i == 0 {
			ft = flv.FrameKey
		}
		enhanced = appendMessage(enhanced, 9, 40*i, flv.AppendVideoMultitrack(nil, ft, flv.VideoCodedFrames, []flv.VideoTrack{
			{ID: 0, FourCC: flv.FourCCHEVC, CompositionTime: 40, Data: []byte{0, 0, 0, 1, byte(i)}},
			{ID: 1, FourCC: flv.FourCCAV1, Data: []byte{0x32, 0}},
			{ID: 2, FourCC: flv.FourCCVP9, Data: []byte{0x82, 0x49}},
		}))
		enhanced = appendMessage(enhanced, 8, 20*i, flv.AppendAudio(nil, flv.AudioCodedFrames, flv.FourCCOpus, []byte{0xfc, byte(i)}))
		enhanced = appendMessage(enhanced, 8, 20*i, flv.AppendAudioMultitrack(nil, flv.AudioCodedFrames, []flv.AudioTrack{
			{ID: 5, FourCC: flv.FourCCMP3, Data: []byte{0xff, 0xfb, 0x90, 0xc4, byte(i)}},
		}))
		ac3 := flv.AppendAudioMultitrack(nil, flv.AudioCodedFrames, []flv.AudioTrack{
			{ID: 3, FourCC: flv.FourCCAC3, Data: []byte{0x0b, 0x77, 0, 0, 0x1c, 0x40, 0x40, byte(i)}},
			{ID: 4, FourCC: flv.FourCCEAC3, Data: []byte{0x0b, 0x77, 0x01, 0x7f, 0x34, 0x80, byte(i)}},
		})
		enhanced = appendMessage(enhanced, 8, 32*i, ac3)
	}
	return map[string][]byte{"legacy-h264-aac": legacy, "enhanced-multitrack": enhanced}
}

// muxSeed runs a message stream through Tags and a Muxer into an init
// segment and fragments, cut before each keyframe. The init segment has
// the stream's last track set, which keeps the ids of every earlier one.
func muxSeed(t *testing.T, in []byte) []byte {
	var tags fmp4.Tags
	for rest := in; len(rest) >= 7; {
		size := int(rest[5])<<8 | int(rest[6])
		if _, err := tags.Push(rest[0], 0, rest[7:7+size]); err != nil {
			t.Fatal(err)
		}
		rest = rest[7+size:]
	}
	out, err := fmp4.AppendInit(nil, tags.Tracks())
	if err != nil {
		t.Fatal(err)
	}
	tags = fmp4.Tags{}
	var mux fmp4.Muxer
	for len(in) >= 7 {
		size := int(in[5])<<8 | int(in[6])
		ev, err := tags.Push(in[0], uint32(in[1])<<24|uint32(in[2])<<16|uint32(in[3])<<8|uint32(in[4]), in[7:7+size])
		in = in[7+size:]
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range ev.Samples {
			mux.Add(s) // a keyframe ends the fragment before it
			if s.Keyframe {
				if out, err = mux.AppendFragment(out); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	out, err = mux.Flush(out)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFMP4Seeds checks the seed corpora of FuzzFMP4Tags and FuzzFMP4Parse
// (writing them first under -rewrite-fmp4-corpus), and that the parse
// seeds hold fragments.
func TestFMP4Seeds(t *testing.T) {
	tagSeeds := fmp4TagSeeds(t)
	parseSeeds := map[string][]byte{}
	for name, in := range tagSeeds {
		parseSeeds[name] = muxSeed(t, in)
		f, err := fmp4.Parse(parseSeeds[name])
		if err != nil || len(f.Fragments) == 0 {
			t.Fatalf("seed %s: %v", name, err)
		}
		if name == "enhanced-multitrack" {
			var codecs []fmp4.Codec
			for _, tr := range f.Tracks {
				codecs = append(codecs, tr.Codec)
			}
			want := []fmp4.Codec{fmp4.H265, fmp4.AV1, fmp4.VP9, fmp4.Opus, fmp4.FLAC, fmp4.AAC, fmp4.MP3, fmp4.AC3, fmp4.EAC3}
			if !slices.Equal(codecs, want) {
				t.Errorf("seed %s has tracks %v, want %v", name, codecs, want)
			}
		}
	}
	for target, seeds := range map[string]map[string][]byte{"FuzzFMP4Tags": tagSeeds, "FuzzFMP4Parse": parseSeeds} {
		dir := filepath.Join("testdata", "fuzz", target)
		for name, in := range seeds {
			body := fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", in)
			path := filepath.Join(dir, name)
			if *rewriteFMP4Corpus {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, body, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, body) {
				t.Errorf("corpus file %s is missing or stale (run with -rewrite-fmp4-corpus): %v", path, err)
			}
		}
	}
}
