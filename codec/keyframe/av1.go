package keyframe

import "github.com/gortmp/rtmp/codec/internal/bitstream"

// AV1 OBU types (AV1 specification, section 6.2.2).
const (
	obuSequenceHeader = 1
	obuFrameHeader    = 3
	obuFrame          = 6
)

// AV1 reports whether a temporal unit starts a key frame: its first frame
// header (in an OBU_FRAME_HEADER or OBU_FRAME) has frame_type KEY_FRAME,
// or its sequence header declares a reduced still picture, whose every
// frame is a key frame. OBUs must carry their size (the low-overhead
// format), except the last, which may run to the end.
func AV1(data []byte) (bool, error) {
	reducedStill := false
	for len(data) > 0 {
		h := data[0]
		if h&0x80 != 0 {
			return false, ErrSyntax // obu_forbidden_bit
		}
		typ, hasExt, hasSize := h>>3&0x0f, h&0x04 != 0, h&0x02 != 0
		data = data[1:]
		if hasExt {
			if len(data) == 0 {
				return false, ErrTruncated
			}
			data = data[1:]
		}
		body := data
		if hasSize {
			n, used, err := leb128(data)
			if err != nil {
				return false, err
			}
			if n > uint64(len(data)-used) {
				return false, ErrTruncated
			}
			body, data = data[used:used+int(n)], data[used+int(n):]
		} else {
			data = nil
		}
		switch typ {
		case obuSequenceHeader:
			r := bitstream.NewReader(body)
			r.Read(3) // seq_profile
			r.Read(1) // still_picture
			reducedStill = r.Read(1) == 1
			if r.Short() {
				return false, ErrTruncated
			}
		case obuFrameHeader, obuFrame:
			return av1FrameIsKey(body, reducedStill)
		}
	}
	return false, ErrSyntax // no frame in the temporal unit
}

// av1FrameIsKey reads the start of uncompressed_header().
func av1FrameIsKey(header []byte, reducedStill bool) (bool, error) {
	if reducedStill {
		return true, nil
	}
	r := bitstream.NewReader(header)
	if r.Read(1) == 1 { // show_existing_frame
		return false, nil
	}
	key := r.Read(2) == 0 // frame_type: 0 is KEY_FRAME
	if r.Short() {
		return false, ErrTruncated
	}
	return key, nil
}

// leb128 reads an OBU size: at most 8 bytes of 7 bits each.
func leb128(b []byte) (v uint64, n int, err error) {
	for i := range 8 {
		if i >= len(b) {
			return 0, 0, ErrTruncated
		}
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			return v, i + 1, nil
		}
	}
	return 0, 0, ErrSyntax
}
