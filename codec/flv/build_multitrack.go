package flv

// AppendVideoMultitrack appends an Enhanced RTMP v2 multitrack video
// payload: one frame type and packet type for every track, each track's
// ID, FourCC, CompositionTime (CodedFrames of avc1 and hvc1 only) and Data
// taken from tracks (Body and PacketType are ignored). The mode is the
// most compact that fits: OneTrack for a single track, ManyTracks when
// every track shares a codec, ManyTracksManyCodecs otherwise. With no
// tracks dst is returned unchanged. A track body must stay under 16 MiB,
// the most its 24-bit size field can say.
func AppendVideoMultitrack(dst []byte, ft VideoFrameType, pt VideoPacketType, tracks []VideoTrack) []byte {
	if len(tracks) == 0 {
		return dst
	}
	codecs := make([]FourCC, len(tracks))
	for i, t := range tracks {
		codecs[i] = t.FourCC
	}
	mode := multitrackMode(codecs)
	dst = append(dst, 0x80|byte(ft&0x07)<<4|byte(VideoMultitrack), byte(mode)<<4|byte(pt&0x0f))
	if mode != ManyTracksManyCodecs {
		dst = appendFourCC(dst, codecs[0])
	}
	for _, t := range tracks {
		cto := pt == VideoCodedFrames && t.FourCC.hasCompositionTime()
		size := len(t.Data)
		if cto {
			size += 3
		}
		dst = appendTrackHeader(dst, mode, t.FourCC, t.ID, size)
		if cto {
			dst = append24(dst, uint32(t.CompositionTime)&0xffffff)
		}
		dst = append(dst, t.Data...)
	}
	return dst
}

// AppendAudioMultitrack is AppendVideoMultitrack for audio: each track's
// ID, FourCC and Data under one packet type.
func AppendAudioMultitrack(dst []byte, pt AudioPacketType, tracks []AudioTrack) []byte {
	if len(tracks) == 0 {
		return dst
	}
	codecs := make([]FourCC, len(tracks))
	for i, t := range tracks {
		codecs[i] = t.FourCC
	}
	mode := multitrackMode(codecs)
	dst = append(dst, byte(SoundExHeader)<<4|byte(AudioMultitrack), byte(mode)<<4|byte(pt&0x0f))
	if mode != ManyTracksManyCodecs {
		dst = appendFourCC(dst, codecs[0])
	}
	for _, t := range tracks {
		dst = appendTrackHeader(dst, mode, t.FourCC, t.ID, len(t.Data))
		dst = append(dst, t.Data...)
	}
	return dst
}

func multitrackMode(codecs []FourCC) MultitrackType {
	if len(codecs) == 1 {
		return OneTrack
	}
	for _, c := range codecs[1:] {
		if c != codecs[0] {
			return ManyTracksManyCodecs
		}
	}
	return ManyTracks
}

// appendTrackHeader writes what precedes one track's body: its FourCC when
// each track names its own, its id, and its size unless it runs to the end.
func appendTrackHeader(dst []byte, mode MultitrackType, codec FourCC, id uint8, size int) []byte {
	if mode == ManyTracksManyCodecs {
		dst = appendFourCC(dst, codec)
	}
	dst = append(dst, id)
	if mode != OneTrack {
		dst = append24(dst, uint32(size))
	}
	return dst
}
