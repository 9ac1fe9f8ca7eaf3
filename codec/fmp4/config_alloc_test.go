package fmp4_test

import (
	"testing"

	"github.com/gortmp/rtmp/codec/fmp4"
)

// Reading an SPS, emulation prevention bytes dropped, allocates nothing:
// it is unescaped into a buffer on the stack.
func TestVideoSizeAllocatesNothing(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { fmp4.VideoSize(fmp4.H264, avcRecord) }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}

// BenchmarkVideoSize reads the picture size of an x264 SPS, which has
// emulation prevention bytes to drop.
func BenchmarkVideoSize(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if w, h := fmp4.VideoSize(fmp4.H264, avcRecord); w != 320 || h != 240 {
			b.Fatalf("size %dx%d", w, h)
		}
	}
}

func BenchmarkParseASC(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if rate, channels, err := fmp4.ParseASC(ascStereo44k); err != nil || rate != 44100 || channels != 2 {
			b.Fatalf("%d Hz, %d channels, %v", rate, channels, err)
		}
	}
}
