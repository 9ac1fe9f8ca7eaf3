package driver

import (
	"strconv"
	"sync"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
)

// MediaChunkStreamID is the chunk stream Frame uses for a message type:
// one of the fan-out ids of package message, which the sessions never use,
// because an encoder's header compression must never see chunks it did not
// write on its streams.
func MediaChunkStreamID(t message.TypeID) uint32 {
	switch t {
	case message.TypeAudio:
		return message.FanOutAudioChunkStreamID
	case message.TypeVideo:
		return message.FanOutVideoChunkStreamID
	}
	return message.FanOutDataChunkStreamID
}

// Frame is one media message encoded at most once per (outbound chunk
// size, message stream id) however many connections receive it: the bytes
// start with a type-0 chunk header and continue with type-3 chunks, so
// they are valid on any connection with that chunk size. It is safe for
// concurrent use.
type Frame struct {
	msg  chunk.Message
	csid uint32

	mu      sync.Mutex
	encoded []chunk.Shared
	keys    []uint32 // message stream id of each encoding
	// httpChunk is the message as an FLV tag in an HTTP/1.1 chunk, made
	// once for every HTTP-FLV player (see HTTPChunk).
	httpChunk []byte
	// amf3 is the frame for clients that chose AMF3, made once for all of
	// them (see inAMF3).
	amf3 *Frame
	// unshared: one connection is expected to write the frame (see
	// NewUnsharedFrame).
	unshared bool
}

// NewFrame wraps a message payload. The payload must not change afterwards.
func NewFrame(t message.TypeID, timestamp uint32, payload []byte) *Frame {
	return &Frame{
		msg:  chunk.Message{Timestamp: timestamp, TypeID: uint8(t), Payload: payload},
		csid: MediaChunkStreamID(t),
	}
}

// NewUnsharedFrame is NewFrame for a message one connection is expected
// to write, such as the next message of a stream with one player:
// Conn.QueueFrame writes it straight from its payload when the connection
// could write it at once, instead of framing a copy of it first that no
// other connection would read. Framed bytes are still made when needed
// (the socket took only some, or the connection must queue it), and the
// frame may be given to other connections like any other.
func NewUnsharedFrame(t message.TypeID, timestamp uint32, payload []byte) *Frame {
	f := NewFrame(t, timestamp, payload)
	f.unshared = true
	return f
}

// Message is the message the frame carries; its payload must not be
// changed.
func (f *Frame) Message() chunk.Message { return f.msg }

// Bytes returns the frame's chunks for a connection's chunk size and the
// message stream id the receiver plays on. The bytes are shared: never
// modify them.
func (f *Frame) Bytes(chunkSize, streamID uint32) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, s := range f.encoded {
		if s.ChunkSize == chunkSize && f.keys[i] == streamID {
			return s.Bytes, nil
		}
	}
	m := f.msg
	m.StreamID = streamID
	s, err := chunk.AppendShared(nil, f.csid, m, chunkSize)
	if err != nil {
		return nil, err
	}
	f.encoded = append(f.encoded, s)
	f.keys = append(f.keys, streamID)
	return s.Bytes, nil
}

// inAMF3 returns the frame as a client that connected with objectEncoding
// 3 receives it: an AMF0 data message (type 18) becomes the same message
// as type 15 with AMF3 values, made once and shared; audio, video and a
// payload that does not decode are the frame itself.
func (f *Frame) inAMF3() *Frame {
	if message.TypeID(f.msg.TypeID) != message.TypeDataAMF0 {
		return f
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.amf3 == nil {
		f.amf3 = f
		if p, err := message.DataPayloadInAMF3(f.msg.Payload); err == nil {
			f.amf3 = NewFrame(message.TypeDataAMF3, f.msg.Timestamp, p)
		}
	}
	return f.amf3
}

// HTTPChunk returns the message as an FLV tag (audio, video or script
// data, by its RTMP type, which FLV numbers alike) with its previous-tag
// size, framed as one chunk of HTTP/1.1's chunked transfer coding: the
// bytes an HTTP-FLV response carries for it. They are made once and
// shared: never modify them. It returns nil for a payload a tag cannot
// carry (16 MiB or more).
func (f *Frame) HTTPChunk() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.httpChunk == nil {
		f.httpChunk = appendHTTPChunk(nil, f.msg)
	}
	return f.httpChunk
}

// appendHTTPChunk appends m as an FLV tag in an HTTP chunk to b, or
// returns nil if a tag cannot carry it.
func appendHTTPChunk(b []byte, m chunk.Message) []byte {
	tag := flv.Tag{Type: flv.TagType(m.TypeID), Timestamp: m.Timestamp, Data: m.Payload}
	b = strconv.AppendInt(b, int64(tag.Size()), 16)
	b = append(b, '\r', '\n')
	b, err := flv.AppendTag(b, tag)
	if err != nil {
		return nil
	}
	return append(b, '\r', '\n')
}
