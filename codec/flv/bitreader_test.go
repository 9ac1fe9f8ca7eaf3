package flv

// bitReader reads the MSB-first bit fields of H.265 and AV1 headers, for
// the test helpers that build decoder configuration records.
type bitReader struct {
	b   []byte
	pos int // in bits
	bad bool
}

func (r *bitReader) u(n int) uint64 {
	var v uint64
	for i := 0; i < n; i++ {
		if r.pos >= 8*len(r.b) {
			r.bad = true
			return 0
		}
		v = v<<1 | uint64(r.b[r.pos/8]>>(7-r.pos%8)&1)
		r.pos++
	}
	return v
}

func (r *bitReader) flag() bool { return r.u(1) == 1 }

// ue reads an Exp-Golomb code (H.265).
func (r *bitReader) ue() uint64 {
	zeros := 0
	for !r.flag() {
		if r.bad || zeros > 32 {
			r.bad = true
			return 0
		}
		zeros++
	}
	return 1<<zeros - 1 + r.u(zeros)
}

// uvlc reads AV1's variable length code.
func (r *bitReader) uvlc() uint64 {
	zeros := 0
	for !r.flag() {
		if r.bad || zeros >= 32 {
			r.bad = true
			return 0
		}
		zeros++
	}
	return 1<<zeros - 1 + r.u(zeros)
}
