package fmp4

// appendSampleEntry writes the sample entry of t's codec with its
// configuration box inside.
func appendSampleEntry(dst []byte, t *Track) ([]byte, error) {
	dst, at := begin(dst, t.Codec.sampleEntry())
	dst = zeros(dst, 6)
	dst = be16(dst, 1) // data reference index: the one in dref
	if t.Codec.IsVideo() {
		dst = appendVisualFields(dst, t)
	} else {
		dst = appendAudioFields(dst, t)
	}
	var err error
	switch t.Codec {
	case H264, H265, AV1, AC3, EAC3:
		var c int
		dst, c = begin(dst, t.Codec.configBox())
		dst = append(dst, t.Config...)
		dst = end(dst, c)
	case VP9:
		var c int
		dst, c = beginFull(dst, typeVpcC, 1, 0)
		dst = append(dst, t.Config...)
		dst = end(dst, c)
	case FLAC:
		var c int
		dst, c = beginFull(dst, typeDfLa, 0, 0)
		dst = append(dst, t.Config...)
		dst = end(dst, c)
	case AAC:
		dst = appendEsds(dst, t.ID, objectTypeAAC, t.Config)
	case MP3:
		dst = appendEsds(dst, t.ID, objectTypeMP3, nil)
	case Opus:
		dst, err = appendDOps(dst, t.Config)
	}
	return end(dst, at), err
}

func appendVisualFields(dst []byte, t *Track) []byte {
	dst = zeros(dst, 16) // pre_defined and reserved
	dst = be16(dst, t.Width)
	dst = be16(dst, t.Height)
	dst = be32(dst, 0x00480000) // 72 dpi
	dst = be32(dst, 0x00480000)
	dst = be32(dst, 0)
	dst = be16(dst, 1)   // one frame per sample
	dst = zeros(dst, 32) // compressor name: none
	dst = be16(dst, 0x0018)
	return be16(dst, 0xffff)
}

func appendAudioFields(dst []byte, t *Track) []byte {
	dst = zeros(dst, 8)
	dst = be16(dst, t.Channels)
	dst = be16(dst, 16) // sample size
	dst = zeros(dst, 4)
	rate := t.SampleRate
	if t.Codec == Opus {
		rate = opusRate // the rate Opus always decodes at
	}
	if rate > 0xffff {
		rate = 0 // does not fit 16.16: the configuration has it
	}
	return be32(dst, rate<<16)
}

// MPEG-4 systems object types of a DecoderConfigDescriptor.
const (
	objectTypeAAC = 0x40 // MPEG-4 audio
	objectTypeMP3 = 0x6b // MPEG-1 audio (layer III)
)

// MPEG-4 descriptor tags used in esds.
const (
	tagES             = 0x03
	tagDecoderConfig  = 0x04
	tagDecoderSpecifc = 0x05
	tagSLConfig       = 0x06
)

// appendEsds writes an esds box: an ES descriptor with the decoder
// configuration (object type, audio stream) and, for AAC, the
// AudioSpecificConfig as decoder specific info.
func appendEsds(dst []byte, id uint32, objectType byte, asc []byte) []byte {
	dst, at := beginFull(dst, typeEsds, 0, 0)
	dcd := 13
	if asc != nil {
		dcd += 5 + len(asc)
	}
	es := 3 + 5 + dcd + 5 + 1
	dst = appendDescriptorHeader(dst, tagES, es)
	dst = be16(dst, uint16(id))
	dst = append(dst, 0) // no dependency, URL or OCR stream
	dst = appendDescriptorHeader(dst, tagDecoderConfig, dcd)
	const audioStream = 0x05<<2 | 1 // stream type audio, reserved bit set
	dst = append(dst, objectType, audioStream)
	dst = be24(dst, 0) // buffer size
	dst = be32(dst, 0) // max bitrate
	dst = be32(dst, 0) // average bitrate
	if asc != nil {
		dst = appendDescriptorHeader(dst, tagDecoderSpecifc, len(asc))
		dst = append(dst, asc...)
	}
	dst = appendDescriptorHeader(dst, tagSLConfig, 1)
	dst = append(dst, 0x02) // predefined: MP4 file
	return end(dst, at)
}

// appendDescriptorHeader writes a tag and a size in the four-byte form
// (seven bits a byte, high bit for "more"), which every reader accepts.
func appendDescriptorHeader(dst []byte, tag byte, size int) []byte {
	return append(dst, tag, byte(size>>21)&0x7f|0x80, byte(size>>14)&0x7f|0x80, byte(size>>7)&0x7f|0x80, byte(size)&0x7f)
}

// opusRate is the rate an Opus decoder outputs, and the timescale its
// tracks use.
const opusRate = 48000

// opusHeadMin is the size of an OpusHead packet with channel mapping
// family 0: magic, version, channels, pre-skip, rate, gain, family.
const opusHeadMin = 19

// appendDOps turns an OpusHead packet (little-endian, as Ogg and Enhanced
// RTMP carry it) into the dOps box of the Opus-in-ISOBMFF mapping
// (big-endian, version 0).
func appendDOps(dst []byte, head []byte) ([]byte, error) {
	mapping, err := opusMapping(head)
	if err != nil {
		return dst, err
	}
	channels, family := head[9], head[18]
	dst, at := begin(dst, typeDOps) // a plain box with its own version byte
	dst = append(dst, 0, channels)
	dst = append(dst, head[11], head[10])                     // pre-skip
	dst = append(dst, head[15], head[14], head[13], head[12]) // input rate
	dst = append(dst, head[17], head[16])                     // output gain
	dst = append(dst, family)
	dst = append(dst, head[opusHeadMin:opusHeadMin+mapping]...)
	return end(dst, at), nil
}

// opusMapping checks an OpusHead packet and returns the size of its
// channel mapping table (stream count, coupled count, one byte per
// channel), which families other than 0 have.
func opusMapping(head []byte) (int, error) {
	if len(head) < opusHeadMin || string(head[:8]) != "OpusHead" {
		return 0, errorf("not an OpusHead packet")
	}
	channels, family := head[9], head[18]
	if family == 0 {
		return 0, nil
	}
	if len(head) < opusHeadMin+2+int(channels) {
		return 0, errorf("OpusHead of %d bytes for %d channels in family %d", len(head), channels, family)
	}
	return 2 + int(channels), nil
}
