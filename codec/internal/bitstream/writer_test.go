package bitstream

// writer builds bit strings for the tests: the inverse of Reader.
type writer struct {
	b    []byte
	bits int
}

func (w *writer) put(v uint64, n int) {
	for i := n - 1; i >= 0; i-- {
		if w.bits%8 == 0 {
			w.b = append(w.b, 0)
		}
		w.b[len(w.b)-1] |= byte(v>>i&1) << (7 - w.bits%8)
		w.bits++
	}
}

// putGolomb writes v+1 as n zeros then its n+1 significant bits, the shape
// of ue(v) and uvlc().
func (w *writer) putGolomb(v uint64) {
	n := 0
	for (v+1)>>(n+1) != 0 {
		n++
	}
	w.put(0, n)
	w.put(v+1, n+1)
}

func (w *writer) putSE(v int32) {
	if v > 0 {
		w.putGolomb(uint64(v)*2 - 1)
	} else {
		w.putGolomb(uint64(-int64(v)) * 2)
	}
}
