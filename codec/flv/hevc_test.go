package flv

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/gortmp/rtmp/codec/internal/bitstream"
)

// Test helpers for H.265: Annex B splitting, access units, and the
// HEVCDecoderConfigurationRecord (hvcC) an Enhanced RTMP SequenceStart
// carries.

const (
	hevcVPS = 32
	hevcSPS = 33
	hevcPPS = 34
	hevcAUD = 35
	hevcSEI = 39
)

func hevcType(nal []byte) int { return int(nal[0]>>1) & 0x3f }

// splitAnnexB returns the NAL units between start codes.
func splitAnnexB(b []byte) [][]byte {
	var nals [][]byte
	start := -1
	for i := 0; i+3 <= len(b); {
		if b[i] == 0 && b[i+1] == 0 && b[i+2] == 1 {
			if start >= 0 {
				nals = append(nals, bytes.TrimRight(b[start:i], "\x00"))
			}
			i += 3
			start = i
			continue
		}
		i++
	}
	if start >= 0 {
		nals = append(nals, b[start:])
	}
	return nals
}

// hevcAccessUnits groups NAL units into access units: a new one starts at
// a parameter set, AUD or prefix SEI, or at the first slice of a picture,
// once the current unit holds a picture.
func hevcAccessUnits(nals [][]byte) [][][]byte {
	var aus [][][]byte
	var cur [][]byte
	hasPicture := false
	for _, n := range nals {
		typ := hevcType(n)
		starts := typ == hevcVPS || typ == hevcSPS || typ == hevcPPS || typ == hevcAUD || typ == hevcSEI ||
			typ < 32 && n[2]&0x80 != 0
		if starts && hasPicture {
			aus = append(aus, cur)
			cur, hasPicture = nil, false
		}
		cur = append(cur, n)
		if typ < 32 {
			hasPicture = true
		}
	}
	if len(cur) > 0 {
		aus = append(aus, cur)
	}
	return aus
}

// hevcIRAP reports whether an access unit is a random access point.
func hevcIRAP(au [][]byte) bool {
	for _, n := range au {
		if t := hevcType(n); t >= 16 && t <= 23 {
			return true
		}
	}
	return false
}

// buildHVCC makes an hvcC from one VPS, SPS and PPS, reading the profile,
// tier, level, chroma format and bit depths from the SPS.
func buildHVCC(vps, sps, pps []byte) ([]byte, error) {
	rbsp := bitstream.AppendUnescaped(nil, sps[2:])
	r := bitstream.NewReader(rbsp)
	r.Read(4) // sps_video_parameter_set_id
	maxSubLayersMinus1 := r.Read(3)
	nested := r.Read(1)
	if maxSubLayersMinus1 != 0 {
		return nil, fmt.Errorf("sub-layers not handled by this helper")
	}
	ptl := rbsp[1:13] // profile space..level, 12 bytes, byte aligned here
	r.Skip(96)
	r.UE() // sps_seq_parameter_set_id
	chroma := r.UE()
	if chroma == 3 {
		r.Read(1)
	}
	r.UE() // width
	r.UE() // height
	if r.Flag() {
		r.UE()
		r.UE()
		r.UE()
		r.UE()
	}
	depthLuma, depthChroma := r.UE(), r.UE()
	if r.Short() {
		return nil, fmt.Errorf("SPS too short")
	}
	rec := []byte{1}
	rec = append(rec, ptl...)
	rec = append(rec, 0xf0, 0x00, 0xfc, 0xfc|byte(chroma), 0xf8|byte(depthLuma), 0xf8|byte(depthChroma), 0, 0)
	rec = append(rec, 1<<3|byte(nested)<<2|3) // one temporal layer, 4-byte NAL lengths
	rec = append(rec, 3)
	for _, n := range [][]byte{vps, sps, pps} {
		rec = append(rec, 0x80|byte(hevcType(n)))
		rec = binary.BigEndian.AppendUint16(rec, 1)
		rec = binary.BigEndian.AppendUint16(rec, uint16(len(n)))
		rec = append(rec, n...)
	}
	return rec, nil
}

// hvccNALs returns the parameter sets of an hvcC and its level.
func hvccNALs(rec []byte) (nals [][]byte, level byte, err error) {
	if len(rec) < 23 {
		return nil, 0, fmt.Errorf("hvcC too short")
	}
	level = rec[12]
	p := rec[23:]
	for a := 0; a < int(rec[22]); a++ {
		if len(p) < 3 {
			return nil, 0, fmt.Errorf("hvcC array cut")
		}
		count := int(binary.BigEndian.Uint16(p[1:]))
		p = p[3:]
		for i := 0; i < count; i++ {
			if len(p) < 2 || len(p) < 2+int(binary.BigEndian.Uint16(p)) {
				return nil, 0, fmt.Errorf("hvcC NAL cut")
			}
			n := int(binary.BigEndian.Uint16(p))
			nals = append(nals, p[2:2+n])
			p = p[2+n:]
		}
	}
	return nals, level, nil
}

// lengthPrefixed joins NAL units with 4-byte lengths, as FLV frames carry
// them; splitLengthPrefixed undoes it.
func lengthPrefixed(nals [][]byte) []byte {
	var out []byte
	for _, n := range nals {
		out = binary.BigEndian.AppendUint32(out, uint32(len(n)))
		out = append(out, n...)
	}
	return out
}

func splitLengthPrefixed(b []byte) ([][]byte, error) {
	var nals [][]byte
	for len(b) > 0 {
		if len(b) < 4 || uint32(len(b)-4) < binary.BigEndian.Uint32(b) {
			return nil, fmt.Errorf("NAL length past the end")
		}
		n := binary.BigEndian.Uint32(b)
		nals = append(nals, b[4:4+n])
		b = b[4+n:]
	}
	return nals, nil
}
