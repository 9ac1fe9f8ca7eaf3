package message

import (
	"errors"

	"github.com/gortmp/rtmp/codec/chunk"
)

// TEMPORARY: placeholders so dependent packages compile while the codec is
// written. Each is replaced by its real implementation in its own file.
var errTODO = errors.New("message: not implemented yet")

// Decode turns a raw chunk-layer message into a typed Message.
func Decode(raw chunk.Message) (Message, error) { return Message{}, errTODO }

// AppendBody appends the wire payload of b to dst.
func AppendBody(dst []byte, b Body) ([]byte, error) { return dst, errTODO }

// Encode turns a typed Message into a raw chunk-layer message.
func Encode(m Message) (chunk.Message, error) { return chunk.Message{}, errTODO }

// ChunkStreamID is the conventional outbound chunk stream id for a body on a
// message stream.
func ChunkStreamID(b Body, streamID uint32) uint32 { return 3 }

// SplitAggregate splits an Aggregate message into its sub-messages.
func SplitAggregate(raw chunk.Message) ([]chunk.Message, error) { return nil, errTODO }
