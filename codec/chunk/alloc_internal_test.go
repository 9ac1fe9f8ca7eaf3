package chunk

import "testing"

// A header alone reserves at most PreallocLimit; the buffer then grows with
// the bytes that arrive and never beyond the declared length.
func TestHeaderAloneReservesAtMostPreallocLimit(t *testing.T) {
	dec := NewDecoder(DecoderConfig{})
	setSize := []byte{0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0x00, 0xff, 0xff, 0xff}
	header := []byte{0x06, 0, 0, 0, 0xff, 0xff, 0xff, 9, 1, 0, 0, 0} // a 16 MiB - 1 message
	if _, err := dec.Feed(nil, append(setSize, header...)); err != nil {
		t.Fatal(err)
	}
	s := dec.streams.get(6)
	if _, err := dec.Feed(nil, make([]byte, 10)); err != nil {
		t.Fatal(err)
	}
	if c := cap(s.payload); c > DefaultPreallocLimit {
		t.Errorf("after a 16 MiB header and 10 bytes the buffer holds %d bytes, want at most %d", c, DefaultPreallocLimit)
	}
	for range 5 {
		if _, err := dec.Feed(nil, make([]byte, 100_000)); err != nil {
			t.Fatal(err)
		}
	}
	if have, c := len(s.payload), cap(s.payload); c > 2*have+DefaultPreallocLimit {
		t.Errorf("holding %d bytes in a buffer of %d", have, c)
	}
	// Bytes in hand justify an exact allocation.
	dec2 := NewDecoder(DecoderConfig{})
	wire := append(append([]byte(nil), setSize...), header...)
	wire = append(wire, make([]byte, 200_000)...)
	if _, err := dec2.Feed(nil, wire); err != nil {
		t.Fatal(err)
	}
	if c := cap(dec2.streams.get(6).payload); c != 200_000 {
		t.Errorf("200000 bytes in hand: buffer of %d, want exactly that", c)
	}
}
