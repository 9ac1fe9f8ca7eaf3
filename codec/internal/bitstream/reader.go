package bitstream

// Reader reads big-endian bit fields from a byte slice. Its zero value
// reads nothing; make one with NewReader.
type Reader struct {
	b     []byte
	pos   int // in bits
	short bool
}

// NewReader returns a Reader at the first bit of b.
func NewReader(b []byte) Reader { return Reader{b: b} }

// Short reports whether a read has run past the end: the fields read
// since then are zero and must not be used.
func (r *Reader) Short() bool { return r.short }

// Read returns the next n bits as an unsigned number, or 0 if fewer than n
// are left (and the Reader is then short, at the end). Fields wider than
// 32 bits keep their last 32; use Skip for those.
func (r *Reader) Read(n int) uint32 {
	if n <= 0 {
		return 0
	}
	if n > 8*len(r.b)-r.pos {
		r.pos, r.short = 8*len(r.b), true
		return 0
	}
	var v uint32
	for range n {
		v = v<<1 | uint32(r.b[r.pos>>3]>>(7-r.pos&7)&1)
		r.pos++
	}
	return v
}

// Flag reads one bit as a boolean.
func (r *Reader) Flag() bool { return r.Read(1) == 1 }

// Skip passes over n bits, of any count.
func (r *Reader) Skip(n int) {
	if n <= 0 {
		return
	}
	if n > 8*len(r.b)-r.pos {
		r.pos, r.short = 8*len(r.b), true
		return
	}
	r.pos += n
}
