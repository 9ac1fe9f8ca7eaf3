package chunk

import "fmt"

// Decoder reassembles messages from the bytes of a chunk stream. It is an
// incremental state machine: Feed it the bytes in whatever pieces they
// arrive and it returns each message as soon as its last chunk is complete.
// It applies incoming Set Chunk Size and Abort messages itself and still
// returns them. After an error it is terminal: every later Feed returns the
// same error. A Decoder is not safe for concurrent use.
type Decoder struct {
	cfg       DecoderConfig
	chunkSize uint32

	// hdr keeps the bytes of a chunk header split across Feed calls.
	hdr    [maxHeaderLen]byte
	hdrLen int

	// cur is the chunk stream whose chunk payload is being read, nil while
	// a header is expected; chunkLeft is what remains of that chunk.
	cur       *inStream
	chunkLeft int

	streams  table[inStream]
	partials int // chunk streams with a message in progress
	buffered int // payload bytes held by messages in progress
	err      error
}

// inStream is the receive state of one chunk stream: the header fields the
// next compressed header builds on, and the message in progress.
type inStream struct {
	timestamp uint32 // absolute timestamp of the current or last message
	delta     uint32 // delta a type-3 header starting a new message adds
	length    uint32
	typeID    uint8
	streamID  uint32
	// extended says the last type 0, 1 or 2 header carried an extended
	// timestamp, so every type-3 chunk on this stream carries one too.
	extended bool
	// inMessage says a message has started and not completed; payload
	// holds its bytes so far (len) in a buffer sized by reserve (cap).
	inMessage bool
	payload   []byte
}

// header is one parsed chunk header.
type header struct {
	format   byte
	csid     uint32
	time     uint32 // timestamp (type 0) or delta (1, 2), extended resolved
	extended bool   // the 24-bit field was the extended marker
	length   uint32
	typeID   uint8
	streamID uint32
}

// NewDecoder returns a decoder with the limits of cfg (zero fields take
// their defaults) and the initial chunk size of 128.
func NewDecoder(cfg DecoderConfig) *Decoder {
	return &Decoder{cfg: cfg.WithDefaults(), chunkSize: DefaultChunkSize}
}

// ChunkSize is the peer's current chunk size, as last set by a Set Chunk
// Size message the decoder returned.
func (d *Decoder) ChunkSize() uint32 { return d.chunkSize }

// Buffered is the number of payload bytes held by partial messages.
func (d *Decoder) Buffered() int { return d.buffered }

// Err is the error that made the decoder terminal, or nil.
func (d *Decoder) Err() error { return d.err }

// Feed consumes all of p and appends every message it completes to dst. It
// keeps no reference to p: the caller may reuse p as soon as Feed returns.
// Each returned Payload is a fresh slice owned by the caller from then on;
// the decoder never writes to it again. On error Feed returns the messages
// completed before the offending byte along with the error, and the
// decoder is terminal.
func (d *Decoder) Feed(dst []Message, p []byte) ([]Message, error) {
	dst, _, err := d.feed(dst, p, false)
	return dst, err
}

// FeedMessage is Feed that stops right after the first message it
// completes: it appends at most one message to dst and returns how many
// bytes of p it consumed (all of them when no message completed, or on
// error). A caller that acts on each message before decoding the next
// (changing a limit with SetMaxBuffered, say) sees the decoder in the
// same state however the stream was cut into pieces.
func (d *Decoder) FeedMessage(dst []Message, p []byte) ([]Message, int, error) {
	return d.feed(dst, p, true)
}

// SetMaxBuffered replaces the MaxBuffered limit from the next chunk
// header on; n <= 0 restores the default. Lowering it below what is
// buffered refuses the next chunk that adds to it.
func (d *Decoder) SetMaxBuffered(n int) {
	if n <= 0 {
		n = DefaultMaxBuffered
	}
	d.cfg.MaxBuffered = n
}

// MaxBuffered is the MaxBuffered limit in effect.
func (d *Decoder) MaxBuffered() int { return d.cfg.MaxBuffered }

func (d *Decoder) feed(dst []Message, p []byte, one bool) ([]Message, int, error) {
	total := len(p)
	if d.err != nil {
		return dst, total, d.err
	}
	var err error
	for len(p) > 0 {
		if d.cur == nil {
			var n int
			before := len(dst)
			dst, n, err = d.readHeader(dst, p)
			if err != nil {
				d.err = err
				return dst, total, err
			}
			p = p[n:]
			if one && len(dst) > before {
				return dst, total - len(p), nil
			}
			continue
		}
		n := min(len(p), d.chunkLeft)
		s := d.cur
		if len(s.payload)+n > cap(s.payload) {
			s.payload = d.reserve(s, n, len(p))
		}
		s.payload = append(s.payload, p[:n]...)
		p = p[n:]
		d.chunkLeft -= n
		if d.chunkLeft == 0 {
			d.cur = nil
			if len(s.payload) == int(s.length) {
				if dst, err = d.complete(dst, s); err != nil {
					d.err = err
					return dst, total, err
				}
				if one {
					return dst, total - len(p), nil
				}
			}
		}
	}
	return dst, total, nil
}

// readHeader consumes header bytes from p, which is not empty, and returns
// how many it took. A header split across calls is gathered in d.hdr;
// once it is whole the chunk starts.
func (d *Decoder) readHeader(dst []Message, p []byte) ([]Message, int, error) {
	if d.hdrLen == 0 {
		h, n, err := d.parseHeader(p)
		if err != nil {
			return dst, 0, err
		}
		if n == 0 {
			// A whole header is at most maxHeaderLen bytes, so an
			// incomplete one fits in d.hdr.
			d.hdrLen = copy(d.hdr[:], p)
			return dst, len(p), nil
		}
		dst, err = d.startChunk(dst, h)
		return dst, n, err
	}
	old := d.hdrLen
	k := copy(d.hdr[old:], p)
	h, n, err := d.parseHeader(d.hdr[:old+k])
	if err != nil {
		return dst, 0, err
	}
	if n == 0 {
		d.hdrLen = old + k
		return dst, k, nil
	}
	d.hdrLen = 0
	dst, err = d.startChunk(dst, h)
	return dst, n - old, err
}

// parseHeader reads one chunk header from the start of b. It returns n == 0
// when b does not hold the whole header yet. It changes no state.
func (d *Decoder) parseHeader(b []byte) (h header, n int, err error) {
	format, csid, n := readBasicHeader(b)
	if n == 0 {
		return h, 0, nil
	}
	h.format, h.csid = format, csid
	s := d.streams.get(csid)
	if s == nil && format != format0 {
		return h, 0, &ProtocolError{csid, fmt.Sprintf("type-%d header before any type-0 header", format)}
	}
	if s != nil && s.inMessage && format != format3 {
		return h, 0, &ProtocolError{csid, fmt.Sprintf("type-%d header in the middle of a message (continuations are type 3)", format)}
	}
	need := n + messageHeaderLen[format]
	if len(b) < need {
		return h, 0, nil
	}
	m := b[n:need]
	if format == format3 {
		h.extended = s.extended
	} else {
		h.time = get24(m)
		h.extended = h.time == extendedMarker
	}
	if format <= format1 {
		h.length = get24(m[3:])
		h.typeID = m[6]
		if h.length > d.cfg.MaxMessageSize {
			return h, 0, &LimitError{LimitMessageSize, uint64(h.length), uint64(d.cfg.MaxMessageSize)}
		}
	}
	if format == format0 {
		h.streamID = le.Uint32(m[7:])
	}
	if h.extended {
		if len(b) < need+4 {
			return h, 0, nil
		}
		h.time = be.Uint32(b[need:])
		need += 4
	}
	return h, need, nil
}

// startChunk applies a complete header: it updates the chunk stream's
// state, completes zero-length messages at once and otherwise arms the
// payload reader for this chunk.
func (d *Decoder) startChunk(dst []Message, h header) ([]Message, error) {
	s := d.streams.get(h.csid)
	if s == nil {
		if d.streams.n >= d.cfg.MaxChunkStreams {
			return dst, &LimitError{LimitChunkStreams, uint64(d.streams.n + 1), uint64(d.cfg.MaxChunkStreams)}
		}
		s = d.streams.add(h.csid)
	}
	if !s.inMessage {
		switch h.format {
		case format0:
			// The specification makes the delta after a type-0 header the
			// type-0 timestamp itself, for a type-3 header that follows.
			s.timestamp, s.delta = h.time, h.time
			s.length, s.typeID, s.streamID = h.length, h.typeID, h.streamID
			s.extended = h.extended
		case format1:
			s.delta = h.time
			s.timestamp += h.time
			s.length, s.typeID = h.length, h.typeID
			s.extended = h.extended
		case format2:
			s.delta = h.time
			s.timestamp += h.time
			s.extended = h.extended
		case format3:
			// A type-3 chunk with an extended timestamp carries the delta
			// in full; otherwise the last delta repeats.
			if h.extended {
				s.delta = h.time
			}
			s.timestamp += s.delta
		}
		if s.length == 0 {
			return d.complete(dst, s)
		}
		if d.partials >= d.cfg.MaxPartialMessages {
			return dst, &LimitError{LimitPartialMessages, uint64(d.partials + 1), uint64(d.cfg.MaxPartialMessages)}
		}
		d.partials++
		s.inMessage = true
	}
	chunk := min(int(s.length)-len(s.payload), int(d.chunkSize))
	if d.buffered+chunk > d.cfg.MaxBuffered {
		return dst, &LimitError{LimitBuffered, uint64(d.buffered + chunk), uint64(d.cfg.MaxBuffered)}
	}
	d.buffered += chunk
	d.cur, d.chunkLeft = s, chunk
	return dst, nil
}

// complete hands the finished message of s out, forgets it, and applies
// Set Chunk Size and Abort.
func (d *Decoder) complete(dst []Message, s *inStream) ([]Message, error) {
	m := Message{Timestamp: s.timestamp, TypeID: s.typeID, StreamID: s.streamID, Payload: s.payload}
	if s.inMessage {
		d.partials--
		d.buffered -= len(s.payload)
	}
	s.inMessage, s.payload = false, nil
	switch m.TypeID {
	case typeSetChunkSize:
		if len(m.Payload) < 4 {
			return dst, &ProtocolError{0, "Set Chunk Size shorter than 4 bytes"}
		}
		size := be.Uint32(m.Payload)
		if size == 0 || size > MaxChunkSize {
			return dst, &ProtocolError{0, "Set Chunk Size outside 1..2^31-1"}
		}
		if size > d.cfg.MaxChunkSize {
			return dst, &LimitError{LimitChunkSize, uint64(size), uint64(d.cfg.MaxChunkSize)}
		}
		d.chunkSize = size
	case typeAbort:
		if len(m.Payload) < 4 {
			return dst, &ProtocolError{0, "Abort shorter than 4 bytes"}
		}
		d.abort(be.Uint32(m.Payload))
	}
	return append(dst, m), nil
}

// abort drops the partial message of chunk stream csid, if any.
func (d *Decoder) abort(csid uint32) {
	if csid > MaxChunkStreamID {
		return
	}
	s := d.streams.get(csid)
	if s == nil || !s.inMessage {
		return
	}
	d.partials--
	d.buffered -= len(s.payload)
	s.inMessage, s.payload = false, nil
}

// The two message types the chunk layer itself acts on.
const (
	typeSetChunkSize = 1
	typeAbort        = 2
)

// reserve returns s.payload moved to a buffer with room for n more bytes.
//
// The buffer is never larger than the declared message length, and a
// header alone may make it at most PreallocLimit: beyond that it is sized
// by bytes actually received, either already (doubling what s holds) or in
// hand in the current Feed (inHand, which includes bytes of other chunks).
// A message no longer than PreallocLimit, or whose bytes arrive in one
// Feed, therefore costs exactly one allocation and one copy.
func (d *Decoder) reserve(s *inStream, n, inHand int) []byte {
	have := len(s.payload)
	c := max(have+n, 2*cap(s.payload), d.cfg.PreallocLimit, have+inHand)
	buf := make([]byte, have, min(c, int(s.length)))
	copy(buf, s.payload)
	return buf
}
