package message

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/chunk"
)

// aggregateHeaderLen is the size of a sub-message header inside an
// Aggregate: type (1), length (3), timestamp (3 + 1 high byte, as in an
// FLV tag), stream id (3). A 4-byte back pointer follows each payload.
const aggregateHeaderLen = 11

// SplitAggregate splits an Aggregate message (type 22) into its
// sub-messages, in order. Following section 7.1.6 of the specification,
// each sub-message takes the aggregate's message stream id, and its
// timestamp is moved by the offset between the aggregate's timestamp and
// the first sub-message's (32-bit arithmetic, so it wraps). Sub-message
// payloads alias raw.Payload (capacity clipped, so appending to one cannot
// overwrite the next). A sub-message that overruns the payload, a
// truncated header or a back pointer other than header plus payload size
// is a *FormatError. Nested aggregates are returned as they are, not split.
func SplitAggregate(raw chunk.Message) ([]chunk.Message, error) {
	p := raw.Payload
	var subs []chunk.Message
	var offset uint32
	for len(p) > 0 {
		if len(p) < aggregateHeaderLen {
			return nil, &FormatError{Type: TypeAggregate, Reason: fmt.Sprintf("%d trailing bytes, too few for a sub-message header", len(p))}
		}
		size := int(p[1])<<16 | int(p[2])<<8 | int(p[3])
		ts := uint32(p[4])<<16 | uint32(p[5])<<8 | uint32(p[6]) | uint32(p[7])<<24
		end := aggregateHeaderLen + size
		if len(p) < end+4 {
			return nil, &FormatError{Type: TypeAggregate, Reason: fmt.Sprintf("sub-message %d of %d bytes overruns the %d bytes left", len(subs), size, len(p))}
		}
		if back := be.Uint32(p[end:]); back != uint32(end) {
			return nil, &FormatError{Type: TypeAggregate, Reason: fmt.Sprintf("sub-message %d back pointer %d, want %d", len(subs), back, end)}
		}
		if subs == nil {
			offset = raw.Timestamp - ts
		}
		subs = append(subs, chunk.Message{
			Timestamp: ts + offset,
			TypeID:    p[0],
			StreamID:  raw.StreamID,
			Payload:   p[aggregateHeaderLen:end:end],
		})
		p = p[end+4:]
	}
	return subs, nil
}
