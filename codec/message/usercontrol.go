package message

// EventType is a User Control event type.
type EventType uint16

// The User Control event types of the RTMP specification.
const (
	EventStreamBegin      EventType = 0
	EventStreamEOF        EventType = 1
	EventStreamDry        EventType = 2
	EventSetBufferLength  EventType = 3
	EventStreamIsRecorded EventType = 4
	EventPingRequest      EventType = 6
	EventPingResponse     EventType = 7
)

// User Control messages (type 4) are one body type per event, so a switch
// on the body reads naturally.

// StreamBegin says a stream became functional.
type StreamBegin struct{ StreamID uint32 }

// StreamEOF says playback of a stream ended.
type StreamEOF struct{ StreamID uint32 }

// StreamDry says there is no more data on a stream for now.
type StreamDry struct{ StreamID uint32 }

// SetBufferLength tells the server the client's buffer length.
type SetBufferLength struct {
	StreamID     uint32
	Milliseconds uint32
}

// StreamIsRecorded says a stream is a recorded stream.
type StreamIsRecorded struct{ StreamID uint32 }

// PingRequest asks the peer to answer with a PingResponse carrying the same
// timestamp.
type PingRequest struct{ Timestamp uint32 }

// PingResponse answers a PingRequest.
type PingResponse struct{ Timestamp uint32 }

// UnknownUserControl keeps an event type this package does not know.
type UnknownUserControl struct {
	Event EventType
	Data  []byte
}

func (StreamBegin) Type() TypeID        { return TypeUserControl }
func (StreamEOF) Type() TypeID          { return TypeUserControl }
func (StreamDry) Type() TypeID          { return TypeUserControl }
func (SetBufferLength) Type() TypeID    { return TypeUserControl }
func (StreamIsRecorded) Type() TypeID   { return TypeUserControl }
func (PingRequest) Type() TypeID        { return TypeUserControl }
func (PingResponse) Type() TypeID       { return TypeUserControl }
func (UnknownUserControl) Type() TypeID { return TypeUserControl }

func (StreamBegin) isBody()        {}
func (StreamEOF) isBody()          {}
func (StreamDry) isBody()          {}
func (SetBufferLength) isBody()    {}
func (StreamIsRecorded) isBody()   {}
func (PingRequest) isBody()        {}
func (PingResponse) isBody()       {}
func (UnknownUserControl) isBody() {}
