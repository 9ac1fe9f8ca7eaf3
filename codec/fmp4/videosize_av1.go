package fmp4

import "github.com/gortmp/rtmp/codec/internal/bitstream"

// av1Size reads the maximum frame size from the sequence header OBU among
// an AV1CodecConfigurationRecord's configOBUs (after its 4 bytes).
func av1Size(rec []byte) (uint16, uint16) {
	if len(rec) < 4 {
		return 0, 0
	}
	b := rec[4:]
	for len(b) > 0 {
		header := b[0]
		typ, ext, hasSize := header>>3&0xf, header&0x4 != 0, header&0x2 != 0
		at := 1
		if ext {
			at++
		}
		size := len(b) - at
		if hasSize {
			v, n := leb128(b[min(at, len(b)):])
			if n == 0 {
				return 0, 0
			}
			at += n
			size = int(min(v, uint64(len(b))))
		}
		if at > len(b) || size > len(b)-at {
			return 0, 0
		}
		if typ == obuSequenceHeader {
			return av1SequenceSize(b[at : at+size])
		}
		b = b[at+size:]
	}
	return 0, 0
}

const obuSequenceHeader = 1

// leb128 reads an unsigned LEB128 number of at most 8 bytes and returns
// it and its length, 0 when malformed.
func leb128(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < 8 && i < len(b); i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}

// av1SequenceSize walks a sequence header OBU's payload up to
// max_frame_width_minus_1 and max_frame_height_minus_1.
func av1SequenceSize(p []byte) (uint16, uint16) {
	r := bitstream.NewReader(p)
	r.Read(3)           // seq_profile
	r.Read(1)           // still_picture
	if r.Read(1) == 1 { // reduced_still_picture_header
		r.Read(5) // seq_level_idx[0]
	} else {
		decoderModel, bufferDelayBits := false, 0
		if r.Read(1) == 1 { // timing_info_present_flag
			r.Read(32)          // num_units_in_display_tick
			r.Read(32)          // time_scale
			if r.Read(1) == 1 { // equal_picture_interval
				r.UVLC() // num_ticks_per_picture_minus_1
				if r.Short() {
					return 0, 0
				}
			}
			if decoderModel = r.Read(1) == 1; decoderModel {
				bufferDelayBits = int(r.Read(5)) + 1
				r.Read(32) // num_units_in_decoding_tick
				r.Read(5)  // buffer_removal_time_length_minus_1
				r.Read(5)  // frame_presentation_time_length_minus_1
			}
		}
		displayDelay := r.Read(1) == 1
		points := int(r.Read(5)) + 1
		for range points {
			r.Read(12) // operating_point_idc
			if r.Read(5) > 7 {
				r.Read(1) // seq_tier
			}
			if decoderModel && r.Read(1) == 1 {
				r.Read(bufferDelayBits) // decoder_buffer_delay
				r.Read(bufferDelayBits) // encoder_buffer_delay
				r.Read(1)               // low_delay_mode_flag
			}
			if displayDelay && r.Read(1) == 1 {
				r.Read(4)
			}
		}
	}
	wBits, hBits := int(r.Read(4))+1, int(r.Read(4))+1
	w, h := r.Read(wBits)+1, r.Read(hBits)+1
	if r.Short() || w > 0xffff || h > 0xffff {
		return 0, 0
	}
	return uint16(w), uint16(h)
}
