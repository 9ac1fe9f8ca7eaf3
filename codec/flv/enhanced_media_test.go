package flv

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	hevcFile = "../../testdata/media/hevc-160x90.hevc"
	av1File  = "../../testdata/media/av1-160x90.ivf"
)

// codedFrame is one access unit ready to wrap.
type codedFrame struct {
	key  bool
	data []byte
}

// wrapEnhanced writes an FLV file of one Enhanced RTMP video track: the
// sequence start, one tag per frame (alternating CodedFrames and
// CodedFramesX where the codec has composition times), then the end.
func wrapEnhanced(t *testing.T, codec FourCC, record []byte, frames []codedFrame) []byte {
	t.Helper()
	var file bytes.Buffer
	w, err := NewWriter(&file, Header{Version: 1, HasVideo: true})
	if err != nil {
		t.Fatal(err)
	}
	write := func(ts int, payload []byte) {
		if err := w.WriteTag(Tag{Type: TagVideo, Timestamp: uint32(ts), Data: payload}); err != nil {
			t.Fatal(err)
		}
	}
	write(0, AppendVideo(nil, FrameKey, VideoSequenceStart, codec, 0, record))
	for i, f := range frames {
		ft, pt := FrameInter, VideoCodedFrames
		if f.key {
			ft = FrameKey
		}
		if i%2 == 1 && codec.hasCompositionTime() {
			pt = VideoCodedFramesX
		}
		write(i*100, AppendVideo(nil, ft, pt, codec, 0, f.data))
	}
	write(len(frames)*100, AppendVideo(nil, FrameKey, VideoSequenceEnd, codec, 0, nil))
	return file.Bytes()
}

// unwrapEnhanced reads the file back and checks every tag's header; it
// returns the configuration record and the frames.
func unwrapEnhanced(t *testing.T, file []byte, codec FourCC) ([]byte, []codedFrame) {
	t.Helper()
	r := NewReader(bytes.NewReader(file))
	var record []byte
	var frames []codedFrame
	ended := false
	for i := 0; ; i++ {
		tag, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		info, err := ClassifyVideo(tag.Data)
		if err != nil {
			t.Fatalf("tag %d: %v", i, err)
		}
		if !info.Enhanced || info.FourCC != codec || info.Multitrack || ended {
			t.Fatalf("tag %d: %+v", i, info)
		}
		switch info.Kind {
		case KindSequenceStart:
			if i != 0 {
				t.Fatalf("sequence start at tag %d", i)
			}
			record = info.Data
		case KindKeyframe, KindFrame:
			if record == nil {
				t.Fatalf("frame before the sequence start")
			}
			if want := uint32(len(frames) * 100); tag.Timestamp != want {
				t.Errorf("tag %d at %d ms, want %d", i, tag.Timestamp, want)
			}
			frames = append(frames, codedFrame{key: info.Kind == KindKeyframe, data: info.Data})
		case KindSequenceEnd:
			ended = true
		default:
			t.Fatalf("tag %d: kind %v", i, info.Kind)
		}
	}
	if !ended {
		t.Fatal("no sequence end")
	}
	return record, frames
}

// An x265 stream wrapped into Enhanced RTMP hvc1 tags by our writer reads
// back to the same parameter sets, NAL units and keyframes.
func TestHEVCElementaryStreamRoundTrip(t *testing.T) {
	es, err := os.ReadFile(hevcFile)
	if err != nil {
		t.Fatal(err)
	}
	aus := hevcAccessUnits(splitAnnexB(es))
	var vps, sps, pps []byte
	var frames []codedFrame
	var wantNALs [][]byte
	for _, au := range aus {
		var picture [][]byte
		for _, n := range au {
			switch hevcType(n) {
			case hevcVPS:
				vps = firstOf(vps, n)
			case hevcSPS:
				sps = firstOf(sps, n)
			case hevcPPS:
				pps = firstOf(pps, n)
			default:
				picture = append(picture, n)
			}
		}
		wantNALs = append(wantNALs, picture...)
		frames = append(frames, codedFrame{key: hevcIRAP(au), data: lengthPrefixed(picture)})
	}
	if len(frames) != 6 || !frames[0].key || !frames[3].key || frames[1].key {
		t.Fatalf("sample has unexpected access units: %d", len(frames))
	}
	hvcc, err := buildHVCC(vps, sps, pps)
	if err != nil {
		t.Fatal(err)
	}

	record, got := unwrapEnhanced(t, wrapEnhanced(t, FourCCHEVC, hvcc, frames), FourCCHEVC)

	params, level, err := hvccNALs(record)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]byte{vps, sps, pps}, params); diff != "" {
		t.Errorf("parameter sets (-stream +read):\n%s", diff)
	}
	if level != 30 { // ffprobe reports level=30 for this stream
		t.Errorf("hvcC level %d, want 30", level)
	}
	var gotNALs [][]byte
	for i, f := range got {
		nals, err := splitLengthPrefixed(f.data)
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		gotNALs = append(gotNALs, nals...)
		if f.key != frames[i].key {
			t.Errorf("frame %d keyframe %v, want %v", i, f.key, frames[i].key)
		}
	}
	if diff := cmp.Diff(wantNALs, gotNALs); diff != "" {
		t.Errorf("NAL units (-stream +read):\n%s", diff)
	}
}

// A libaom stream wrapped into Enhanced RTMP av01 tags reads back to the
// same sequence header, temporal units and keyframes.
func TestAV1ElementaryStreamRoundTrip(t *testing.T) {
	file, err := os.ReadFile(av1File)
	if err != nil {
		t.Fatal(err)
	}
	tus, err := ivfFrames(file)
	if err != nil {
		t.Fatal(err)
	}
	seq, ok := sequenceHeader(tus[0])
	if !ok {
		t.Fatal("no sequence header in the first temporal unit")
	}
	av1c, err := buildAV1C(seq)
	if err != nil {
		t.Fatal(err)
	}
	// Profile 0 (Main), level index 0 as ffprobe reports; 8-bit 4:2:0.
	if diff := cmp.Diff([]byte{0x81, 0x00, 0x0c, 0x00}, av1c[:4]); diff != "" {
		t.Errorf("av1C fields (-want +got):\n%s", diff)
	}
	var frames []codedFrame
	for i, tu := range tus {
		key, err := av1Keyframe(tu)
		if err != nil {
			t.Fatalf("temporal unit %d: %v", i, err)
		}
		sample, err := av1Sample(tu)
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, codedFrame{key: key, data: sample})
	}
	if len(frames) != 6 || !frames[0].key || !frames[3].key || frames[1].key {
		t.Fatalf("sample has unexpected temporal units")
	}

	record, got := unwrapEnhanced(t, wrapEnhanced(t, FourCCAV1, av1c, frames), FourCCAV1)
	if diff := cmp.Diff(av1c, record); diff != "" {
		t.Errorf("av1C (-built +read):\n%s", diff)
	}
	if !bytes.Equal(record[4:], seq.whole) {
		t.Errorf("configOBUs are not the stream's sequence header")
	}
	if diff := cmp.Diff(frames, got, cmp.AllowUnexported(codedFrame{})); diff != "" {
		t.Errorf("frames (-built +read):\n%s", diff)
	}
}

// Our access unit and keyframe reading of both samples agrees with
// ffprobe's packets, so the round trips above test real keyframes.
func TestElementaryStreamKeyframesMatchFFprobe(t *testing.T) {
	ffprobe := needProgram(t, "ffprobe", "ffmpeg")
	flags := func(path string) string {
		out, err := exec.Command(ffprobe, "-v", "error", "-show_entries", "packet=flags", "-of", "csv=p=0", path).Output()
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.Fields(string(out)), " ")
	}
	ours := func(keys []bool) string {
		var s []string
		for _, k := range keys {
			s = append(s, map[bool]string{true: "K_", false: "__"}[k])
		}
		return strings.Join(s, " ")
	}
	es, err := os.ReadFile(hevcFile)
	if err != nil {
		t.Fatal(err)
	}
	var hevcKeys []bool
	for _, au := range hevcAccessUnits(splitAnnexB(es)) {
		hevcKeys = append(hevcKeys, hevcIRAP(au))
	}
	if got, want := ours(hevcKeys), flags(hevcFile); got != want {
		t.Errorf("HEVC keyframes %q, ffprobe %q", got, want)
	}
	ivf, err := os.ReadFile(av1File)
	if err != nil {
		t.Fatal(err)
	}
	tus, err := ivfFrames(ivf)
	if err != nil {
		t.Fatal(err)
	}
	var av1Keys []bool
	for _, tu := range tus {
		k, err := av1Keyframe(tu)
		if err != nil {
			t.Fatal(err)
		}
		av1Keys = append(av1Keys, k)
	}
	if got, want := ours(av1Keys), flags(av1File); got != want {
		t.Errorf("AV1 keyframes %q, ffprobe %q", got, want)
	}
}

func firstOf(have, n []byte) []byte {
	if have == nil {
		return n
	}
	return have
}
