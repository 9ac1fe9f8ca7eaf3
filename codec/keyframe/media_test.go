package keyframe_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// mediaFile reads a file of the repository's shared test media.
func mediaFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "media", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// ivfFrames splits an IVF file into its frames.
func ivfFrames(t testing.TB, b []byte) [][]byte {
	t.Helper()
	if len(b) < 32 || string(b[:4]) != "DKIF" {
		t.Fatal("not an IVF file")
	}
	b = b[binary.LittleEndian.Uint16(b[6:8]):]
	var frames [][]byte
	for len(b) > 0 {
		if len(b) < 12 {
			t.Fatal("IVF frame header truncated")
		}
		n := int(binary.LittleEndian.Uint32(b[:4]))
		if 12+n > len(b) {
			t.Fatal("IVF frame truncated")
		}
		frames = append(frames, b[12:12+n])
		b = b[12+n:]
	}
	return frames
}

// hevcAccessUnits splits an H.265 Annex B stream into access units in the
// length-prefixed form Enhanced RTMP carries: a new unit starts at each
// VPS or at a slice whose first_slice_segment_in_pic_flag is set, unless
// parameter sets already started it.
func hevcAccessUnits(t testing.TB, b []byte) [][]byte {
	t.Helper()
	var units [][]byte
	var cur []byte
	started := false
	for _, nal := range bytes.Split(b, []byte{0, 0, 1}) {
		nal = bytes.TrimRight(nal, "\x00")
		if len(nal) < 3 {
			continue
		}
		typ := nal[0] >> 1 & 0x3f
		firstSlice := typ < 32 && nal[2]&0x80 != 0
		if (typ == 32 || (firstSlice && !started)) && cur != nil {
			units, cur = append(units, cur), nil
		}
		switch {
		case typ >= 32:
			started = true
		case typ < 32:
			started = false
		}
		cur = binary.BigEndian.AppendUint32(cur, uint32(len(nal)))
		cur = append(cur, nal...)
	}
	if cur != nil {
		units = append(units, cur)
	}
	return units
}
