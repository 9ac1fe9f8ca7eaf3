package handshake

// filler gathers a packet of known size from input that arrives in any
// split. Its buffer is fixed when the machine is made, so a peer that
// trickles bytes, or stops, never makes it grow.
type filler struct {
	n int // bytes of the current packet gathered so far
}

// fill copies from in into buf[f.n:want] and returns the unused input and
// whether the packet is complete.
func (f *filler) fill(buf []byte, want int, in []byte) (rest []byte, full bool) {
	k := copy(buf[f.n:want], in)
	f.n += k
	return in[k:], f.n == want
}
