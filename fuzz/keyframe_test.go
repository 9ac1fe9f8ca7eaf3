package fuzz

import (
	"errors"
	"testing"

	"github.com/gortmp/rtmp/codec/keyframe"
)

// FuzzKeyframe reads the input as an H.264, H.265, AV1 and VP9 frame:
// each gives an answer or an error of the package, never a panic, and
// never both a keyframe and an error.
func FuzzKeyframe(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, read := range []func([]byte) (bool, error){keyframe.AVC, keyframe.HEVC, keyframe.AV1, keyframe.VP9} {
			key, err := read(in)
			if err != nil && (key || !(errors.Is(err, keyframe.ErrTruncated) || errors.Is(err, keyframe.ErrSyntax))) {
				t.Fatalf("got %v, %v", key, err)
			}
		}
	})
}
