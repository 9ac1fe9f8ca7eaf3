package flv

// Kind is what a relay needs to know about an audio or video message: how
// to treat it when a player joins late or a recording starts.
type Kind uint8

const (
	// KindFrame is ordinary coded media: inter frames, or any audio frame.
	// A late joiner can skip it.
	KindFrame Kind = iota
	// KindKeyframe is coded video that starts a random access point; a late
	// joiner starts here.
	KindKeyframe
	// KindSequenceStart carries decoder configuration (AVC/HEVC/AV1/VP9
	// records, AudioSpecificConfig, OpusHead, ...). Keep the latest per
	// track and send it before any frame.
	KindSequenceStart
	// KindSequenceEnd ends a coded sequence (AVC end of sequence, Enhanced
	// RTMP SequenceEnd). Forget the cached configuration of that track.
	KindSequenceEnd
	// KindMetadata is Enhanced RTMP video metadata (colour and HDR
	// information as AMF). Keep the latest and send it before frames.
	KindMetadata
	// KindChannelConfig is an Enhanced RTMP audio MultichannelConfig.
	// Keep the latest per track, like a sequence start.
	KindChannelConfig
	// KindCommand is a video command frame (client-side seek start or end),
	// not media.
	KindCommand
)

var kindNames = [...]string{"frame", "keyframe", "sequence-start", "sequence-end", "metadata", "channel-config", "command"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind?"
}

// MultitrackType is the Enhanced RTMP v2 multitrack mode.
type MultitrackType uint8

const (
	// OneTrack: one track with an id, its body runs to the end.
	OneTrack MultitrackType = 0
	// ManyTracks: several tracks of one codec, each with an id and a size.
	ManyTracks MultitrackType = 1
	// ManyTracksManyCodecs: several tracks, each with its own FourCC, id
	// and size.
	ManyTracksManyCodecs MultitrackType = 2
)
