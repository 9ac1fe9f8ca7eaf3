package chunk

import (
	"errors"
	"fmt"
)

// The names of the decoder limits, as LimitError.Limit reports them. They
// are the DecoderConfig field names.
const (
	LimitMessageSize     = "MaxMessageSize"
	LimitChunkSize       = "MaxChunkSize"
	LimitBuffered        = "MaxBuffered"
	LimitPartialMessages = "MaxPartialMessages"
	LimitChunkStreams    = "MaxChunkStreams"
)

// LimitError says the peer asked for more than a configured limit allows.
// The decoder stops before allocating anything for the request.
type LimitError struct {
	// Limit is the DecoderConfig field that was exceeded (LimitMessageSize ...).
	Limit string
	// Value is what the peer asked for, Max what the limit allows.
	Value, Max uint64
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("chunk: %s exceeded: %d > %d", e.Limit, e.Value, e.Max)
}

// ProtocolError says the peer broke the chunk stream protocol. The decoder
// that returned it is in a terminal state.
type ProtocolError struct {
	// ChunkStreamID is the chunk stream the offending chunk was on.
	ChunkStreamID uint32
	// Reason says what was wrong.
	Reason string
}

func (e *ProtocolError) Error() string {
	return fmt.Sprintf("chunk: chunk stream %d: %s", e.ChunkStreamID, e.Reason)
}

// Errors of the encoder: the caller asked for something the wire cannot
// carry. They are returned wrapped with the offending value; test them with
// errors.Is.
var (
	ErrChunkStreamID     = errors.New("chunk: chunk stream id outside 2..65599")
	ErrMessageTooLong    = errors.New("chunk: message longer than 0xFFFFFF bytes")
	ErrSetChunkSize      = errors.New("chunk: Set Chunk Size payload is not a size of 1..2^31-1")
	ErrChunkSizeMismatch = errors.New("chunk: shared encoding made for another chunk size")
)
