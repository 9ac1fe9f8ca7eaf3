package message

import (
	"errors"
	"fmt"
	"iter"

	"github.com/gortmp/rtmp/codec/chunk"
)

// aggregateHeaderLen is the size of a sub-message header inside an
// Aggregate: type (1), length (3), timestamp (3 + 1 high byte, as in an
// FLV tag), stream id (3). A 4-byte back pointer follows each payload.
const aggregateHeaderLen = 11

// AggregateOverhead is what each sub-message of an Aggregate adds to its
// payload on the wire: the 11-byte header and the 4-byte back pointer.
const AggregateOverhead = aggregateHeaderLen + 4

// ErrNestedAggregate is the Err of the *FormatError that refuses an
// Aggregate holding another Aggregate. The specification gives
// aggregates audio, video and data to carry; nothing sends one inside
// another, and following such nesting would let one message make its
// reader work, and on a recursive reader grow its stack, in proportion
// to its size.
var ErrNestedAggregate = errors.New("aggregate inside an aggregate")

// AggregateParts checks a whole Aggregate message (type 22) and returns
// its sub-messages, in order, as an iterator. Following section 7.1.6 of
// the specification, each sub-message takes the aggregate's message
// stream id, and its timestamp is moved by the offset between the
// aggregate's timestamp and the first sub-message's (32-bit arithmetic,
// so it wraps).
//
// Every sub-message is checked before the iterator exists, so a reader
// acts on all of them or on none: a sub-message that overruns the
// payload, a truncated header, a back pointer other than header plus
// payload size, and a sub-message that is itself an Aggregate
// (ErrNestedAggregate) are a *FormatError. Splitting allocates nothing in
// proportion to the aggregate: the iterator builds each sub-message as it
// yields it, and sub-message payloads alias raw.Payload (capacity
// clipped, so appending to one cannot overwrite the next).
func AggregateParts(raw chunk.Message) (iter.Seq[chunk.Message], error) {
	p := raw.Payload
	for i := 0; len(p) > 0; i++ {
		part, rest, err := nextAggregatePart(p, i)
		if err != nil {
			return nil, err
		}
		if TypeID(part.TypeID) == TypeAggregate {
			return nil, &FormatError{Type: TypeAggregate, Reason: fmt.Sprintf("sub-message %d", i), Err: ErrNestedAggregate}
		}
		p = rest
	}
	return func(yield func(chunk.Message) bool) {
		p := raw.Payload
		var offset uint32
		for i := 0; len(p) > 0; i++ {
			part, rest, _ := nextAggregatePart(p, i) // checked above
			if i == 0 {
				offset = raw.Timestamp - part.Timestamp
			}
			part.Timestamp += offset
			part.StreamID = raw.StreamID
			if !yield(part) {
				return
			}
			p = rest
		}
	}, nil
}

// nextAggregatePart reads the sub-message (number i, for errors) at the
// start of p with its own timestamp and returns it with what follows it.
func nextAggregatePart(p []byte, i int) (chunk.Message, []byte, error) {
	if len(p) < aggregateHeaderLen {
		return chunk.Message{}, nil, &FormatError{Type: TypeAggregate, Reason: fmt.Sprintf("%d trailing bytes, too few for a sub-message header", len(p))}
	}
	size := int(p[1])<<16 | int(p[2])<<8 | int(p[3])
	ts := uint32(p[4])<<16 | uint32(p[5])<<8 | uint32(p[6]) | uint32(p[7])<<24
	end := aggregateHeaderLen + size
	if len(p) < end+4 {
		return chunk.Message{}, nil, &FormatError{Type: TypeAggregate, Reason: fmt.Sprintf("sub-message %d of %d bytes overruns the %d bytes left", i, size, len(p))}
	}
	if back := be.Uint32(p[end:]); back != uint32(end) {
		return chunk.Message{}, nil, &FormatError{Type: TypeAggregate, Reason: fmt.Sprintf("sub-message %d back pointer %d, want %d", i, back, end)}
	}
	return chunk.Message{Timestamp: ts, TypeID: p[0], Payload: p[aggregateHeaderLen:end:end]}, p[end+4:], nil
}
