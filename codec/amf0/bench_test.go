package amf0

import (
	"path/filepath"
	"testing"
)

// benchPayload loads a golden vector's bytes for a benchmark.
func benchPayload(b *testing.B, name string) []byte {
	b.Helper()
	var t testing.T
	v := parseVector(&t, filepath.Join(goldenDir, name))
	if t.Failed() || len(v.bytes) == 0 {
		b.Fatalf("cannot load %s", name)
	}
	return v.bytes
}

func benchDecode(b *testing.B, name string) {
	payload := benchPayload(b, name)
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		if _, err := DecodeAll(payload); err != nil {
			b.Fatal(err)
		}
	}
}

func benchEncode(b *testing.B, name string) {
	payload := benchPayload(b, name)
	vs, err := DecodeAll(payload)
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 0, len(payload))
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		if buf, err = Append(buf[:0], vs...); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeConnectOBS(b *testing.B)    { benchDecode(b, "connect-obs.amf0.hex") }
func BenchmarkDecodeConnectFFmpeg(b *testing.B) { benchDecode(b, "connect-ffmpeg-publish.amf0.hex") }
func BenchmarkDecodeOnMetaData(b *testing.B)    { benchDecode(b, "setDataFrame-onMetaData.amf0.hex") }
func BenchmarkEncodeConnectOBS(b *testing.B)    { benchEncode(b, "connect-obs.amf0.hex") }
func BenchmarkEncodeOnMetaData(b *testing.B)    { benchEncode(b, "setDataFrame-onMetaData.amf0.hex") }
