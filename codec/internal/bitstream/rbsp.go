package bitstream

import "bytes"

// emulationPrevention is the sequence an encoder writes where a NAL
// unit's payload would otherwise hold 00 00 00, 00 00 01, 00 00 02 or
// 00 00 03: the 03 is not part of the payload.
var emulationPrevention = []byte{0, 0, 3}

// Unescape returns a NAL unit's payload (its RBSP) without the emulation
// prevention bytes: each 03 that follows two zeros is dropped. A payload
// with none is returned as it is, not copied; otherwise the result is a
// new slice.
func Unescape(b []byte) []byte {
	first := bytes.Index(b, emulationPrevention)
	if first < 0 {
		return b
	}
	out := make([]byte, first+2, len(b)-1)
	copy(out, b[:first+2])
	zeros := 0
	for _, c := range b[first+3:] {
		if zeros >= 2 && c == 3 {
			zeros = 0
			continue
		}
		if c == 0 {
			zeros++
		} else {
			zeros = 0
		}
		out = append(out, c)
	}
	return out
}
