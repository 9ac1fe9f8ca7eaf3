package chunk

// Message is one whole RTMP message as the chunk layer carries it: the
// fields of a type-0 message header and the reassembled payload. The chunk
// layer never looks inside the payload.
type Message struct {
	// Timestamp is the absolute message timestamp in milliseconds,
	// wrapping at 2^32.
	Timestamp uint32
	// TypeID is the message type (1 Set Chunk Size ... 22 Aggregate).
	TypeID uint8
	// StreamID is the message stream id (0 for protocol control and
	// NetConnection commands).
	StreamID uint32
	// Payload is the message body.
	Payload []byte
}
