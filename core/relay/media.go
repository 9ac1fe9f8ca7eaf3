package relay

// Kind says what a media message carries.
type Kind uint8

// The kinds of message a stream relays.
const (
	// Audio is an FLV audio tag body (RTMP message type 8).
	Audio Kind = iota + 1
	// Video is an FLV video tag body (RTMP message type 9).
	Video
	// Metadata is an onMetaData data message (RTMP message type 18), its
	// payload already in the form players receive (without the
	// @setDataFrame prefix a publisher sends).
	Metadata
)

// String names the kind for logs and test output.
func (k Kind) String() string {
	switch k {
	case Audio:
		return "audio"
	case Video:
		return "video"
	case Metadata:
		return "metadata"
	}
	return "unknown"
}

// Media is one message of a published stream. The relay keeps Payload (in
// its fast-start cache) after the call that hands it over, so the caller
// must not modify or reuse the bytes afterwards.
type Media struct {
	Kind      Kind
	Timestamp uint32
	Payload   []byte
}

// Cost is what a message counts against a player's queue: the payload plus
// a nominal message header. Callers report written bytes in the same unit
// (see Stream.Written), so the relay's accounting never drifts from the
// driver's, whatever chunk size the bytes were framed with.
func (m Media) Cost() int { return len(m.Payload) + headerCost }

// headerCost approximates the framing of one message: a type-0 chunk
// header with an extended timestamp.
const headerCost = 16

// Class is what the relay needs to know about a message to start players
// on a keyframe and to drop the right things.
type Class uint8

// The classes of media message. A sequence header configures the decoder
// and is never dropped; a keyframe is where a player may start.
const (
	// Frame is any other audio or video message.
	Frame Class = iota
	// Keyframe is a video frame a decoder can start from.
	Keyframe
	// VideoHeader is a video sequence header (decoder configuration).
	VideoHeader
	// AudioHeader is an audio sequence header (AAC AudioSpecificConfig or
	// an Enhanced RTMP audio SequenceStart).
	AudioHeader
	// Meta is stream metadata.
	Meta
)

// String names the class for logs and test output.
func (c Class) String() string {
	switch c {
	case Frame:
		return "frame"
	case Keyframe:
		return "keyframe"
	case VideoHeader:
		return "video-header"
	case AudioHeader:
		return "audio-header"
	case Meta:
		return "metadata"
	}
	return "unknown"
}

// Classify reads the first bytes of an FLV audio or video tag body, legacy
// or Enhanced RTMP, as far as a relay needs. Short or unknown bodies are
// plain frames: forwarding them is always safe.
func Classify(m Media) Class {
	p := m.Payload
	switch m.Kind {
	case Metadata:
		return Meta
	case Audio:
		return classifyAudio(p)
	case Video:
		return classifyVideo(p)
	}
	return Frame
}

// Audio: SoundFormat is the top nibble of the first byte. AAC (10) puts an
// AACPacketType after it, 0 being the AudioSpecificConfig. Enhanced RTMP
// (SoundFormat 9) puts the AudioPacketType in the low nibble, 0 being
// SequenceStart.
func classifyAudio(p []byte) Class {
	if len(p) == 0 {
		return Frame
	}
	switch p[0] >> 4 {
	case 10:
		if len(p) >= 2 && p[1] == 0 {
			return AudioHeader
		}
	case 9:
		if p[0]&0x0f == 0 {
			return AudioHeader
		}
	}
	return Frame
}

// Video: bit 7 of the first byte marks the Enhanced RTMP header, whose
// frame type is bits 4-6 and packet type bits 0-3 (0 SequenceStart). The
// legacy header has the frame type in the top nibble and the codec id in
// the low one; AVC (7) and the widespread legacy HEVC id (12) carry a
// packet type byte, 0 being the sequence header. Frame type 1 is a
// keyframe; 5 is a command frame, which carries no picture.
func classifyVideo(p []byte) Class {
	if len(p) == 0 {
		return Frame
	}
	if p[0]&0x80 != 0 {
		frameType := (p[0] >> 4) & 0x07
		packetType := p[0] & 0x0f
		if frameType == 5 {
			return Frame
		}
		if packetType == 0 {
			return VideoHeader
		}
		if frameType == 1 {
			return Keyframe
		}
		return Frame
	}
	frameType := p[0] >> 4
	codec := p[0] & 0x0f
	if frameType == 5 {
		return Frame
	}
	if (codec == 7 || codec == 12) && len(p) >= 2 && p[1] == 0 {
		return VideoHeader
	}
	if frameType == 1 {
		return Keyframe
	}
	return Frame
}
