package core

import (
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

// Event is an effect meant for the application, where the other effects
// are instructions for the driver. The set is closed: the variants are the
// structs of this file. Every event that names a stream carries StreamID
// (a stream the peer created, or 0 for the connection); diagnostic events
// carry the raw MessageStreamID instead, which may name nothing.
type Event interface {
	Effect
	isEvent()
}

// PublishType is how a publisher wants its stream stored.
type PublishType uint8

// The publish types; a publish without a type is live.
const (
	PublishLive PublishType = iota
	PublishRecord
	PublishAppend
)

// PlayType is what a player asked for through play's start argument.
type PlayType uint8

// The play types: start -1 (or -1000, the same in milliseconds) is live
// only, 0 or more is recorded from that position, and anything else (-2,
// the default, or -2000) is live or recorded.
const (
	PlayAny PlayType = iota
	PlayLive
	PlayRecorded
)

// MediaKind says whether media is audio or video.
type MediaKind uint8

// The media kinds.
const (
	KindAudio MediaKind = iota
	KindVideo
)

// ConnectionRequested is a connect waiting for Accept or Reject.
type ConnectionRequested struct {
	Request RequestID
	// App is the application name with the query string and trailing
	// slashes removed.
	App string
	// Query is the part after '?' in app or, when app has none, in tcUrl,
	// as sent; stream-key authentication reads it.
	Query    string
	TCURL    string
	FlashVer string
	SWFURL   string
	PageURL  string
	// ObjectEncoding is 0 (AMF0) or 3 (AMF3); the reply echoes it.
	ObjectEncoding float64
	// Object is the whole command object, every property as sent.
	Object amf0.Object
	// Args are the optional arguments after the command object.
	Args []amf0.Value
	// Client is what the client declared for Enhanced RTMP (fourCcList,
	// the FourCC info maps, capsEx); zero for a legacy client. Server is
	// what the _result will announce on Accept: Config.Capabilities for an
	// Enhanced client, zero for a legacy one.
	Client Capabilities
	Server Capabilities
}

// PublishStreamRequested is a publish waiting for Accept or Reject.
type PublishStreamRequested struct {
	Request   RequestID
	App       string
	StreamKey string
	// Query is the part of the publish name after '?'.
	Query    string
	Type     PublishType
	StreamID uint32
}

// PlayStreamRequested is a play (or play2) waiting for Accept or Reject.
type PlayStreamRequested struct {
	Request   RequestID
	App       string
	StreamKey string
	Query     string
	Type      PlayType
	// Start, Duration and Reset are play's arguments as sent (defaults -2,
	// -1 and true).
	Start    float64
	Duration float64
	Reset    bool
	StreamID uint32
	// Play2 is set for play2; Transition is its transition mode.
	Play2      bool
	Transition string
}

// PublishingStarted says an accepted publish is live: media follows.
type PublishingStarted struct {
	App       string
	StreamKey string
	StreamID  uint32
	Type      PublishType
}

// PlayStreamStarted says an accepted play is running: SendMessage may feed it.
type PlayStreamStarted struct {
	App       string
	StreamKey string
	StreamID  uint32
}

// PublishingFinished says a started publish ended (closeStream,
// deleteStream, FCUnpublish or the end of the session); once per start.
type PublishingFinished struct {
	App       string
	StreamKey string
	StreamID  uint32
}

// PlayStreamFinished says a started play ended; once per start.
type PlayStreamFinished struct {
	App       string
	StreamKey string
	StreamID  uint32
}

// StreamDeleted says the peer deleted a stream it had created.
type StreamDeleted struct{ StreamID uint32 }

// StreamMetaDataChanged carries @setDataFrame onMetaData (or a bare
// onMetaData) of a publishing stream, every key kept in order.
type StreamMetaDataChanged struct {
	App       string
	StreamKey string
	StreamID  uint32
	MetaData  amf0.ECMAArray
}

// StreamMetaDataCleared is @clearDataFrame on a publishing stream.
type StreamMetaDataCleared struct {
	App       string
	StreamKey string
	StreamID  uint32
}

// DataReceived is any other data message on a publishing stream
// (onTextData, onCuePoint, ...), for relaying.
type DataReceived struct {
	App       string
	StreamKey string
	StreamID  uint32
	Timestamp uint32
	Values    []amf0.Value
}

// AudioVideoDataReceived is one audio or video message of a publishing
// stream. It holds a pointer so that it fits an interface without a copy:
// the media path then costs one allocation per message.
type AudioVideoDataReceived struct{ *Media }

// Media is the content of AudioVideoDataReceived.
type Media struct {
	App       string
	StreamKey string
	StreamID  uint32
	Kind      MediaKind
	// Timestamp is the message timestamp; ReceivedAt the session time.
	Timestamp  uint32
	ReceivedAt time.Duration
	Data       []byte
}

// PeerChunkSizeChanged says the peer changed its chunk size.
type PeerChunkSizeChanged struct{ Size uint32 }

// PeerBandwidthSet says the peer limited our output bandwidth; Effective
// is the limit after applying the limit type.
type PeerBandwidthSet struct {
	Size      uint32
	Limit     message.LimitType
	Effective uint32
}

// ByteTotalsReported echoes each BytesCounted (the seed's NewByteIOTotals).
type ByteTotalsReported struct {
	Received uint64
	Sent     uint64
}

// AcknowledgementReceived says how many bytes the peer has received.
type AcknowledgementReceived struct{ BytesReceived uint32 }

// PingRequestSent says a ping request left with this timestamp.
type PingRequestSent struct{ Timestamp uint32 }

// PingResponseReceived says the peer answered a ping.
type PingResponseReceived struct{ Timestamp uint32 }

// BufferLengthSet says a player set its buffer length for a stream.
type BufferLengthSet struct {
	StreamID     uint32
	Milliseconds uint32
}

// ReleaseStreamRequested is releaseStream: an encoder asks to free a
// stream key before publishing to it. It is answered at once.
type ReleaseStreamRequested struct {
	App       string
	StreamKey string
}

// FCPublishRequested is FCPublish, announced before publish.
type FCPublishRequested struct {
	App       string
	StreamKey string
}

// FCUnpublishRequested is FCUnpublish; a publishing stream with that key
// finishes with it.
type FCUnpublishRequested struct {
	App       string
	StreamKey string
}

// FCSubscribeRequested is FCSubscribe (CDN players announce a play).
type FCSubscribeRequested struct {
	App       string
	StreamKey string
}

// FCUnsubscribeRequested is FCUnsubscribe.
type FCUnsubscribeRequested struct {
	App       string
	StreamKey string
}

// StreamLengthRequested is getStreamLength; it is answered with 0, the
// length of a live stream.
type StreamLengthRequested struct {
	App       string
	StreamKey string
}

// ReceiveAudioChanged is receiveAudio on a stream.
type ReceiveAudioChanged struct {
	StreamID uint32
	Enabled  bool
}

// ReceiveVideoChanged is receiveVideo on a stream.
type ReceiveVideoChanged struct {
	StreamID uint32
	Enabled  bool
}

// PauseRequested is pause or unpause of a playing stream.
type PauseRequested struct {
	App       string
	StreamKey string
	StreamID  uint32
	Paused    bool
	// Position is the player's position in milliseconds.
	Position float64
}

// SeekRequested is seek on a playing stream. Live streams cannot seek, so
// the player is told NetStream.Seek.Failed.
type SeekRequested struct {
	App       string
	StreamKey string
	StreamID  uint32
	Position  float64
}

// CommandUnhandled is a command we do not know or that came in the wrong
// state (the seed's UnhandleableAmf0Command). When its transaction id is
// not 0 the peer got an _error (or, for publish and play, an onStatus
// error), except for a command that came before any connect (Reason
// ReasonBeforeConnect), which is ignored without an answer. A command that
// arrives while the connect waits for Accept is not unhandled: it runs
// after the Accept.
type CommandUnhandled struct {
	MessageStreamID uint32
	Command         message.Command
	Reason          string
}

// MessageIgnored is a message with nowhere to go: media or data for a
// stream that is not publishing, a shared object, an unknown type.
type MessageIgnored struct {
	MessageStreamID uint32
	Type            message.TypeID
	Reason          string
}

// ProtocolViolated reports a peer protocol error; Disconnect follows.
type ProtocolViolated struct{ Err ProtocolError }

// CallerError reports a misuse by the caller (an unknown request id, a
// send on a stream that does not exist). The session is unchanged. It is
// an event: an application whose inputs are carried out later, by a
// driver, hears of its mistakes this way.
type CallerError struct{ Err error }

func (ConnectionRequested) isEffect()     {}
func (PublishStreamRequested) isEffect()  {}
func (PlayStreamRequested) isEffect()     {}
func (PublishingStarted) isEffect()       {}
func (PlayStreamStarted) isEffect()       {}
func (PublishingFinished) isEffect()      {}
func (PlayStreamFinished) isEffect()      {}
func (StreamDeleted) isEffect()           {}
func (StreamMetaDataChanged) isEffect()   {}
func (StreamMetaDataCleared) isEffect()   {}
func (DataReceived) isEffect()            {}
func (AudioVideoDataReceived) isEffect()  {}
func (PeerChunkSizeChanged) isEffect()    {}
func (PeerBandwidthSet) isEffect()        {}
func (ByteTotalsReported) isEffect()      {}
func (AcknowledgementReceived) isEffect() {}
func (PingRequestSent) isEffect()         {}
func (PingResponseReceived) isEffect()    {}
func (BufferLengthSet) isEffect()         {}
func (ReleaseStreamRequested) isEffect()  {}
func (FCPublishRequested) isEffect()      {}
func (FCUnpublishRequested) isEffect()    {}
func (FCSubscribeRequested) isEffect()    {}
func (FCUnsubscribeRequested) isEffect()  {}
func (StreamLengthRequested) isEffect()   {}
func (ReceiveAudioChanged) isEffect()     {}
func (ReceiveVideoChanged) isEffect()     {}
func (PauseRequested) isEffect()          {}
func (SeekRequested) isEffect()           {}
func (CommandUnhandled) isEffect()        {}
func (MessageIgnored) isEffect()          {}
func (ProtocolViolated) isEffect()        {}
func (CallerError) isEffect()             {}

func (ConnectionRequested) isEvent()     {}
func (PublishStreamRequested) isEvent()  {}
func (PlayStreamRequested) isEvent()     {}
func (PublishingStarted) isEvent()       {}
func (PlayStreamStarted) isEvent()       {}
func (PublishingFinished) isEvent()      {}
func (PlayStreamFinished) isEvent()      {}
func (StreamDeleted) isEvent()           {}
func (StreamMetaDataChanged) isEvent()   {}
func (StreamMetaDataCleared) isEvent()   {}
func (DataReceived) isEvent()            {}
func (AudioVideoDataReceived) isEvent()  {}
func (PeerChunkSizeChanged) isEvent()    {}
func (PeerBandwidthSet) isEvent()        {}
func (ByteTotalsReported) isEvent()      {}
func (AcknowledgementReceived) isEvent() {}
func (PingRequestSent) isEvent()         {}
func (PingResponseReceived) isEvent()    {}
func (BufferLengthSet) isEvent()         {}
func (ReleaseStreamRequested) isEvent()  {}
func (FCPublishRequested) isEvent()      {}
func (FCUnpublishRequested) isEvent()    {}
func (FCSubscribeRequested) isEvent()    {}
func (FCUnsubscribeRequested) isEvent()  {}
func (StreamLengthRequested) isEvent()   {}
func (ReceiveAudioChanged) isEvent()     {}
func (ReceiveVideoChanged) isEvent()     {}
func (PauseRequested) isEvent()          {}
func (SeekRequested) isEvent()           {}
func (CommandUnhandled) isEvent()        {}
func (MessageIgnored) isEvent()          {}
func (ProtocolViolated) isEvent()        {}
func (CallerError) isEvent()             {}
