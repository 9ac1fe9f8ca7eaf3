package flv

// AppendVideo appends a single-track Enhanced RTMP video payload: the
// header byte, the FourCC, the composition time when the packet type is
// CodedFrames and the codec carries one (avc1, hvc1), then data.
func AppendVideo(dst []byte, ft VideoFrameType, pt VideoPacketType, codec FourCC, cto int32, data []byte) []byte {
	dst = append(dst, 0x80|byte(ft&0x07)<<4|byte(pt&0x0f))
	dst = appendFourCC(dst, codec)
	if pt == VideoCodedFrames && codec.hasCompositionTime() {
		dst = append24(dst, uint32(cto)&0xffffff)
	}
	return append(dst, data...)
}

// AppendAudio appends a single-track Enhanced RTMP audio payload: the
// header byte, the FourCC, then data.
func AppendAudio(dst []byte, pt AudioPacketType, codec FourCC, data []byte) []byte {
	dst = append(dst, byte(SoundExHeader)<<4|byte(pt&0x0f))
	dst = appendFourCC(dst, codec)
	return append(dst, data...)
}

// ExtractVideoTrack appends to dst the track with the given id of a video
// message as a plain single-track Enhanced RTMP message, for players that
// do not understand multitrack (legacy players get track 0). A message
// without multitrack is copied unchanged when id is 0. ModEx data (the
// nanosecond timestamp offset) is dropped, since players old enough to need
// this do not read it. The error is ErrTrackNotFound when no track has the
// id, or the payload's header error.
func ExtractVideoTrack(dst, payload []byte, id uint8) ([]byte, error) {
	info, s, err := parseVideo(payload)
	if err != nil {
		return dst, err
	}
	if !info.Multitrack {
		if id != 0 {
			return dst, ErrTrackNotFound
		}
		return append(dst, payload...), nil
	}
	for s.next() {
		if s.cur.id == id {
			dst = append(dst, 0x80|byte(info.FrameType)<<4|byte(info.PacketType))
			dst = appendFourCC(dst, s.cur.fourCC)
			return append(dst, s.cur.body...), nil
		}
	}
	if s.err != nil {
		return dst, s.err
	}
	return dst, ErrTrackNotFound
}

// ExtractAudioTrack is ExtractVideoTrack for audio messages.
func ExtractAudioTrack(dst, payload []byte, id uint8) ([]byte, error) {
	info, s, err := parseAudio(payload)
	if err != nil {
		return dst, err
	}
	if !info.Multitrack {
		if id != 0 {
			return dst, ErrTrackNotFound
		}
		return append(dst, payload...), nil
	}
	for s.next() {
		if s.cur.id == id {
			return AppendAudio(dst, info.PacketType, s.cur.fourCC, s.cur.body), nil
		}
	}
	if s.err != nil {
		return dst, s.err
	}
	return dst, ErrTrackNotFound
}
