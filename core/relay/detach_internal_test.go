package relay

import (
	"strings"
	"testing"
	"unsafe"

	"pgregory.net/rapid"
)

// detach keeps every string's value and moves each non-empty one out of
// the memory it was in.
func TestDetach(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		parts := rapid.SliceOfN(rapid.String(), 1, 6).Draw(t, "parts")
		backing := strings.Join(parts, "")
		ss := make([]string, len(parts))
		ptrs := make([]*string, len(parts))
		at := 0
		for i, p := range parts {
			ss[i] = backing[at : at+len(p)]
			ptrs[i] = &ss[i]
			at += len(p)
		}
		detach(ptrs...)
		lo := uintptr(unsafe.Pointer(unsafe.StringData(backing)))
		for i, s := range ss {
			if s != parts[i] {
				t.Fatalf("string %d is %q after detach, want %q", i, s, parts[i])
			}
			p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
			if s != "" && p >= lo && p < lo+uintptr(len(backing)) {
				t.Fatalf("string %d still lies in its old memory", i)
			}
		}
	})
}
