package amf0

import (
	"path/filepath"
	"testing"
)

// TestDecodeAllocations pins the allocation budget: at most one
// allocation per decoded composite value (objects, arrays), and one for a
// message with none. Strings, numbers and headers come from one arena.
func TestDecodeAllocations(t *testing.T) {
	cases := []struct {
		vector     string
		composites int
	}{
		{"connect-ffmpeg-publish.amf0.hex", 1},
		{"connect-ffmpeg-play.amf0.hex", 1},
		{"connect-obs.amf0.hex", 2},
		{"setDataFrame-onMetaData.amf0.hex", 1},
		{"createStream.amf0.hex", 0},
		{"publish.amf0.hex", 0},
		{"play.amf0.hex", 0},
	}
	for _, c := range cases {
		v := parseVector(t, filepath.Join(goldenDir, c.vector))
		got := testing.AllocsPerRun(50, func() {
			if _, err := DecodeAll(v.bytes); err != nil {
				t.Fatal(err)
			}
		})
		if budget := float64(max(c.composites, 1)); got > budget {
			t.Errorf("%s: %.0f allocations, budget %.0f", c.vector, got, budget)
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
