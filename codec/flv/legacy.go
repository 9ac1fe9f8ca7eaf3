package flv

// AppendLegacyVideo appends the legacy FLV form (codec id 7) of a
// single-track Enhanced RTMP avc1 video message, for players that predate
// Enhanced RTMP. ok is false, and dst unchanged, when the message is not
// single-track avc1 SequenceStart, CodedFrames, CodedFramesX or
// SequenceEnd (other codecs have no legacy form). Pair it with
// ExtractVideoTrack to serve track 0 of a multitrack stream.
func AppendLegacyVideo(dst, payload []byte) (out []byte, ok bool, err error) {
	info, err := ClassifyVideo(payload)
	if err != nil {
		return dst, false, err
	}
	if !info.Enhanced || info.Multitrack || info.FourCC != FourCCAVC || info.Kind == KindCommand {
		return dst, false, nil
	}
	var pt byte
	switch info.PacketType {
	case VideoSequenceStart:
		pt = 0
	case VideoCodedFrames, VideoCodedFramesX:
		pt = 1
	case VideoSequenceEnd:
		pt = 2
	default:
		return dst, false, nil
	}
	dst = append(dst, byte(info.FrameType)<<4|byte(CodecAVC), pt)
	dst = append24(dst, uint32(info.CompositionTime)&0xffffff)
	return append(dst, info.Data...), true, nil
}

// AppendLegacyAudio appends the legacy FLV form (SoundFormat 10) of a
// single-track Enhanced RTMP mp4a SequenceStart or CodedFrames message.
// The legacy header always says 44 kHz, 16-bit, stereo for AAC: decoders
// take the real values from the AudioSpecificConfig. ok is false, and dst
// unchanged, for anything else.
func AppendLegacyAudio(dst, payload []byte) (out []byte, ok bool, err error) {
	info, err := ClassifyAudio(payload)
	if err != nil {
		return dst, false, err
	}
	if !info.Enhanced || info.Multitrack || info.FourCC != FourCCAAC {
		return dst, false, nil
	}
	switch info.PacketType {
	case AudioSequenceStart, AudioCodedFrames:
	default:
		return dst, false, nil
	}
	dst = append(dst, byte(SoundAAC)<<4|0x0f, byte(info.PacketType))
	return append(dst, info.Data...), true, nil
}
