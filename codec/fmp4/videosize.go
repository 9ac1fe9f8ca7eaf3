package fmp4

import "github.com/gortmp/rtmp/codec/internal/bitstream"

// videoSize is the picture size a decoder configuration gives, or zeros
// where it gives none (VP9's has no size) or does not parse: players take
// the size from the coded stream, and the sample entry's fields are
// informative.
func videoSize(codec Codec, cfg []byte) (uint16, uint16) {
	switch codec {
	case H264:
		return avcSize(cfg)
	case H265:
		return hevcSize(cfg)
	case AV1:
		return av1Size(cfg)
	}
	return 0, 0
}

// spsBufferSize is room on the stack for an SPS payload: they are tens of
// bytes, and a longer one grows onto the heap.
const spsBufferSize = 256

// avcSize reads the picture size from the first SPS of an
// AVCDecoderConfigurationRecord.
func avcSize(rec []byte) (uint16, uint16) {
	if len(rec) < 8 || rec[5]&0x1f == 0 {
		return 0, 0
	}
	n := int(getBE16(rec[6:]))
	if len(rec) < 8+n || n < 4 {
		return 0, 0
	}
	var buf [spsBufferSize]byte
	sps := bitstream.AppendUnescaped(buf[:0], rec[8+1:8+n])
	r := bitstream.NewReader(sps)
	profile := r.Read(8)
	r.Read(16) // constraint flags, level
	r.UE()     // seq_parameter_set_id
	chroma := uint32(1)
	switch profile {
	case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135:
		chroma = r.UE()
		if chroma == 3 {
			r.Read(1) // separate colour planes
		}
		r.UE()              // luma bit depth
		r.UE()              // chroma bit depth
		r.Read(1)           // transform bypass
		if r.Read(1) == 1 { // scaling matrices present
			lists := 8
			if chroma == 3 {
				lists = 12
			}
			for i := range lists {
				if r.Read(1) == 1 {
					size := 16
					if i >= 6 {
						size = 64
					}
					skipScalingList(&r, size)
				}
			}
		}
	}
	r.UE()          // log2 max frame num
	switch r.UE() { // pic order count type
	case 0:
		r.UE()
	case 1:
		r.Read(1)
		r.SE()
		r.SE()
		n := r.UE()
		if n > 255 {
			return 0, 0
		}
		for range n {
			r.SE()
		}
	}
	r.UE()    // max reference frames
	r.Read(1) // gaps allowed
	mbW := r.UE() + 1
	mbH := r.UE() + 1
	frameMbsOnly := r.Read(1)
	if frameMbsOnly == 0 {
		r.Read(1) // adaptive frame/field
	}
	r.Read(1) // direct 8x8 inference
	var cl, cr, ct, cb uint32
	if r.Read(1) == 1 { // cropping
		cl, cr, ct, cb = r.UE(), r.UE(), r.UE(), r.UE()
	}
	if r.Short() {
		return 0, 0
	}
	cropX, cropY := uint32(2), uint32(2)
	switch chroma {
	case 0, 3:
		cropX, cropY = 1, 1
	case 2:
		cropX, cropY = 2, 1
	}
	cropY *= 2 - frameMbsOnly
	w := mbW*16 - cropX*(cl+cr)
	h := (2-frameMbsOnly)*mbH*16 - cropY*(ct+cb)
	if w > 0xffff || h > 0xffff || mbW > 0xffff || mbH > 0xffff {
		return 0, 0
	}
	return uint16(w), uint16(h)
}

// skipScalingList passes over a scaling_list() of an H.264 SPS: size
// deltas, stopping early when one makes the next scale zero.
func skipScalingList(r *bitstream.Reader, size int) {
	last, next := int32(8), int32(8)
	for range size {
		if next != 0 {
			next = (last + r.SE() + 256) % 256
		}
		if next != 0 {
			last = next
		}
		if r.Short() {
			return
		}
	}
}
