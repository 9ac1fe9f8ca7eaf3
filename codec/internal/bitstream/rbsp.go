package bitstream

// AppendUnescaped appends to dst a NAL unit's payload (its RBSP) without
// the emulation prevention bytes: an encoder writes 00 00 03 where the
// payload would otherwise hold 00 00 00 to 00 00 03, and each 03 that
// follows two zeros is dropped. Appending lets a caller parse a parameter
// set in a buffer on its own stack.
func AppendUnescaped(dst, b []byte) []byte {
	zeros := 0
	for _, c := range b {
		if zeros >= 2 && c == 3 {
			zeros = 0
			continue
		}
		if c == 0 {
			zeros++
		} else {
			zeros = 0
		}
		dst = append(dst, c)
	}
	return dst
}
