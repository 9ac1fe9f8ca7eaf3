package chunk

import "fmt"

// Shared is one message encoded once for many receivers. Its first chunk
// has a type-0 header and the rest are type 3, so the bytes depend on
// nothing a receiver's Encoder remembers: they are valid on any connection
// whose outgoing chunk size is ChunkSize. After writing Bytes to a
// receiver, call that receiver's Encoder.Sent so its next messages are
// compressed against what the peer now knows.
type Shared struct {
	// Bytes are the chunks. They alias the dst given to AppendShared.
	Bytes []byte
	// ChunkSize is the chunk size Bytes were cut at.
	ChunkSize uint32
	// ChunkStreamID is the chunk stream the message travels on.
	ChunkStreamID uint32

	// The message header fields, and the chunk size the message sets if
	// it is a Set Chunk Size message (else 0).
	timestamp, length, streamID uint32
	typeID                      uint8
	newSize                     uint32
}

// AppendShared encodes m on chunk stream csid at chunkSize, appending to
// dst (which may be nil), and returns the encoding. A Set Chunk Size
// message may be shared too; Sent applies it.
func AppendShared(dst []byte, csid uint32, m Message, chunkSize uint32) (Shared, error) {
	newSize, err := validate(csid, m)
	if err != nil {
		return Shared{}, err
	}
	if chunkSize == 0 || chunkSize > MaxChunkSize {
		return Shared{}, fmt.Errorf("%w: %d", ErrSetChunkSize, chunkSize)
	}
	s := Shared{
		ChunkSize: chunkSize, ChunkStreamID: csid,
		timestamp: m.Timestamp, length: uint32(len(m.Payload)), streamID: m.StreamID,
		typeID: m.TypeID, newSize: newSize,
	}
	var o outStream
	o.next(format0, s.timestamp, s.length, s.typeID, s.streamID)
	start := len(dst)
	dst = appendChunks(dst, format0, csid, &o, m.Payload, chunkSize)
	s.Bytes = dst[start:]
	return s, nil
}

// Sent records that s.Bytes went to this encoder's peer, updating the
// encoder exactly as if Append had produced them. It refuses, changing
// nothing, when the encoder's chunk size is not s.ChunkSize: the caller
// then encodes the message for this receiver with Append instead.
func (e *Encoder) Sent(s Shared) error {
	if s.ChunkSize != e.ChunkSize() {
		return fmt.Errorf("%w: encoder at %d, shared at %d", ErrChunkSizeMismatch, e.ChunkSize(), s.ChunkSize)
	}
	if s.ChunkStreamID < MinChunkStreamID || s.ChunkStreamID > MaxChunkStreamID {
		return fmt.Errorf("%w: %d", ErrChunkStreamID, s.ChunkStreamID)
	}
	o := e.streams.get(s.ChunkStreamID)
	if o == nil {
		o = e.streams.add(s.ChunkStreamID)
	}
	o.next(format0, s.timestamp, s.length, s.typeID, s.streamID)
	if s.newSize != 0 {
		e.chunkSize = s.newSize
	}
	return nil
}

// MaxSharedHeaders is the most bytes AppendSharedHeaders appends: a
// type-0 header and a type-3 one, each with the longest basic header and
// an extended timestamp.
const MaxSharedHeaders = 3 + 11 + 4 + 3 + 4

// AppendSharedHeaders appends the headers AppendShared puts among the
// payload of m: first, its opening chunk's, then cont, the header of each
// chunk after it. AppendShared's bytes are first, then the payload cut
// every chunkSize bytes with cont before each piece after the first; a
// writer that gathers buffers (writev) sends a message from its payload
// that way without copying it. It checks what AppendShared checks.
func AppendSharedHeaders(dst []byte, csid uint32, m Message, chunkSize uint32) (first, cont []byte, err error) {
	if _, err := validate(csid, m); err != nil {
		return nil, nil, err
	}
	if chunkSize == 0 || chunkSize > MaxChunkSize {
		return nil, nil, fmt.Errorf("%w: %d", ErrSetChunkSize, chunkSize)
	}
	var o outStream
	o.next(format0, m.Timestamp, uint32(len(m.Payload)), m.TypeID, m.StreamID)
	start := len(dst)
	// With no payload, appendChunks writes the opening header alone.
	dst = appendChunks(dst, format0, csid, &o, nil, chunkSize)
	mid := len(dst)
	dst = appendBasicHeader(dst, format3, csid)
	if o.extended {
		dst = be.AppendUint32(dst, o.ext)
	}
	return dst[start:mid], dst[mid:], nil
}
