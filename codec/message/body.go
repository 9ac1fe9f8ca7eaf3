package message

import "github.com/gortmp/rtmp/codec/amf0"

// TypeID is an RTMP message type id.
type TypeID uint8

// The message types of the RTMP specification, plus the Aggregate type.
const (
	TypeSetChunkSize     TypeID = 1
	TypeAbort            TypeID = 2
	TypeAcknowledgement  TypeID = 3
	TypeUserControl      TypeID = 4
	TypeWindowAckSize    TypeID = 5
	TypeSetPeerBandwidth TypeID = 6
	TypeAudio            TypeID = 8
	TypeVideo            TypeID = 9
	TypeDataAMF3         TypeID = 15
	TypeSharedObjectAMF3 TypeID = 16
	TypeCommandAMF3      TypeID = 17
	TypeDataAMF0         TypeID = 18
	TypeSharedObjectAMF0 TypeID = 19
	TypeCommandAMF0      TypeID = 20
	TypeAggregate        TypeID = 22
)

// Message is one decoded RTMP message: the header fields the session cares
// about and a typed body.
type Message struct {
	Timestamp uint32
	StreamID  uint32
	Body      Body
}

// Body is the typed content of a message. The set of bodies is closed: the
// exported types in this package are all there is.
type Body interface {
	// Type is the message type id this body travels as.
	Type() TypeID
	isBody()
}

// SetChunkSize (type 1) sets the sender's chunk size, 1 to 2^31-1.
type SetChunkSize struct{ Size uint32 }

// Abort (type 2) tells the receiver to drop the partial message of a chunk
// stream.
type Abort struct{ ChunkStreamID uint32 }

// Acknowledgement (type 3) reports the total bytes received so far.
type Acknowledgement struct{ SequenceNumber uint32 }

// WindowAckSize (type 5) is the number of bytes after which the peer
// expects an Acknowledgement.
type WindowAckSize struct{ Size uint32 }

// LimitType is the limit type of Set Peer Bandwidth.
type LimitType uint8

// The three limit types of Set Peer Bandwidth.
const (
	LimitHard    LimitType = 0
	LimitSoft    LimitType = 1
	LimitDynamic LimitType = 2
)

// SetPeerBandwidth (type 6) limits the peer's output bandwidth.
type SetPeerBandwidth struct {
	Size  uint32
	Limit LimitType
}

// Audio (type 8) is one FLV audio tag body.
type Audio struct{ Payload []byte }

// Video (type 9) is one FLV video tag body.
type Video struct{ Payload []byte }

// Command is a command message: AMF0 (type 20) or AMF3 (type 17, a leading
// 0x00 format byte followed by AMF0 values that may switch to AMF3).
type Command struct {
	Name          string
	TransactionID float64
	// Object is the command object, nil (null) for most stream commands.
	Object amf0.Value
	// Args are the optional arguments after the command object.
	Args []amf0.Value
	// AMF3 selects type 17 instead of 20 when encoding.
	AMF3 bool
}

// Data is a data message such as @setDataFrame or onMetaData: AMF0 (type
// 18) or AMF3 (type 15).
type Data struct {
	Values []amf0.Value
	AMF3   bool
}

// SharedObject (types 16 and 19) is kept raw: servers relay or refuse it.
type SharedObject struct {
	Payload []byte
	AMF3    bool
}

// Aggregate (type 22) is a series of FLV-tag-shaped sub-messages; see
// AggregateParts.
type Aggregate struct{ Payload []byte }

// Unknown is any message type this package does not know. It is kept, not
// dropped, so a relay can forward it and a session can report it.
type Unknown struct {
	TypeID  TypeID
	Payload []byte
}

func (SetChunkSize) Type() TypeID     { return TypeSetChunkSize }
func (Abort) Type() TypeID            { return TypeAbort }
func (Acknowledgement) Type() TypeID  { return TypeAcknowledgement }
func (WindowAckSize) Type() TypeID    { return TypeWindowAckSize }
func (SetPeerBandwidth) Type() TypeID { return TypeSetPeerBandwidth }
func (Audio) Type() TypeID            { return TypeAudio }
func (Video) Type() TypeID            { return TypeVideo }
func (c Command) Type() TypeID {
	if c.AMF3 {
		return TypeCommandAMF3
	}
	return TypeCommandAMF0
}
func (d Data) Type() TypeID {
	if d.AMF3 {
		return TypeDataAMF3
	}
	return TypeDataAMF0
}
func (s SharedObject) Type() TypeID {
	if s.AMF3 {
		return TypeSharedObjectAMF3
	}
	return TypeSharedObjectAMF0
}
func (Aggregate) Type() TypeID { return TypeAggregate }
func (u Unknown) Type() TypeID { return u.TypeID }

func (SetChunkSize) isBody()     {}
func (Abort) isBody()            {}
func (Acknowledgement) isBody()  {}
func (WindowAckSize) isBody()    {}
func (SetPeerBandwidth) isBody() {}
func (Audio) isBody()            {}
func (Video) isBody()            {}
func (Command) isBody()          {}
func (Data) isBody()             {}
func (SharedObject) isBody()     {}
func (Aggregate) isBody()        {}
func (Unknown) isBody()          {}
