package bitstream

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnescape(t *testing.T) {
	for _, tc := range []struct{ in, want []byte }{
		{nil, nil},
		{[]byte{1, 2, 3}, []byte{1, 2, 3}},
		{[]byte{0, 0, 3, 1}, []byte{0, 0, 1}},
		{[]byte{0, 0, 3, 0, 0, 3}, []byte{0, 0, 0, 0}},
		// The 03 dropped resets the count: 00 00 03 00 03 keeps its last 03.
		{[]byte{0, 0, 3, 0, 3}, []byte{0, 0, 0, 3}},
		{[]byte{0, 0, 0, 3, 7}, []byte{0, 0, 0, 7}},
		{[]byte{5, 0, 0, 3}, []byte{5, 0, 0}},
	} {
		if diff := cmp.Diff(tc.want, Unescape(tc.in)); diff != "" {
			t.Errorf("Unescape(% x) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestUnescapeNothingToDropDoesNotAllocate(t *testing.T) {
	b := []byte{0x67, 0x42, 0, 0x1e, 0, 0, 1, 0xff}
	if n := testing.AllocsPerRun(100, func() { Unescape(b) }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
