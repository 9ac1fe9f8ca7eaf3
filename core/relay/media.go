package relay

import "github.com/gortmp/rtmp/codec/flv"

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
	// Data is any other data message of the stream (RTMP message type 18):
	// onTextData, onCuePoint, onCaption, or whatever else the publisher
	// sends, its payload the AMF0 values in the form players receive. It
	// reaches every player in order with the media and is never cached.
	Data
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
	case Data:
		return "data"
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
	// Control is media that is not a frame but must reach every player in
	// order: a sequence end, Enhanced RTMP video metadata, a video command
	// frame. It is sent like a sequence header and not cached.
	Control
	// ScriptData is a data message other than metadata (onTextData,
	// onCuePoint, ...): sent to every player in order like Control, never
	// cached, so a late player only gets what follows its join.
	ScriptData
	// Unreadable is audio or video whose tag header (or, for a reserved
	// frame type, whose bitstream) codec/flv cannot read. Only players
	// that take every message as published (ViewAll) get it, like
	// Control; it is never cached, and Fanout.Unreadable says why.
	Unreadable
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
	case Control:
		return "control"
	case ScriptData:
		return "script-data"
	case Unreadable:
		return "unreadable"
	}
	return "unknown"
}

// Classify says what a message is to the relay, reading the audio or
// video tag header with codec/flv (legacy and Enhanced RTMP, multitrack
// included). Sequence starts and ends are known by their packet type
// alone, and a coded frame with the reserved frame type 0 by its
// bitstream (see flv.AppendResolvedVideo); what still cannot be read is
// Unreadable.
func Classify(m Media) Class {
	_, c, _ := readable(m)
	return c
}

// readable returns m as the relay passes it on (with a reserved frame
// type resolved, in a new payload), its class, and for an Unreadable
// message the reason.
func readable(m Media) (Media, Class, error) {
	switch m.Kind {
	case Metadata:
		return m, Meta, nil
	case Data:
		return m, ScriptData, nil
	case Audio:
		info, err := flv.ClassifyAudio(m.Payload)
		if err != nil {
			return m, Unreadable, err
		}
		switch info.Kind {
		case flv.KindSequenceStart, flv.KindChannelConfig:
			return m, AudioHeader, nil
		case flv.KindFrame:
			return m, Frame, nil
		}
		return m, Control, nil
	case Video:
		p, _, err := flv.AppendResolvedVideo(nil, m.Payload)
		if err != nil {
			return m, Unreadable, err
		}
		m.Payload = p
		info, err := flv.ClassifyVideo(p)
		if err != nil {
			return m, Unreadable, err
		}
		switch info.Kind {
		case flv.KindKeyframe:
			return m, Keyframe, nil
		case flv.KindSequenceStart:
			return m, VideoHeader, nil
		case flv.KindFrame:
			return m, Frame, nil
		}
		return m, Control, nil
	}
	return m, Frame, nil
}
