package bitstream

// maxUEZeros is the most leading zeros of an Exp-Golomb code whose value
// fits 32 bits; parameter sets have no field that needs more, so more
// marks a corrupt one.
const maxUEZeros = 31

// UE reads an unsigned Exp-Golomb code, ue(v) of H.264 and H.265: n
// zeros, a one, then n bits. More than 31 zeros makes the Reader short.
func (r *Reader) UE() uint32 {
	zeros := r.leadingZeros(maxUEZeros)
	if r.short {
		return 0
	}
	return 1<<zeros - 1 + r.Read(zeros)
}

// SE reads a signed Exp-Golomb code, se(v): the codes 1, 2, 3, 4 ...
// stand for 1, -1, 2, -2 ...
func (r *Reader) SE() int32 {
	v := r.UE()
	if v&1 == 1 {
		return int32(v/2 + 1)
	}
	return -int32(v / 2)
}

// maxUVLCZeros is the most leading zeros of an AV1 uvlc() this reads:
// the specification saturates at 32, and a longer run of zeros is taken
// for a corrupt header.
const maxUVLCZeros = 32

// UVLC reads AV1's uvlc(): the same shape as ue(v), with up to 32
// leading zeros; more makes the Reader short.
func (r *Reader) UVLC() uint64 {
	zeros := r.leadingZeros(maxUVLCZeros)
	if r.short {
		return 0
	}
	return 1<<zeros - 1 + uint64(r.Read(zeros))
}

// leadingZeros reads zero bits up to and including the first one and
// returns how many zeros there were; more than limit makes r short.
func (r *Reader) leadingZeros(limit int) int {
	zeros := 0
	for r.Read(1) == 0 {
		if r.short || zeros == limit {
			r.short = true
			return 0
		}
		zeros++
	}
	return zeros
}
