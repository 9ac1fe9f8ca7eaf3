package driver

import (
	"sync"

	"github.com/gortmp/rtmp/codec/chunk"
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
}

// NewFrame wraps a message payload. The payload must not change afterwards.
func NewFrame(t message.TypeID, timestamp uint32, payload []byte) *Frame {
	return &Frame{
		msg:  chunk.Message{Timestamp: timestamp, TypeID: uint8(t), Payload: payload},
		csid: MediaChunkStreamID(t),
	}
}

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
