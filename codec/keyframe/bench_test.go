package keyframe_test

import (
	"testing"

	"github.com/gortmp/rtmp/codec/keyframe"
)

// BenchmarkEncodedMedia tells the keyframes of the test media's frames:
// the bit fields of AV1 and VP9 headers, the NAL types of HEVC.
func BenchmarkEncodedMedia(b *testing.B) {
	for _, tc := range []struct {
		name   string
		frames func(testing.TB) [][]byte
		f      func([]byte) (bool, error)
	}{
		{"hevc", func(t testing.TB) [][]byte { return hevcAccessUnits(t, mediaFile(t, "hevc-160x90.hevc")) }, keyframe.HEVC},
		{"av1", func(t testing.TB) [][]byte { return ivfFrames(t, mediaFile(t, "av1-160x90.ivf")) }, keyframe.AV1},
		{"vp9", func(t testing.TB) [][]byte { return ivfFrames(t, mediaFile(t, "vp9-160x90.ivf")) }, keyframe.VP9},
	} {
		b.Run(tc.name, func(b *testing.B) {
			frames := tc.frames(b)
			b.ReportAllocs()
			for b.Loop() {
				for _, f := range frames {
					if _, err := tc.f(f); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
