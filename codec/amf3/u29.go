package amf3

// readU29 reads a variable-length unsigned 29-bit integer: up to three
// bytes of seven bits with a continuation bit, then one byte of eight bits.
func readU29(b []byte, pos int) (v uint32, next int, ok bool) {
	for i := 0; i < 4; i++ {
		if pos >= len(b) {
			return 0, pos, false
		}
		c := b[pos]
		pos++
		if i == 3 {
			return v<<8 | uint32(c), pos, true
		}
		v = v<<7 | uint32(c&0x7F)
		if c&0x80 == 0 {
			return v, pos, true
		}
	}
	return v, pos, true // not reached: the loop returns by its fourth byte
}

// appendU29 appends v, which must be at most maxU29, in its shortest form.
func appendU29(dst []byte, v uint32) []byte {
	switch {
	case v < 1<<7:
		return append(dst, byte(v))
	case v < 1<<14:
		return append(dst, byte(v>>7)|0x80, byte(v)&0x7F)
	case v < 1<<21:
		return append(dst, byte(v>>14)|0x80, byte(v>>7)|0x80, byte(v)&0x7F)
	default:
		return append(dst, byte(v>>22)|0x80, byte(v>>15)|0x80, byte(v>>8)|0x80, byte(v))
	}
}

// int29 sign-extends the low 29 bits of u.
func int29(u uint32) int32 {
	return int32(u<<3) >> 3
}
