package hls_test

import (
	"testing"

	"github.com/gortmp/rtmp/codec/fmp4"
	"github.com/gortmp/rtmp/driver/hls"
)

// Codec names as RFC 6381 and the HLS and MSE codecs strings spell them,
// from decoder configurations; too short a configuration gives "".
func TestCodecName(t *testing.T) {
	for _, tc := range []struct {
		track fmp4.Track
		want  string
	}{
		{fmp4.Track{Codec: fmp4.H264, Config: []byte{1, 0x64, 0x00, 0x1f, 0xff}}, "avc1.64001f"},
		{fmp4.Track{Codec: fmp4.H264, Config: []byte{1, 0x4d}}, ""},
		// HEVC Main, level 3.1 (93), compatibility flags 0x60000000 reversed to 6.
		{fmp4.Track{Codec: fmp4.H265, Config: []byte{1, 0x01, 0x60, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 93}}, "hvc1.1.6.L93.90"},
		{fmp4.Track{Codec: fmp4.AV1, Config: []byte{0x81, 0x04, 0x0c, 0}}, "av01.0.04M.08"},
		{fmp4.Track{Codec: fmp4.VP9, Config: []byte{1, 0, 0, 0, 0, 10, 0x82, 0}}, "vp09.00.10.08"},
		{fmp4.Track{Codec: fmp4.AAC, Config: []byte{0x12, 0x10}}, "mp4a.40.2"},
		{fmp4.Track{Codec: fmp4.AAC}, ""},
		{fmp4.Track{Codec: fmp4.Opus}, "opus"},
		{fmp4.Track{Codec: fmp4.MP3}, "mp4a.6B"},
		{fmp4.Track{Codec: fmp4.AC3}, "ac-3"},
	} {
		if got := hls.CodecName(tc.track); got != tc.want {
			t.Errorf("CodecName(%v %x) = %q, want %q", tc.track.Codec, tc.track.Config, got, tc.want)
		}
	}
}
