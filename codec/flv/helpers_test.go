package flv

import (
	"bytes"
	"encoding/hex"
	"strings"
)

// hx builds bytes from a readable mix: hex pairs, and 'quoted' ASCII such
// as a FourCC, separated by spaces.
func hx(s string) []byte {
	var out []byte
	for _, f := range strings.Fields(s) {
		if len(f) >= 2 && f[0] == '\'' && f[len(f)-1] == '\'' {
			out = append(out, f[1:len(f)-1]...)
			continue
		}
		b, err := hex.DecodeString(f)
		if err != nil {
			panic("bad hex in test vector: " + f)
		}
		out = append(out, b...)
	}
	return out
}

// within reports whether sub is a slice of the memory of whole (so no copy
// was made). An empty sub is trivially within.
func within(sub, whole []byte) bool {
	if len(sub) == 0 {
		return true
	}
	for i := 0; i+len(sub) <= len(whole); i++ {
		if &whole[i] == &sub[0] {
			return bytes.Equal(whole[i:i+len(sub)], sub)
		}
	}
	return false
}
