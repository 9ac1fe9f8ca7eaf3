package flv

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/keyframe"
)

// AppendResolvedVideo reads an Enhanced RTMP video message whose frame
// type is 0, which the specification reserves but some libraries write on
// every message, and appends it to dst with the frame type it means:
// FrameKey for a sequence start, sequence end or metadata (the packet
// type alone says what those are), and for coded frames FrameKey when the
// bitstream of every track starts a keyframe (see codec/keyframe),
// FrameInter otherwise. Every other payload needs nothing: out is payload
// itself and changed is false.
//
// A message that still cannot be read gives an error: its header is bad,
// its codec has no bitstream reader (ErrReserved), or its bitstream does
// not parse (a codec/keyframe error, wrapped).
func AppendResolvedVideo(dst, payload []byte) (out []byte, changed bool, err error) {
	if len(payload) == 0 || payload[0]&0x80 == 0 || payload[0]&0x70 != 0 {
		return payload, false, nil
	}
	start := len(dst)
	dst = append(dst, payload...)
	dst[start] |= byte(FrameInter) << 4
	resolved := dst[start:]
	info, err := ClassifyVideo(resolved)
	if err != nil {
		return payload, false, err
	}
	key := true
	if info.Kind == KindFrame {
		it := VideoTracks(resolved)
		for it.Next() {
			t := it.Track()
			k, err := trackIsKey(t.FourCC, t.Data)
			if err != nil {
				return payload, false, fmt.Errorf("flv: frame type 0, track %d (%v): %w", t.ID, t.FourCC, err)
			}
			key = key && k
		}
	}
	if key {
		resolved[0] = resolved[0]&0x8f | byte(FrameKey)<<4
	}
	return dst, true, nil
}

// trackIsKey reads one track's bitstream.
func trackIsKey(codec FourCC, data []byte) (bool, error) {
	switch codec {
	case FourCCAVC:
		return keyframe.AVC(data)
	case FourCCHEVC:
		return keyframe.HEVC(data)
	case FourCCAV1:
		return keyframe.AV1(data)
	case FourCCVP9:
		return keyframe.VP9(data)
	}
	return false, ErrReserved
}
