package client

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

// Event is an effect meant for the application, where the other effects
// are instructions for the driver (CallerError is returned to the caller
// whose input was wrong). The set is closed: the variants are the structs
// of this file. Each request has exactly one answer event: Connect is
// answered by Connected or ConnectFailed, CreateStream by StreamCreated or
// CreateStreamFailed, Publish by PublishStarted or PublishFailed, Play by
// PlayStarted or PlayFailed. A request still waiting when the session ends
// fails with Code "NetConnection.Connect.Closed".
type Event interface {
	Effect
	isEvent()
}

// CodeClosed is the code of a request that failed because the session
// ended before the server answered.
const CodeClosed = "NetConnection.Connect.Closed"

// Connected answers Connect with the server's _result: Properties
// (fmsVer, capabilities) and Info (level, code, description,
// objectEncoding) as sent.
type Connected struct {
	Properties amf0.Object
	Info       amf0.Object
}

// ConnectFailed answers Connect with the server's _error (or a status
// error); the session then disconnects.
type ConnectFailed struct {
	Code        string
	Description string
	Info        amf0.Object
}

// StreamCreated answers CreateStream with the server's stream id.
type StreamCreated struct {
	Request  RequestID
	StreamID uint32
}

// CreateStreamFailed answers CreateStream with _error or an unusable
// _result.
type CreateStreamFailed struct {
	Request     RequestID
	Code        string
	Description string
}

// CallAnswered is the server's answer to a call the session made on its
// own (releaseStream, FCPublish, FCUnpublish): each call's first
// _result or _error, once. Failed says it was _error.
type CallAnswered struct {
	Name    string
	Failed  bool
	Command message.Command
}

// PublishStarted answers Publish with NetStream.Publish.Start: media may
// follow.
type PublishStarted struct {
	StreamID uint32
	Name     string
}

// PublishFailed answers Publish with an error status (BadName, Denied,
// ...) or _error.
type PublishFailed struct {
	StreamID    uint32
	Name        string
	Code        string
	Description string
}

// PlayStarted answers Play with NetStream.Play.Start.
type PlayStarted struct {
	StreamID uint32
	Name     string
}

// PlayFailed answers Play with an error status (StreamNotFound, Failed,
// ...) or _error.
type PlayFailed struct {
	StreamID    uint32
	Name        string
	Code        string
	Description string
}

// PublishFinished says a started publish ended (DeleteStream or Close);
// once per start.
type PublishFinished struct {
	StreamID uint32
	Name     string
}

// PlayFinished says a started play ended: DeleteStream, Close, or the
// server's NetStream.Play.Stop (Code says which, "" for our own stop).
type PlayFinished struct {
	StreamID uint32
	Name     string
	Code     string
}

// StreamDeleted says a DeleteStream went out.
type StreamDeleted struct{ StreamID uint32 }

// StatusReceived is any onStatus that answers no request
// (NetStream.Play.Reset, NetStream.Play.UnpublishNotify, ...).
type StatusReceived struct {
	StreamID    uint32
	Level       string
	Code        string
	Description string
	Info        amf0.Object
}

// ReconnectRequested is onStatus NetConnection.Connect.ReconnectRequest of
// Enhanced RTMP: the server asks the client to reconnect, to TCURL when it
// is not empty.
type ReconnectRequested struct {
	TCURL       string
	Description string
}

// MetaDataReceived is onMetaData on a playing stream, bare or wrapped in
// @setDataFrame, every key in order.
type MetaDataReceived struct {
	StreamID  uint32
	Timestamp uint32
	MetaData  amf0.ECMAArray
}

// DataReceived is any other data message on a playing stream.
type DataReceived struct {
	StreamID  uint32
	Timestamp uint32
	Values    []amf0.Value
}

// MediaKind says whether media is audio or video.
type MediaKind uint8

// The media kinds.
const (
	KindAudio MediaKind = iota
	KindVideo
)

// MediaReceived is one audio or video message of a playing stream. Data
// is the message payload, not a copy.
type MediaReceived struct {
	StreamID  uint32
	Kind      MediaKind
	Timestamp uint32
	Data      []byte
}

// StreamBegan is User Control Stream Begin.
type StreamBegan struct{ StreamID uint32 }

// StreamEnded is User Control Stream EOF: the server sends no more media
// on the stream for now.
type StreamEnded struct{ StreamID uint32 }

// PeerChunkSizeChanged says the server changed its chunk size (the chunk
// decoder has already applied it).
type PeerChunkSizeChanged struct{ Size uint32 }

// WindowSizeReceived is the server's Window Acknowledgement Size: the
// session acknowledges received bytes against it from now on.
type WindowSizeReceived struct{ Size uint32 }

// PeerBandwidthSet is the server's Set Peer Bandwidth.
type PeerBandwidthSet struct {
	Size  uint32
	Limit message.LimitType
}

// AcknowledgementReceived says how many bytes the server has received.
type AcknowledgementReceived struct{ BytesReceived uint32 }

// PingAnswered says the server pinged and the response went out.
type PingAnswered struct{ Timestamp uint32 }

// CommandUnhandled is a command the session does not act on (onBWDone,
// onFCPublish, _checkbw, a _result nobody asked for, ...).
type CommandUnhandled struct {
	MessageStreamID uint32
	Command         message.Command
}

// MessageIgnored is a message with nowhere to go: media for a stream that
// is not playing, a shared object, an unknown type.
type MessageIgnored struct {
	MessageStreamID uint32
	Type            message.TypeID
	Reason          string
}

func (Connected) isEffect()               {}
func (ConnectFailed) isEffect()           {}
func (StreamCreated) isEffect()           {}
func (CreateStreamFailed) isEffect()      {}
func (CallAnswered) isEffect()            {}
func (PublishStarted) isEffect()          {}
func (PublishFailed) isEffect()           {}
func (PlayStarted) isEffect()             {}
func (PlayFailed) isEffect()              {}
func (PublishFinished) isEffect()         {}
func (PlayFinished) isEffect()            {}
func (StreamDeleted) isEffect()           {}
func (StatusReceived) isEffect()          {}
func (ReconnectRequested) isEffect()      {}
func (MetaDataReceived) isEffect()        {}
func (DataReceived) isEffect()            {}
func (MediaReceived) isEffect()           {}
func (StreamBegan) isEffect()             {}
func (StreamEnded) isEffect()             {}
func (PeerChunkSizeChanged) isEffect()    {}
func (WindowSizeReceived) isEffect()      {}
func (PeerBandwidthSet) isEffect()        {}
func (AcknowledgementReceived) isEffect() {}
func (PingAnswered) isEffect()            {}
func (CommandUnhandled) isEffect()        {}
func (MessageIgnored) isEffect()          {}

func (Connected) isEvent()               {}
func (ConnectFailed) isEvent()           {}
func (CallAnswered) isEvent()            {}
func (StreamCreated) isEvent()           {}
func (CreateStreamFailed) isEvent()      {}
func (PublishStarted) isEvent()          {}
func (PublishFailed) isEvent()           {}
func (PlayStarted) isEvent()             {}
func (PlayFailed) isEvent()              {}
func (PublishFinished) isEvent()         {}
func (PlayFinished) isEvent()            {}
func (StreamDeleted) isEvent()           {}
func (StatusReceived) isEvent()          {}
func (ReconnectRequested) isEvent()      {}
func (MetaDataReceived) isEvent()        {}
func (DataReceived) isEvent()            {}
func (MediaReceived) isEvent()           {}
func (StreamBegan) isEvent()             {}
func (StreamEnded) isEvent()             {}
func (PeerChunkSizeChanged) isEvent()    {}
func (WindowSizeReceived) isEvent()      {}
func (PeerBandwidthSet) isEvent()        {}
func (AcknowledgementReceived) isEvent() {}
func (PingAnswered) isEvent()            {}
func (CommandUnhandled) isEvent()        {}
func (MessageIgnored) isEvent()          {}
