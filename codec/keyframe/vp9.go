package keyframe

import "github.com/gortmp/rtmp/codec/internal/bitstream"

// VP9 reports whether a VP9 frame is a key frame, from the first bits of
// its uncompressed header (VP9 bitstream specification, section 6.2). A
// frame that only shows an earlier one (show_existing_frame) is not.
func VP9(data []byte) (bool, error) {
	r := bitstream.NewReader(data)
	if r.Read(2) != 2 { // frame_marker
		if r.Short() {
			return false, ErrTruncated
		}
		return false, ErrSyntax
	}
	profile := r.Read(1) | r.Read(1)<<1
	if profile == 3 && r.Read(1) != 0 { // reserved_zero
		return false, ErrSyntax
	}
	if r.Read(1) == 1 { // show_existing_frame
		return false, nil
	}
	key := r.Read(1) == 0 // frame_type: 0 is KEY_FRAME
	if r.Short() {
		return false, ErrTruncated
	}
	return key, nil
}
