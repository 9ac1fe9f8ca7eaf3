package fmp4

import "github.com/gortmp/rtmp/codec/internal/bitstream"

// aacRates are the sampling frequencies of an AudioSpecificConfig's
// four-bit index.
var aacRates = [...]uint32{96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350}

// parseASC reads the sampling rate and channel count of an MPEG-4
// AudioSpecificConfig. A rate index of 15 is followed by an explicit
// 24-bit rate; an object type of 31 by six more bits.
func parseASC(b []byte) (rate uint32, channels uint16, err error) {
	r := bitstream.NewReader(b)
	if r.Read(5) == 31 {
		r.Read(6)
	}
	idx := r.Read(4)
	switch {
	case idx == 15:
		rate = r.Read(24)
	case int(idx) < len(aacRates):
		rate = aacRates[idx]
	}
	channels = uint16(r.Read(4))
	if r.Short() || rate == 0 {
		return 0, 0, errorf("AudioSpecificConfig % x", b)
	}
	return rate, channels, nil
}

// opusHeadChannels reads an OpusHead packet's channel count.
func opusHeadChannels(head []byte) uint16 {
	if len(head) < opusHeadMin {
		return 0
	}
	return uint16(head[9])
}

// flacStreamInfoSize is the size of the STREAMINFO block's body.
const flacStreamInfoSize = 34

// flacConfig turns a FLAC sequence start into the metadata blocks dfLa
// holds: the "fLaC" marker is dropped, and a bare STREAMINFO gets its
// block header (last block, type 0). It returns the rate and channels
// STREAMINFO gives.
func flacConfig(b []byte) ([]byte, uint32, uint16, error) {
	if len(b) >= 4 && string(b[:4]) == "fLaC" {
		b = b[4:]
	}
	if len(b) == flacStreamInfoSize {
		b = append([]byte{0x80, 0, 0, flacStreamInfoSize}, b...)
	}
	if len(b) < 4+flacStreamInfoSize || b[0]&0x7f != 0 {
		return nil, 0, 0, errorf("FLAC configuration without STREAMINFO")
	}
	info := b[4:]
	rate := uint32(info[10])<<12 | uint32(info[11])<<4 | uint32(info[12])>>4
	channels := uint16(info[12]>>1&0x7) + 1
	if rate == 0 {
		return nil, 0, 0, errorf("FLAC STREAMINFO with rate 0")
	}
	return b, rate, channels, nil
}

// mp3Rates are MPEG audio sampling rates by version (MPEG-1, MPEG-2,
// MPEG-2.5) and two-bit index.
var mp3Rates = [3][3]uint32{{44100, 48000, 32000}, {22050, 24000, 16000}, {11025, 12000, 8000}}

// parseMP3Header reads the rate and channels of the MPEG audio frame
// header b starts with.
func parseMP3Header(b []byte) (uint32, uint16, bool) {
	if len(b) < 4 || b[0] != 0xff || b[1]&0xe0 != 0xe0 {
		return 0, 0, false
	}
	version := 0
	switch b[1] >> 3 & 3 {
	case 3:
		version = 0
	case 2:
		version = 1
	case 0:
		version = 2
	default:
		return 0, 0, false
	}
	idx := b[2] >> 2 & 3
	if idx == 3 {
		return 0, 0, false
	}
	channels := uint16(2)
	if b[3]>>6 == 3 {
		channels = 1
	}
	return mp3Rates[version][idx], channels, true
}
