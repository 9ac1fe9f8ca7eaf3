package chunk

import (
	"fmt"
	"slices"
)

// Encoder turns messages into chunks for one connection's outgoing
// direction. It compresses each message's first chunk header against the
// last message sent on the same chunk stream, writes continuation chunks
// as type 3, and writes extended timestamps wherever the specification
// wants them. The zero Encoder is ready to use with the initial chunk size
// of 128. An Encoder is not safe for concurrent use.
type Encoder struct {
	chunkSize uint32
	streams   table[outStream]
}

// outStream is what the peer's decoder knows about one chunk stream: the
// fields of the last message header sent on it.
type outStream struct {
	timestamp uint32
	delta     uint32
	length    uint32
	typeID    uint8
	streamID  uint32
	// format is the format of the last first-chunk header sent.
	format byte
	// extended says type-3 chunks carry an extended timestamp, ext.
	extended bool
	ext      uint32
}

// NewEncoder returns an encoder with the initial chunk size of 128. It is
// the same as new(Encoder).
func NewEncoder() *Encoder { return new(Encoder) }

// ChunkSize is the current outgoing chunk size.
func (e *Encoder) ChunkSize() uint32 {
	if e.chunkSize == 0 {
		return DefaultChunkSize
	}
	return e.chunkSize
}

// Append appends the chunks of m on chunk stream csid to dst and returns
// the extended slice; dst grows at most once. The first chunk's header is
// type 0 on a new chunk stream, a new message stream id or a timestamp
// that goes backwards; otherwise type 1 (length or type changed), type 2
// (delta changed) or type 3. A Set Chunk Size message (type 1) changes the
// chunk size after it has been encoded at the old size. On error nothing
// is appended and the encoder is unchanged.
func (e *Encoder) Append(dst []byte, csid uint32, m Message) ([]byte, error) {
	return e.append(dst, csid, m, false)
}

// AppendAbsolute is Append with a type-0 first header whatever came
// before, for example at the start of a play or after a seek.
func (e *Encoder) AppendAbsolute(dst []byte, csid uint32, m Message) ([]byte, error) {
	return e.append(dst, csid, m, true)
}

func (e *Encoder) append(dst []byte, csid uint32, m Message, absolute bool) ([]byte, error) {
	newSize, err := validate(csid, m)
	if err != nil {
		return dst, err
	}
	o := e.streams.get(csid)
	format := format0
	if o != nil && !absolute && o.streamID == m.StreamID && m.Timestamp >= o.timestamp {
		delta := m.Timestamp - o.timestamp
		switch {
		case o.length != uint32(len(m.Payload)) || o.typeID != m.TypeID:
			format = format1
		case delta != o.delta || o.format == format0:
			// After a type-0 header a type-3 one would add the type-0
			// timestamp, not a delta (section 5.3.1.2.4); an explicit
			// type 2 is clearer and cheap, and peers that get this rule
			// wrong stay in step.
			format = format2
		default:
			format = format3
		}
	}
	if o == nil {
		o = e.streams.add(csid)
	}
	o.next(format, m.Timestamp, uint32(len(m.Payload)), m.TypeID, m.StreamID)
	dst = appendChunks(dst, format, csid, o, m.Payload, e.ChunkSize())
	if newSize != 0 {
		e.chunkSize = newSize
	}
	return dst, nil
}

// next moves o to the state the peer has after a message whose first
// header has the given format and fields.
func (o *outStream) next(format byte, timestamp, length uint32, typeID uint8, streamID uint32) {
	switch format {
	case format0:
		o.delta = timestamp
		o.streamID = streamID
		o.extended, o.ext = needsExtended(timestamp), timestamp
	case format1, format2:
		o.delta = timestamp - o.timestamp
		o.extended, o.ext = needsExtended(o.delta), o.delta
	}
	o.timestamp = timestamp
	o.length, o.typeID = length, typeID
	o.format = format
}

// validate checks that m can travel on csid and returns the chunk size it
// sets if it is a Set Chunk Size message, else 0.
func validate(csid uint32, m Message) (newSize uint32, err error) {
	if csid < MinChunkStreamID || csid > MaxChunkStreamID {
		return 0, fmt.Errorf("%w: %d", ErrChunkStreamID, csid)
	}
	if len(m.Payload) > MaxMessageLength {
		return 0, fmt.Errorf("%w: %d", ErrMessageTooLong, len(m.Payload))
	}
	if m.TypeID != typeSetChunkSize {
		return 0, nil
	}
	if len(m.Payload) != 4 {
		return 0, fmt.Errorf("%w: %d-byte payload", ErrSetChunkSize, len(m.Payload))
	}
	size := be.Uint32(m.Payload)
	if size == 0 || size > MaxChunkSize {
		return 0, fmt.Errorf("%w: %d", ErrSetChunkSize, size)
	}
	return size, nil
}

// appendChunks writes a message whose peer state after the first header is
// o: the first chunk with a header of the given format, then type-3
// continuations, each with the extended timestamp when o says so.
func appendChunks(dst []byte, format byte, csid uint32, o *outStream, payload []byte, chunkSize uint32) []byte {
	size := int(chunkSize)
	chunks := max(1, (len(payload)+size-1)/size)
	extLen := 0
	if o.extended {
		extLen = 4
	}
	basic := basicHeaderLen(csid)
	dst = slices.Grow(dst, basic+messageHeaderLen[format]+len(payload)+(chunks-1)*basic+chunks*extLen)

	dst = appendBasicHeader(dst, format, csid)
	switch format {
	case format0:
		dst = appendField(dst, o.timestamp)
		dst = append24(dst, o.length)
		dst = append(dst, o.typeID)
		dst = le.AppendUint32(dst, o.streamID)
	case format1:
		dst = appendField(dst, o.delta)
		dst = append24(dst, o.length)
		dst = append(dst, o.typeID)
	case format2:
		dst = appendField(dst, o.delta)
	}
	if o.extended {
		dst = be.AppendUint32(dst, o.ext)
	}
	n := min(len(payload), size)
	dst = append(dst, payload[:n]...)
	for rest := payload[n:]; len(rest) > 0; rest = rest[n:] {
		dst = appendBasicHeader(dst, format3, csid)
		if o.extended {
			dst = be.AppendUint32(dst, o.ext)
		}
		n = min(len(rest), size)
		dst = append(dst, rest[:n]...)
	}
	return dst
}
