package keyframe_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/keyframe"
)

// The shared media have a keyframe every 3 frames (see testdata/README.md).
var everyThird = []bool{true, false, false, true, false, false}

func keys(t *testing.T, frames [][]byte, f func([]byte) (bool, error)) []bool {
	t.Helper()
	var got []bool
	for i, fr := range frames {
		k, err := f(fr)
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		got = append(got, k)
	}
	return got
}

func TestEncodedMedia(t *testing.T) {
	for _, tc := range []struct {
		name   string
		frames func(*testing.T) [][]byte
		f      func([]byte) (bool, error)
	}{
		{"hevc x265", func(t *testing.T) [][]byte { return hevcAccessUnits(t, mediaFile(t, "hevc-160x90.hevc")) }, keyframe.HEVC},
		{"av1 libaom", func(t *testing.T) [][]byte { return ivfFrames(t, mediaFile(t, "av1-160x90.ivf")) }, keyframe.AV1},
		{"vp9 libvpx", func(t *testing.T) [][]byte { return ivfFrames(t, mediaFile(t, "vp9-160x90.ivf")) }, keyframe.VP9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(everyThird, keys(t, tc.frames(t), tc.f)); diff != "" {
				t.Errorf("keyframes (-want +got):\n%s", diff)
			}
		})
	}
}

// nals frames NAL units with 4-byte lengths.
func nals(units ...[]byte) []byte {
	var b []byte
	for _, u := range units {
		b = append(b, byte(len(u)>>24), byte(len(u)>>16), byte(len(u)>>8), byte(len(u)))
		b = append(b, u...)
	}
	return b
}

func TestAVC(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		key  bool
		err  error
	}{
		{"idr after sei", nals([]byte{0x06, 5, 1}, []byte{0x65, 0x88, 0x84}), true, nil},
		{"sps pps idr", nals([]byte{0x67, 0x42}, []byte{0x68, 0xce}, []byte{0x65, 0x88}), true, nil},
		{"non-idr slice", nals([]byte{0x09, 0xf0}, []byte{0x41, 0x9a}), false, nil},
		{"empty", nil, false, keyframe.ErrSyntax},
		{"length past end", []byte{0, 0, 0, 9, 0x65}, false, keyframe.ErrTruncated},
		{"short length", []byte{0, 0, 1}, false, keyframe.ErrTruncated},
		{"zero length", []byte{0, 0, 0, 0}, false, keyframe.ErrSyntax},
		{"forbidden bit", nals([]byte{0xe5, 0}), false, keyframe.ErrSyntax},
		{"annex b start code", []byte{0, 0, 0, 1, 0x65, 0x88}, false, keyframe.ErrTruncated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key, err := keyframe.AVC(tc.data)
			if key != tc.key || !errors.Is(err, tc.err) {
				t.Errorf("AVC = %v, %v; want %v, %v", key, err, tc.key, tc.err)
			}
		})
	}
}

func TestHEVCTypes(t *testing.T) {
	for typ := byte(0); typ < 48; typ++ {
		key, err := keyframe.HEVC(nals([]byte{typ << 1, 1, 0xaf}))
		if want := typ >= 16 && typ <= 23; key != want || err != nil {
			t.Errorf("NAL type %d: %v, %v; want %v", typ, key, err, want)
		}
	}
}

func TestAV1(t *testing.T) {
	td := []byte{0x12, 0x00}                 // temporal delimiter, size 0
	seq := []byte{0x0a, 0x01, 0x00}          // sequence header, profile 0
	stillSeq := []byte{0x0a, 0x01, 0x18}     // still_picture, reduced_still_picture_header
	keyFrame := []byte{0x32, 0x02, 0x10, 0}  // OBU_FRAME: show_existing 0, frame_type 0
	interFrame := []byte{0x32, 0x01, 0x30}   // frame_type 1 (INTER_FRAME)
	showExisting := []byte{0x1a, 0x01, 0x80} // OBU_FRAME_HEADER, show_existing_frame
	cat := func(parts ...[]byte) []byte {
		var b []byte
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	for _, tc := range []struct {
		name string
		data []byte
		key  bool
		err  error
	}{
		{"key", cat(td, seq, keyFrame), true, nil},
		{"inter", cat(td, interFrame), false, nil},
		{"show existing", cat(td, showExisting), false, nil},
		{"reduced still picture", cat(stillSeq, []byte{0x32, 0x01, 0xff}), true, nil},
		{"last obu without size", cat(td, []byte{0x30, 0x10}), true, nil},
		{"extension header", cat(td, []byte{0x36, 0x08, 0x01, 0x40}), false, nil},
		{"no frame", cat(td, seq), false, keyframe.ErrSyntax},
		{"size past end", cat(td, []byte{0x32, 0x09, 0x10}), false, keyframe.ErrTruncated},
		{"forbidden bit", []byte{0x92, 0x00}, false, keyframe.ErrSyntax},
		{"endless leb128", []byte{0x32, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, false, keyframe.ErrSyntax},
		{"empty frame header", cat(td, []byte{0x32, 0x00}), false, keyframe.ErrTruncated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key, err := keyframe.AV1(tc.data)
			if key != tc.key || !errors.Is(err, tc.err) {
				t.Errorf("AV1 = %v, %v; want %v, %v", key, err, tc.key, tc.err)
			}
		})
	}
}

func TestVP9(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		key  bool
		err  error
	}{
		{"profile 0 key", []byte{0x82, 0x49, 0x83, 0x42}, true, nil},
		{"profile 0 inter", []byte{0x86, 0x00}, false, nil},
		{"show existing", []byte{0x88}, false, nil},
		{"profile 3 key", []byte{0xb0, 0x00}, true, nil},
		{"profile 3 reserved bit", []byte{0xb8, 0x00}, false, keyframe.ErrSyntax},
		{"bad marker", []byte{0x42}, false, keyframe.ErrSyntax},
		{"empty", nil, false, keyframe.ErrTruncated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key, err := keyframe.VP9(tc.data)
			if key != tc.key || !errors.Is(err, tc.err) {
				t.Errorf("VP9 = %v, %v; want %v, %v", key, err, tc.key, tc.err)
			}
		})
	}
}
