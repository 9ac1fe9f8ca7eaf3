package hls

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/fmp4"
)

// CodecName is a track's codec as RFC 6381 names it (the CODECS of HLS,
// the codecs parameter of a MIME type for Media Source Extensions), read
// from its decoder configuration, or "" when that is too short.
func CodecName(t fmp4.Track) string {
	c := t.Config
	switch t.Codec {
	case fmp4.H264:
		if len(c) >= 4 {
			return fmt.Sprintf("avc1.%02x%02x%02x", c[1], c[2], c[3])
		}
	case fmp4.H265:
		// HEVCDecoderConfigurationRecord: profile space, tier and
		// profile, 32 compatibility flags, 48 constraint bits, level.
		if len(c) >= 13 {
			space := [...]string{"", "A", "B", "C"}[c[1]>>6]
			tier := "L"
			if c[1]&0x20 != 0 {
				tier = "H"
			}
			compat := uint32(c[2])<<24 | uint32(c[3])<<16 | uint32(c[4])<<8 | uint32(c[5])
			var reversed uint32
			for i := range 32 {
				reversed |= (compat >> i & 1) << (31 - i)
			}
			return fmt.Sprintf("hvc1.%s%d.%X.%s%d.%02X", space, c[1]&0x1f, reversed, tier, c[12], c[6])
		}
	case fmp4.AV1:
		// AV1CodecConfigurationRecord: profile and level, then tier and
		// bit depth.
		if len(c) >= 3 {
			tier := "M"
			if c[2]&0x80 != 0 {
				tier = "H"
			}
			depth := 8
			if c[2]&0x40 != 0 {
				depth = 10
				if c[2]&0x20 != 0 {
					depth = 12
				}
			}
			return fmt.Sprintf("av01.%d.%02d%s.%02d", c[1]>>5, c[1]&0x1f, tier, depth)
		}
	case fmp4.VP9:
		// VPCodecConfigurationRecord as Enhanced RTMP carries it (the
		// vpcC payload after its version and flags): profile, level, bit
		// depth in the top four bits.
		if len(c) >= 7 && c[0] == 1 {
			c = c[4:]
		}
		if len(c) >= 3 {
			return fmt.Sprintf("vp09.%02d.%02d.%02d", c[0], c[1], c[2]>>4)
		}
	case fmp4.AAC:
		if len(c) >= 1 {
			return fmt.Sprintf("mp4a.40.%d", c[0]>>3)
		}
	case fmp4.MP3:
		return "mp4a.6B"
	case fmp4.Opus:
		return "opus"
	case fmp4.FLAC:
		return "flac"
	case fmp4.AC3:
		return "ac-3"
	case fmp4.EAC3:
		return "ec-3"
	}
	return ""
}
