package driver_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"

	"github.com/gortmp/rtmp/codec/flv"
)

// The Enhanced RTMP samples: an H.265 Annex B stream from libx265 and an
// AV1 IVF stream from libaom, 6 frames each at 10 fps with a keyframe every
// 3 (see testdata/README.md), turned into the codec data of Enhanced RTMP
// tags: a decoder configuration record for SequenceStart and one access
// unit per coded frame.
const (
	hevcSample = "../testdata/media/hevc-160x90.hevc"
	av1Sample  = "../testdata/media/av1-160x90.ivf"
)

// codedVideo is one elementary stream ready for Enhanced RTMP tags.
type codedVideo struct {
	fourCC flv.FourCC
	config []byte   // hvcC or av1C
	frames [][]byte // one access unit (HEVC, length-prefixed) or temporal unit (AV1) each
	keys   []bool
}

// sequenceStart is the stream's SequenceStart payload.
func (v codedVideo) sequenceStart() []byte {
	return flv.AppendVideo(nil, flv.FrameKey, flv.VideoSequenceStart, v.fourCC, 0, v.config)
}

// frameType is the FLV frame type of frame i.
func (v codedVideo) frameType(i int) flv.VideoFrameType {
	if v.keys[i] {
		return flv.FrameKey
	}
	return flv.FrameInter
}

// frame is frame i as a CodedFrames payload (composition time 0: the
// samples have no B-frames).
func (v codedVideo) frame(i int) []byte {
	return flv.AppendVideo(nil, v.frameType(i), flv.VideoCodedFrames, v.fourCC, 0, v.frames[i])
}

func readSample(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// loadHEVC splits the Annex B sample into access units (a new one at each
// parameter set, AUD or prefix SEI, or first slice of a picture, once the
// current unit has a picture) and builds the hvcC from its VPS, SPS and PPS.
func loadHEVC(t *testing.T) codedVideo {
	t.Helper()
	var nals [][]byte
	for _, n := range bytes.Split(readSample(t, hevcSample), []byte{0, 0, 1}) {
		if n = bytes.TrimRight(n, "\x00"); len(n) >= 2 {
			nals = append(nals, n)
		}
	}
	v := codedVideo{fourCC: flv.FourCCHEVC}
	params := map[int][]byte{}
	var cur [][]byte
	hasPicture, key := false, false
	flush := func() {
		if len(cur) > 0 {
			var au []byte
			for _, n := range cur {
				au = binary.BigEndian.AppendUint32(au, uint32(len(n)))
				au = append(au, n...)
			}
			v.frames, v.keys = append(v.frames, au), append(v.keys, key)
		}
		cur, hasPicture, key = nil, false, false
	}
	for _, n := range nals {
		typ := int(n[0]>>1) & 0x3f
		if (typ >= 32 && typ <= 35 || typ == 39 || typ < 32 && n[2]&0x80 != 0) && hasPicture {
			flush()
		}
		if typ >= 32 && typ <= 34 && params[typ] == nil {
			params[typ] = n
		}
		cur = append(cur, n)
		hasPicture = hasPicture || typ < 32
		key = key || typ >= 16 && typ <= 23
	}
	flush()
	vps, sps, pps := params[32], params[33], params[34]
	if vps == nil || sps == nil || pps == nil || len(sps) < 15 {
		t.Fatal("HEVC sample without its parameter sets")
	}
	// With one sub-layer, the 12 bytes of profile_tier_level follow the
	// SPS's first byte; the sample is 4:2:0 at 8 bits.
	rec := []byte{1}
	rec = append(rec, sps[3:15]...)
	rec = append(rec, 0xf0, 0x00, 0xfc, 0xfd, 0xf8, 0xf8, 0, 0, 1<<3|(sps[2]&1)<<2|3, 3)
	for _, n := range [][]byte{vps, sps, pps} {
		rec = append(rec, 0x80|n[0]>>1&0x3f, 0, 1)
		rec = binary.BigEndian.AppendUint16(rec, uint16(len(n)))
		rec = append(rec, n...)
	}
	v.config = rec
	if len(v.frames) != 6 || !v.keys[0] || !v.keys[3] || v.keys[1] {
		t.Fatalf("HEVC sample: %d frames, keys %v; want 6 with keys at 0 and 3", len(v.frames), v.keys)
	}
	return v
}

// loadAV1 reads the IVF frames, drops temporal delimiters (AV1 samples in
// Enhanced RTMP carry none) and builds the av1C from the sequence header.
func loadAV1(t *testing.T) codedVideo {
	t.Helper()
	b := readSample(t, av1Sample)
	if len(b) < 32 || string(b[:4]) != "DKIF" {
		t.Fatal("AV1 sample is not IVF")
	}
	v := codedVideo{fourCC: flv.FourCCAV1}
	var seqHeader, seqPayload []byte
	for b = b[binary.LittleEndian.Uint16(b[6:]):]; len(b) >= 12; {
		n := int(binary.LittleEndian.Uint32(b))
		if len(b) < 12+n {
			t.Fatal("IVF frame cut")
		}
		tu := b[12 : 12+n]
		b = b[12+n:]
		var sample []byte
		for len(tu) > 0 {
			h := 1 + int(tu[0]>>2&1)
			size, k := uvarint(tu[h:])
			end := h + k + int(size)
			if k == 0 || end > len(tu) {
				t.Fatal("OBU cut")
			}
			switch typ := tu[0] >> 3 & 0x0f; typ {
			case 2: // temporal delimiter
			case 1: // sequence header
				if seqHeader == nil {
					seqHeader, seqPayload = tu[:end], tu[h+k:end]
				}
				sample = append(sample, tu[:end]...)
			default:
				sample = append(sample, tu[:end]...)
			}
			tu = tu[end:]
		}
		v.frames = append(v.frames, sample)
		v.keys = append(v.keys, len(v.frames)%3 == 1) // keyframe every 3, from the first
	}
	if seqHeader == nil || len(v.frames) != 6 {
		t.Fatalf("AV1 sample: %d frames, sequence header %v", len(v.frames), seqHeader != nil)
	}
	// seq_profile (3 bits) and, without timing info, seq_level_idx[0]
	// after still_picture, reduced_still_picture_header,
	// timing_info_present_flag, initial_display_delay_present_flag,
	// operating_points_cnt_minus_1 and operating_point_idc[0].
	p := seqPayload
	bits := uint64(0)
	for _, c := range p[:min(len(p), 8)] {
		bits = bits<<8 | uint64(c)
	}
	bits <<= 8 * (8 - min(len(p), 8))
	field := func(from, n int) byte { return byte(bits >> (64 - from - n) & (1<<n - 1)) }
	if field(4, 2) != 0 {
		t.Fatal("AV1 sample has a reduced header or timing info; this reader follows neither")
	}
	profile, level := field(0, 3), field(24, 5)
	v.config = append([]byte{0x81, profile<<5 | level, 0x0c, 0}, seqHeader...)
	return v
}

// uvarint reads a leb128 size: the value and its length, 0 when bad.
func uvarint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < 8 && i < len(b); i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}
