package keyframe

// bits reads MSB-first bit fields; reading past the end sets short.
type bits struct {
	b     []byte
	pos   int
	short bool
}

func (r *bits) u(n int) uint {
	var v uint
	for range n {
		if r.pos >= 8*len(r.b) {
			r.short = true
			return 0
		}
		v = v<<1 | uint(r.b[r.pos/8]>>(7-r.pos%8)&1)
		r.pos++
	}
	return v
}
