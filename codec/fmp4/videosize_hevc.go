package fmp4

import "github.com/gortmp/rtmp/codec/internal/bitstream"

// hevcSPSType is the NAL unit type of an HEVC sequence parameter set.
const hevcSPSType = 33

// hevcSize reads the picture size from the first SPS of an
// HEVCDecoderConfigurationRecord: 22 bytes of fields, then arrays of NAL
// units by type.
func hevcSize(rec []byte) (uint16, uint16) {
	if len(rec) < 23 {
		return 0, 0
	}
	arrays, b := int(rec[22]), rec[23:]
	for range arrays {
		if len(b) < 3 {
			return 0, 0
		}
		typ, n := b[0]&0x3f, int(getBE16(b[1:]))
		b = b[3:]
		for range n {
			if len(b) < 2 {
				return 0, 0
			}
			size := int(getBE16(b))
			if len(b) < 2+size {
				return 0, 0
			}
			if typ == hevcSPSType && size > 2 {
				var buf [spsBufferSize]byte
				return hevcSPSSize(bitstream.AppendUnescaped(buf[:0], b[2+2:2+size]))
			}
			b = b[2+size:]
		}
	}
	return 0, 0
}

// hevcSPSSize reads pic_width and pic_height, less the conformance
// window, from an SPS payload (after its two-byte NAL header).
func hevcSPSSize(sps []byte) (uint16, uint16) {
	r := bitstream.NewReader(sps)
	r.Read(4) // video parameter set id
	subLayers := int(r.Read(3))
	r.Read(1)  // temporal id nesting
	r.Skip(96) // general profile, tier and level
	var profile, level [8]bool
	for i := range subLayers {
		profile[i], level[i] = r.Read(1) == 1, r.Read(1) == 1
	}
	if subLayers > 0 {
		for range 8 - subLayers {
			r.Read(2)
		}
	}
	for i := range subLayers {
		if profile[i] {
			r.Skip(88)
		}
		if level[i] {
			r.Read(8)
		}
	}
	r.UE() // seq parameter set id
	chroma := r.UE()
	if chroma == 3 {
		r.Read(1) // separate colour planes
	}
	w, h := r.UE(), r.UE()
	if r.Read(1) == 1 { // conformance window, in chroma samples
		sw, sh := uint32(1), uint32(1)
		switch chroma {
		case 1:
			sw, sh = 2, 2
		case 2:
			sw = 2
		}
		l, rt, t, b := r.UE(), r.UE(), r.UE(), r.UE()
		crop := func(v, a, b, scale uint32) uint32 {
			if c := (a + b) * scale; c < v {
				return v - c
			}
			return 0
		}
		w, h = crop(w, l, rt, sw), crop(h, t, b, sh)
	}
	if r.Short() || w > 0xffff || h > 0xffff {
		return 0, 0
	}
	return uint16(w), uint16(h)
}
