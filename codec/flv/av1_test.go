package flv

import (
	"encoding/binary"
	"fmt"

	"github.com/gortmp/rtmp/codec/internal/bitstream"
)

// Test helpers for AV1: IVF frames, OBUs, and the AV1CodecConfigurationRecord
// (av1C) an Enhanced RTMP SequenceStart carries.

const (
	obuSequenceHeader    = 1
	obuTemporalDelimiter = 2
	obuFrameHeader       = 3
	obuFrame             = 6
)

// ivfFrames returns the frames (temporal units) of an IVF file.
func ivfFrames(b []byte) ([][]byte, error) {
	if len(b) < 32 || string(b[:4]) != "DKIF" || string(b[8:12]) != "AV01" {
		return nil, fmt.Errorf("not an AV1 IVF file")
	}
	b = b[binary.LittleEndian.Uint16(b[6:]):]
	var frames [][]byte
	for len(b) > 0 {
		if len(b) < 12 || uint32(len(b)-12) < binary.LittleEndian.Uint32(b) {
			return nil, fmt.Errorf("IVF frame cut")
		}
		n := binary.LittleEndian.Uint32(b)
		frames = append(frames, b[12:12+n])
		b = b[12+n:]
	}
	return frames, nil
}

type obu struct {
	typ     int
	whole   []byte // header and payload
	payload []byte
}

func leb128(b []byte) (uint64, int, error) {
	var v uint64
	for i := 0; i < 8 && i < len(b); i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			return v, i + 1, nil
		}
	}
	return 0, 0, fmt.Errorf("bad leb128")
}

// splitOBUs splits a temporal unit of OBUs that all carry a size field.
func splitOBUs(b []byte) ([]obu, error) {
	var obus []obu
	for len(b) > 0 {
		h := 1
		if b[0]&0x04 != 0 {
			h = 2
		}
		if b[0]&0x02 == 0 || len(b) < h {
			return nil, fmt.Errorf("OBU without size field")
		}
		size, n, err := leb128(b[h:])
		if err != nil || uint64(len(b)-h-n) < size {
			return nil, fmt.Errorf("OBU cut")
		}
		end := h + n + int(size)
		obus = append(obus, obu{typ: int(b[0]>>3) & 0x0f, whole: b[:end], payload: b[h+n : end]})
		b = b[end:]
	}
	return obus, nil
}

// av1Sample drops temporal delimiters, as AV1 samples in ISOBMFF (and so
// in Enhanced RTMP) carry none.
func av1Sample(tu []byte) ([]byte, error) {
	obus, err := splitOBUs(tu)
	if err != nil {
		return nil, err
	}
	var out []byte
	for _, o := range obus {
		if o.typ != obuTemporalDelimiter {
			out = append(out, o.whole...)
		}
	}
	return out, nil
}

// av1Keyframe reports whether a temporal unit starts with a shown key
// frame (frame_type KEY_FRAME in the first frame header), given that the
// sequence does not use the reduced still picture header.
func av1Keyframe(tu []byte) (bool, error) {
	obus, err := splitOBUs(tu)
	if err != nil {
		return false, err
	}
	for _, o := range obus {
		if o.typ == obuFrame || o.typ == obuFrameHeader {
			r := bitstream.NewReader(o.payload)
			if r.Flag() { // show_existing_frame
				return false, nil
			}
			return r.Read(2) == 0, nil
		}
	}
	return false, fmt.Errorf("no frame header")
}

// sequenceHeader finds the sequence header OBU of a temporal unit.
func sequenceHeader(tu []byte) (obu, bool) {
	obus, _ := splitOBUs(tu)
	for _, o := range obus {
		if o.typ == obuSequenceHeader {
			return o, true
		}
	}
	return obu{}, false
}

// buildAV1C reads a sequence header OBU as far as its color config and
// makes the 4-byte av1C followed by the OBU itself as configOBUs.
func buildAV1C(seq obu) ([]byte, error) {
	r := bitstream.NewReader(seq.payload)
	profile := r.Read(3)
	r.Read(1) // still_picture
	reduced := r.Flag()
	var level, tier uint32
	if reduced {
		level = r.Read(5)
	} else {
		var bufferDelayLen uint32
		decoderModel := false
		if r.Flag() { // timing_info_present_flag
			r.Skip(64)
			if r.Flag() {
				r.UVLC()
			}
			decoderModel = r.Flag()
			if decoderModel {
				bufferDelayLen = r.Read(5) + 1
				r.Skip(32 + 5 + 5)
			}
		}
		displayDelay := r.Flag()
		points := int(r.Read(5)) + 1
		for i := 0; i < points; i++ {
			r.Read(12)
			lvl := r.Read(5)
			var t uint32
			if lvl > 7 {
				t = r.Read(1)
			}
			if i == 0 {
				level, tier = lvl, t
			}
			if decoderModel && r.Flag() {
				r.Skip(int(2*bufferDelayLen) + 1)
			}
			if displayDelay && r.Flag() {
				r.Read(4)
			}
		}
	}
	wBits, hBits := int(r.Read(4))+1, int(r.Read(4))+1
	r.Skip(wBits + hBits)
	if !reduced && r.Flag() { // frame_id_numbers_present_flag
		r.Read(7)
	}
	r.Read(3) // 128x128 superblock, filter intra, intra edge filter
	if !reduced {
		r.Read(4) // interintra, masked compound, warped motion, dual filter
		orderHint := r.Flag()
		if orderHint {
			r.Read(2)
		}
		screenTools := uint32(2)
		if !r.Flag() {
			screenTools = r.Read(1)
		}
		if screenTools > 0 && !r.Flag() {
			r.Read(1)
		}
		if orderHint {
			r.Read(3)
		}
	}
	r.Read(3) // superres, cdef, restoration
	highBitdepth := r.Flag()
	twelveBit := false
	if profile == 2 && highBitdepth {
		twelveBit = r.Flag()
	}
	mono := false
	if profile != 1 {
		mono = r.Flag()
	}
	cp, tc, mc := uint32(2), uint32(2), uint32(2)
	if r.Flag() {
		cp, tc, mc = r.Read(8), r.Read(8), r.Read(8)
	}
	subX, subY, position := uint32(1), uint32(1), uint32(0)
	switch {
	case mono:
		r.Read(1)
	case cp == 1 && tc == 13 && mc == 0:
		subX, subY = 0, 0
	default:
		r.Read(1) // color_range
		switch profile {
		case 0:
		case 1:
			subX, subY = 0, 0
		default:
			if twelveBit {
				subX = r.Read(1)
				if subX == 1 {
					subY = r.Read(1)
				}
			} else {
				subY = 0
			}
		}
		if subX == 1 && subY == 1 {
			position = r.Read(2)
		}
	}
	if r.Short() {
		return nil, fmt.Errorf("sequence header too short")
	}
	b2 := byte(tier)<<7 | b2i(highBitdepth)<<6 | b2i(twelveBit)<<5 | b2i(mono)<<4 | byte(subX)<<3 | byte(subY)<<2 | byte(position)
	rec := []byte{0x81, byte(profile)<<5 | byte(level), b2, 0}
	return append(rec, seq.whole...), nil
}

func b2i(b bool) byte {
	if b {
		return 1
	}
	return 0
}
