package keyframe

// nalLengthSize is the NAL unit length field of AVC and HEVC frames as
// Enhanced RTMP and FLV carry them. The decoder configuration record may
// say otherwise, but 4 is what encoders write; a frame framed differently
// fails to parse and is reported, not guessed.
const nalLengthSize = 4

// AVC reports whether an H.264 frame holds an IDR slice.
func AVC(data []byte) (bool, error) {
	return anyNAL(data, func(header byte) bool { return header&0x1f == 5 })
}

// HEVC reports whether an H.265 frame holds an IRAP picture (BLA, IDR or
// CRA, NAL types 16 to 23).
func HEVC(data []byte) (bool, error) {
	return anyNAL(data, func(header byte) bool {
		t := header >> 1 & 0x3f
		return t >= 16 && t <= 23
	})
}

// anyNAL walks length-prefixed NAL units and reports whether key says yes
// to the first header byte of any of them. Every length must fit, so a
// frame in another framing is an error rather than a wrong answer.
func anyNAL(data []byte, key func(header byte) bool) (bool, error) {
	if len(data) == 0 {
		return false, ErrSyntax
	}
	found := false
	for len(data) > 0 {
		if len(data) < nalLengthSize {
			return false, ErrTruncated
		}
		n := int(data[0])<<24 | int(data[1])<<16 | int(data[2])<<8 | int(data[3])
		data = data[nalLengthSize:]
		switch {
		case n == 0:
			return false, ErrSyntax
		case n > len(data):
			return false, ErrTruncated
		case data[0]&0x80 != 0:
			return false, ErrSyntax // forbidden_zero_bit
		}
		found = found || key(data[0])
		data = data[n:]
	}
	return found, nil
}
