package flv

import (
	"bytes"
	"io"
	"os"
	"testing"
)

func benchClassifyVideo(b *testing.B, payload []byte) {
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		info, err := ClassifyVideo(payload)
		if err != nil || info.Tracks == 0 {
			b.Fatal(err)
		}
	}
}

func BenchmarkClassifyVideo(b *testing.B) {
	frame := make([]byte, 4096)
	b.Run("legacy-avc", func(b *testing.B) {
		benchClassifyVideo(b, append(hx("17 01 000050"), frame...))
	})
	b.Run("enhanced-hvc1", func(b *testing.B) {
		benchClassifyVideo(b, AppendVideo(nil, FrameKey, VideoCodedFrames, FourCCHEVC, 40, frame))
	})
	b.Run("multitrack-3", func(b *testing.B) {
		p := hx("96 21")
		for id, codec := range []FourCC{FourCCHEVC, FourCCAV1, FourCCVP9} {
			p = appendFourCC(p, codec)
			p = append(p, byte(id))
			p = append24(p, uint32(len(frame)+3))
			p = append(p, 0, 0, 0)
			p = append(p, frame...)
		}
		benchClassifyVideo(b, p)
	})
}

func BenchmarkClassifyAudio(b *testing.B) {
	payload := append(hx("af 01"), make([]byte, 256)...)
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		if _, err := ClassifyAudio(payload); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadFile(b *testing.B) {
	data, err := os.ReadFile(ffmpegFiles[0])
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := NewReader(bytes.NewReader(data))
		for {
			if _, err := r.Next(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}
