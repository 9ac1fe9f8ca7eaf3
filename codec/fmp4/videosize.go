package fmp4

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
	sps := unescapeRBSP(rec[8+1 : 8+n])
	r := expGolomb{bitReader{b: sps}}
	profile := r.read(8)
	r.read(16) // constraint flags, level
	r.ue()     // seq_parameter_set_id
	chroma := uint32(1)
	switch profile {
	case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135:
		chroma = r.ue()
		if chroma == 3 {
			r.read(1) // separate colour planes
		}
		r.ue()              // luma bit depth
		r.ue()              // chroma bit depth
		r.read(1)           // transform bypass
		if r.read(1) == 1 { // scaling matrices present
			lists := 8
			if chroma == 3 {
				lists = 12
			}
			for i := range lists {
				if r.read(1) == 1 {
					size := 16
					if i >= 6 {
						size = 64
					}
					r.skipScalingList(size)
				}
			}
		}
	}
	r.ue()          // log2 max frame num
	switch r.ue() { // pic order count type
	case 0:
		r.ue()
	case 1:
		r.read(1)
		r.se()
		r.se()
		n := r.ue()
		if n > 255 {
			return 0, 0
		}
		for range n {
			r.se()
		}
	}
	r.ue()    // max reference frames
	r.read(1) // gaps allowed
	mbW := r.ue() + 1
	mbH := r.ue() + 1
	frameMbsOnly := r.read(1)
	if frameMbsOnly == 0 {
		r.read(1) // adaptive frame/field
	}
	r.read(1) // direct 8x8 inference
	var cl, cr, ct, cb uint32
	if r.read(1) == 1 { // cropping
		cl, cr, ct, cb = r.ue(), r.ue(), r.ue(), r.ue()
	}
	if r.short {
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

// unescapeRBSP removes the emulation prevention bytes (00 00 03) of a NAL
// unit's payload.
func unescapeRBSP(b []byte) []byte {
	out := make([]byte, 0, len(b))
	zeros := 0
	for _, c := range b {
		if zeros >= 2 && c == 3 {
			zeros = 0
			continue
		}
		if c == 0 {
			zeros++
		} else {
			zeros = 0
		}
		out = append(out, c)
	}
	return out
}

// expGolomb reads the Exp-Golomb codes of H.264 parameter sets.
type expGolomb struct{ bitReader }

func (r *expGolomb) ue() uint32 {
	zeros := 0
	for r.read(1) == 0 {
		if r.short || zeros == 31 {
			r.short = true
			return 0
		}
		zeros++
	}
	return 1<<zeros - 1 + r.read(zeros)
}

func (r *expGolomb) se() int32 {
	v := r.ue()
	if v&1 == 1 {
		return int32(v/2 + 1)
	}
	return -int32(v / 2)
}

func (r *expGolomb) skipScalingList(size int) {
	last, next := int32(8), int32(8)
	for range size {
		if next != 0 {
			next = (last + r.se() + 256) % 256
		}
		if next != 0 {
			last = next
		}
		if r.short {
			return
		}
	}
}
