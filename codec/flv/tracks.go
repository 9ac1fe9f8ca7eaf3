package flv

// VideoTrack is one track of a video message. Body and Data point into the
// message payload; nothing is copied.
type VideoTrack struct {
	ID         uint8 // 0 for a message without multitrack
	FourCC     FourCC
	PacketType VideoPacketType
	// CompositionTime is the offset in milliseconds (AVC/HEVC CodedFrames).
	CompositionTime int32
	// Body is the track body as carried, composition time included.
	Body []byte
	// Data is the codec data after any composition time.
	Data []byte
}

// VideoTrackIter walks the tracks of one video message:
//
//	it := flv.VideoTracks(payload)
//	for it.Next() {
//		t := it.Track()
//		...
//	}
//	if err := it.Err(); err != nil { ... }
//
// A message without multitrack (legacy or Enhanced) has one track, id 0. A
// command frame has none. The iterator is a value: it never allocates.
type VideoTrackIter struct {
	s          trackScanner
	packetType VideoPacketType
}

// VideoTracks starts walking the tracks of a video message payload.
func VideoTracks(payload []byte) VideoTrackIter {
	info, s, err := parseVideo(payload)
	if err != nil {
		s.err = err
	} else if info.Kind == KindCommand {
		s.done = true
	}
	return VideoTrackIter{s: s, packetType: info.PacketType}
}

// Next advances to the next track and reports whether there is one.
func (it *VideoTrackIter) Next() bool { return it.s.next() }

// Track is the current track.
func (it *VideoTrackIter) Track() VideoTrack {
	t := it.s.cur
	return VideoTrack{ID: t.id, FourCC: t.fourCC, PacketType: it.packetType, CompositionTime: t.cto, Body: t.body, Data: t.data}
}

// Err is the error that stopped the walk, nil at a clean end.
func (it *VideoTrackIter) Err() error { return it.s.err }

// AudioTrack is one track of an audio message. Data points into the
// message payload; nothing is copied.
type AudioTrack struct {
	ID         uint8 // 0 for a message without multitrack
	FourCC     FourCC
	PacketType AudioPacketType
	Data       []byte
}

// AudioTrackIter walks the tracks of one audio message, like VideoTrackIter.
type AudioTrackIter struct {
	s          trackScanner
	packetType AudioPacketType
}

// AudioTracks starts walking the tracks of an audio message payload.
func AudioTracks(payload []byte) AudioTrackIter {
	info, s, err := parseAudio(payload)
	if err != nil {
		s.err = err
	}
	return AudioTrackIter{s: s, packetType: info.PacketType}
}

// Next advances to the next track and reports whether there is one.
func (it *AudioTrackIter) Next() bool { return it.s.next() }

// Track is the current track.
func (it *AudioTrackIter) Track() AudioTrack {
	t := it.s.cur
	return AudioTrack{ID: t.id, FourCC: t.fourCC, PacketType: it.packetType, Data: t.data}
}

// Err is the error that stopped the walk, nil at a clean end.
func (it *AudioTrackIter) Err() error { return it.s.err }
