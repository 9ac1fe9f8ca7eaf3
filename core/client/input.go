package client

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

// Input is everything that can happen to a client session: a message from
// the server, a byte count from the driver, or a call of the application.
// The set is closed; the variants are the exported types of this file.
type Input interface{ isInput() }

// RequestID names a createStream request so that its answer can be
// matched; the caller picks it, and it must not be pending already.
type RequestID uint32

// MessageReceived passes one decoded message from the server.
type MessageReceived struct{ Message message.Message }

// BytesCounted reports the byte totals of the connection so far. They are
// cumulative and only grow: the session acknowledges received bytes against
// the server's window from the difference to the last acknowledged total,
// never by adding totals up.
type BytesCounted struct {
	Received uint64
	Sent     uint64
}

// Connect opens the connection: Set Chunk Size, then the connect command
// with transaction id 1. The object carries app, type, flashVer, tcUrl,
// fpad, capabilities, audio and video codec flags and objectEncoding, then
// the Extra properties (Enhanced RTMP's fourCcList, for example); Args
// follow the object. Answered by Connected or ConnectFailed.
type Connect struct {
	App            string
	TCURL          string
	FlashVer       string
	ObjectEncoding float64
	Extra          amf0.Object
	Args           []amf0.Value
}

// CreateStream asks for a message stream. Answered by StreamCreated or
// CreateStreamFailed carrying the same Request.
type CreateStream struct{ Request RequestID }

// PublishType is how the server should store a published stream.
type PublishType uint8

// The publish types, sent as "live", "record" and "append".
const (
	PublishLive PublishType = iota
	PublishRecord
	PublishAppend
)

// Publish starts publishing Name on a created stream. Answered by
// PublishStarted or PublishFailed.
type Publish struct {
	StreamID uint32
	Name     string
	Type     PublishType
}

// Play starts playing Name on a created stream; Start is sent as given
// (-2 live or recorded, -1 live only, 0 or more recorded from there). The
// play command is followed by Set Buffer Length. Answered by PlayStarted or
// PlayFailed.
type Play struct {
	StreamID uint32
	Name     string
	Start    float64
}

// SetBufferLength tells the server how many milliseconds a playing stream
// buffers.
type SetBufferLength struct {
	StreamID     uint32
	Milliseconds uint32
}

// SendMessage sends audio, video or data on a publishing stream with the
// given timestamp.
type SendMessage struct {
	StreamID  uint32
	Timestamp uint32
	Body      message.Body
}

// SendMetaData sends @setDataFrame onMetaData on a publishing stream, the
// form servers keep and hand to every later player.
type SendMetaData struct {
	StreamID uint32
	MetaData amf0.ECMAArray
}

// DeleteStream stops a stream: a publishing stream sends FCUnpublish
// first, then deleteStream goes out. The stream's started publish or play
// finishes and a pending one fails.
type DeleteStream struct{ StreamID uint32 }

// Close ends the session: started streams finish, pending requests fail
// and the driver is told to disconnect.
type Close struct{}

func (MessageReceived) isInput() {}
func (BytesCounted) isInput()    {}
func (Connect) isInput()         {}
func (CreateStream) isInput()    {}
func (Publish) isInput()         {}
func (Play) isInput()            {}
func (SetBufferLength) isInput() {}
func (SendMessage) isInput()     {}
func (SendMetaData) isInput()    {}
func (DeleteStream) isInput()    {}
func (Close) isInput()           {}
