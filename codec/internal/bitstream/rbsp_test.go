package bitstream

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAppendUnescaped(t *testing.T) {
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
		if diff := cmp.Diff(string(tc.want), string(AppendUnescaped(nil, tc.in))); diff != "" {
			t.Errorf("AppendUnescaped(% x) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestAppendUnescapedAppends(t *testing.T) {
	var buf [8]byte
	got := AppendUnescaped(append(buf[:0], 9), []byte{0, 0, 3, 1})
	if diff := cmp.Diff([]byte{9, 0, 0, 1}, got); diff != "" || &got[0] != &buf[0] {
		t.Fatalf("(-want +got):\n%s, in the caller's buffer: %v", diff, &got[0] == &buf[0])
	}
}
