package amf0

import (
	"path/filepath"
	"testing"
)

// TestDecodeAllocations pins the allocation budget of a decoding: one
// store for the properties and values, one for the text of strings and
// keys, and one per string, number and object or ECMA array put into an
// interface, except the common strings and small integers boxed once at
// start (commonStrings, smallInts).
func TestDecodeAllocations(t *testing.T) {
	cases := []struct {
		vector string
		budget float64
	}{
		{"connect-ffmpeg-publish.amf0.hex", 5},
		{"connect-ffmpeg-play.amf0.hex", 6},
		{"connect-obs.amf0.hex", 11},
		{"setDataFrame-onMetaData.amf0.hex", 5},
		{"createStream.amf0.hex", 1},
		{"publish.amf0.hex", 3},
		{"play.amf0.hex", 4},
	}
	for _, c := range cases {
		v := parseVector(t, filepath.Join(goldenDir, c.vector))
		got := testing.AllocsPerRun(50, func() {
			if _, err := DecodeAll(v.bytes); err != nil {
				t.Fatal(err)
			}
		})
		if got > c.budget {
			t.Errorf("%s: %.0f allocations, budget %.0f", c.vector, got, c.budget)
		}
	}
}

// TestAppendDoesNotAllocate checks that encoding into a buffer with room
// allocates nothing.
func TestAppendDoesNotAllocate(t *testing.T) {
	v := parseVector(t, filepath.Join(goldenDir, "connect-obs.amf0.hex"))
	vs, err := DecodeAll(v.bytes)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 0, 1024)
	if got := testing.AllocsPerRun(50, func() { buf, _ = Append(buf[:0], vs...) }); got != 0 {
		t.Errorf("Append allocated %.0f times", got)
	}
}
