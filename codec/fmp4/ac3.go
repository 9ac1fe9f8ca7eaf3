package fmp4

import "github.com/gortmp/rtmp/codec/internal/bitstream"

// ac3Rates are AC-3 and E-AC-3 sampling rates by fscod; E-AC-3's fscod 3
// means half rates, chosen by fscod2.
var (
	ac3Rates    = [3]uint32{48000, 44100, 32000}
	eac3Rates   = [3]uint32{24000, 22050, 16000}
	ac3Channels = [8]uint16{2, 1, 2, 3, 3, 4, 4, 5} // by acmod
	ac3Syncword = [2]byte{0x0b, 0x77}
	eac3Blocks  = [4]uint32{1, 2, 3, 6} // audio blocks a frame, by numblkscod
)

// ac3Config makes the body of a dac3 box from the AC-3 syncframe a frame
// starts with: fscod, bsid, bsmod, acmod, lfeon and the bit rate code. It
// returns the rate and channels too.
func ac3Config(frame []byte) ([]byte, uint32, uint16, bool) {
	if len(frame) < 7 || frame[0] != ac3Syncword[0] || frame[1] != ac3Syncword[1] {
		return nil, 0, 0, false
	}
	r := bitstream.NewReader(frame[4:])
	fscod, frmsizecod := r.Read(2), r.Read(6)
	bsid, bsmod, acmod := r.Read(5), r.Read(3), r.Read(3)
	if fscod == 3 || bsid > 10 || frmsizecod > 37 {
		return nil, 0, 0, false
	}
	if acmod&1 != 0 && acmod != 1 {
		r.Read(2) // centre mix level
	}
	if acmod&4 != 0 {
		r.Read(2) // surround mix level
	}
	if acmod == 2 {
		r.Read(2) // Dolby surround mode
	}
	lfeon := r.Read(1)
	if r.Short() {
		return nil, 0, 0, false
	}
	v := fscod<<22 | bsid<<17 | bsmod<<14 | acmod<<11 | lfeon<<10 | (frmsizecod>>1)<<5
	return []byte{byte(v >> 16), byte(v >> 8), byte(v)}, ac3Rates[fscod], ac3Channels[acmod] + uint16(lfeon), true
}

// eac3Config makes the body of a dec3 box from the E-AC-3 syncframe a
// frame starts with, describing one independent substream and no
// dependent ones: the data rate, fscod, bsid, acmod and lfeon. The
// bitstream mode, deep in the frame's metadata, is given as 0 (complete
// main).
func eac3Config(frame []byte) ([]byte, uint32, uint16, bool) {
	if len(frame) < 6 || frame[0] != ac3Syncword[0] || frame[1] != ac3Syncword[1] {
		return nil, 0, 0, false
	}
	r := bitstream.NewReader(frame[2:])
	r.Read(2) // stream type
	r.Read(3) // substream id
	frmsiz := r.Read(11)
	fscod := r.Read(2)
	var rate, blocks uint32
	if fscod == 3 {
		fscod2 := r.Read(2)
		if fscod2 == 3 {
			return nil, 0, 0, false
		}
		rate, blocks = eac3Rates[fscod2], 6
	} else {
		rate, blocks = ac3Rates[fscod], eac3Blocks[r.Read(2)]
	}
	acmod, lfeon, bsid := r.Read(3), r.Read(1), r.Read(5)
	if r.Short() || bsid <= 10 || bsid > 16 {
		return nil, 0, 0, false
	}
	frameBits := (frmsiz + 1) * 16
	dataRate := uint64(frameBits) * uint64(rate) / uint64(blocks*256) / 1000 // kbit/s
	v := uint64(dataRate&0x1fff)<<27 |                                       // data rate, then num_ind_sub 0
		uint64(fscod&3)<<22 | uint64(bsid)<<17 | uint64(acmod)<<9 | uint64(lfeon)<<8
	// The fields of one independent substream: fscod (2), bsid (5),
	// reserved (1), asvc (1), bsmod (3), acmod (3), lfeon (1), reserved
	// (3), num_dep_sub (4), reserved (1).
	return []byte{byte(v >> 32), byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}, rate, ac3Channels[acmod] + uint16(lfeon), true
}
