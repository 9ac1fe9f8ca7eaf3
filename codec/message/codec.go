package message

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
)

// Limits bound the AMF values that decoding a command or data message
// builds, and so the memory and work one message can demand. The zero
// value takes the defaults of package amf0 (amf0.DefaultMaxDepth,
// amf0.DefaultMaxElements); Decode uses it.
type Limits struct {
	// MaxDepth bounds how deeply composite values nest (AMF3 composites
	// after an AVM+ switch included).
	MaxDepth int
	// MaxElements bounds the values in one message's decoded values, a
	// reference counting as the whole value it points at.
	MaxElements int
}

// Decode is the package's Decode with these limits; a value past one
// is a *FormatError whose Err is the amf0 package's limit error.
func (l Limits) Decode(raw chunk.Message) (Message, error) {
	body, err := decodeBody(amf0.Decoder{MaxDepth: l.MaxDepth, MaxElements: l.MaxElements}, TypeID(raw.TypeID), raw.Payload)
	if err != nil {
		return Message{}, err
	}
	return Message{Timestamp: raw.Timestamp, StreamID: raw.StreamID, Body: body}, nil
}

// Decode turns a raw chunk-layer message into a typed Message. Unknown
// message types become Unknown and unknown user-control events
// UnknownUserControl: neither is an error. Audio, Video, SharedObject,
// Aggregate and Unknown bodies alias raw.Payload instead of copying it, so
// a media payload is copied only once, by the chunk decoder. Control
// messages may carry trailing bytes, which are ignored. AMF values are
// decoded within the default Limits.
func Decode(raw chunk.Message) (Message, error) { return Limits{}.Decode(raw) }

func decodeBody(amf amf0.Decoder, t TypeID, p []byte) (Body, error) {
	switch t {
	case TypeSetChunkSize:
		return decodeSetChunkSize(p)
	case TypeAbort:
		v, err := decode32(t, "Abort", p)
		return Abort{ChunkStreamID: v}, err
	case TypeAcknowledgement:
		v, err := decode32(t, "Acknowledgement", p)
		return Acknowledgement{SequenceNumber: v}, err
	case TypeUserControl:
		return decodeUserControl(p)
	case TypeWindowAckSize:
		v, err := decode32(t, "Window Acknowledgement Size", p)
		return WindowAckSize{Size: v}, err
	case TypeSetPeerBandwidth:
		return decodeSetPeerBandwidth(p)
	case TypeAudio:
		return Audio{Payload: p}, nil
	case TypeVideo:
		return Video{Payload: p}, nil
	case TypeCommandAMF0, TypeCommandAMF3:
		return decodeCommand(amf, t, p)
	case TypeDataAMF0, TypeDataAMF3:
		return decodeData(amf, t, p)
	case TypeSharedObjectAMF0, TypeSharedObjectAMF3:
		return SharedObject{Payload: p, AMF3: t == TypeSharedObjectAMF3}, nil
	case TypeAggregate:
		return Aggregate{Payload: p}, nil
	default:
		return Unknown{TypeID: t, Payload: p}, nil
	}
}

// AppendBody appends the wire payload of b to dst. Raw bodies (media,
// shared objects, aggregates, unknown types) are appended as they are.
func AppendBody(dst []byte, b Body) ([]byte, error) {
	switch b := b.(type) {
	case SetChunkSize:
		return appendSetChunkSize(dst, b)
	case Abort:
		return be.AppendUint32(dst, b.ChunkStreamID), nil
	case Acknowledgement:
		return be.AppendUint32(dst, b.SequenceNumber), nil
	case WindowAckSize:
		return be.AppendUint32(dst, b.Size), nil
	case SetPeerBandwidth:
		return append(be.AppendUint32(dst, b.Size), byte(b.Limit)), nil
	case StreamBegin, StreamEOF, StreamDry, SetBufferLength, StreamIsRecorded,
		PingRequest, PingResponse, UnknownUserControl:
		return appendUserControl(dst, b), nil
	case Command:
		return appendCommand(dst, b)
	case Data:
		return appendData(dst, b)
	case Audio:
		return append(dst, b.Payload...), nil
	case Video:
		return append(dst, b.Payload...), nil
	case SharedObject:
		return append(dst, b.Payload...), nil
	case Aggregate:
		return append(dst, b.Payload...), nil
	case Unknown:
		return append(dst, b.Payload...), nil
	case nil:
		return dst, ErrNoBody
	default:
		// The Body interface is closed; this is a body type added to the
		// package without an encoder.
		return dst, fmt.Errorf("message: no encoder for %T", b)
	}
}

// Encode turns a typed Message into a raw chunk-layer message for
// chunk.Encoder. Raw bodies keep their payload slice (no copy); the others
// are encoded into a fresh one.
func Encode(m Message) (chunk.Message, error) {
	if m.Body == nil {
		return chunk.Message{}, ErrNoBody
	}
	raw := chunk.Message{Timestamp: m.Timestamp, TypeID: uint8(m.Body.Type()), StreamID: m.StreamID}
	switch b := m.Body.(type) {
	case Audio:
		raw.Payload = b.Payload
	case Video:
		raw.Payload = b.Payload
	case SharedObject:
		raw.Payload = b.Payload
	case Aggregate:
		raw.Payload = b.Payload
	case Unknown:
		raw.Payload = b.Payload
	default:
		p, err := AppendBody(nil, b)
		if err != nil {
			return chunk.Message{}, err
		}
		raw.Payload = p
	}
	return raw, nil
}
