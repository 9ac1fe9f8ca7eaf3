package serverconn

import (
	"crypto/rc4"
	"time"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/core"
)

// State is where a connection stands.
type State uint8

const (
	// Handshaking means the handshake is not complete yet.
	Handshaking State = iota
	// Open means the chunk stream flows and the session runs.
	Open
	// Closed is terminal: a Disconnect was returned and every later input
	// is ignored. Output produced before it may still be pending.
	Closed
)

func (s State) String() string {
	switch s {
	case Handshaking:
		return "handshaking"
	case Open:
		return "open"
	case Closed:
		return "closed"
	}
	return "invalid"
}

// Conn is the server side of one connection, bytes in and bytes out. It
// owns the handshake, the chunk decoder and encoder and the session, and
// performs every wire effect itself; what it returns is for the
// application. A Conn is not safe for concurrent use.
type Conn struct {
	cfg  Config
	sess core.Session
	hs   *handshake.Server
	dec  *chunk.Decoder
	enc  chunk.Encoder

	// out[off:] is the encoded output not yet taken.
	out []byte
	off int
	raw []chunk.Message
	// fx collects the effects of the call in progress.
	fx []core.Effect

	received, reported uint64
	produced, taken    uint64
	deadline           time.Duration

	// decrypt is the RC4 stream of an RTMPE connection that Feed decrypts
	// with, set once S0+S1+S2 are answered; the other stream goes to the
	// caller in an OutputCipher. plain holds what Feed decrypted, so the
	// caller's bytes stay as they were.
	decrypt *rc4.Cipher
	plain   []byte

	// connected is set once the session accepted the peer's connect: the
	// budget is Budget.Max from then on, Budget.BeforeConnect until.
	connected bool
	// elsewhere is what the caller last said it holds (Account).
	elsewhere int
	// heldCommands is what the session's held commands cost, counted as
	// each was handled (see Buffered.HeldCommands).
	heldCommands int

	closed bool
	err    error
	// failing is the error a codec raised, waiting to replace the nil
	// error of the Disconnect that the session's Close produces.
	failing error
}

// New returns a connection waiting for the client's C0+C1.
func New(cfg Config) *Conn {
	cfg = cfg.withDefaults()
	return &Conn{
		cfg:      cfg,
		sess:     core.NewSession(cfg.Session),
		hs:       handshake.NewServer(cfg.Handshake),
		dec:      chunk.NewDecoder(cfg.Decoder),
		deadline: cfg.HandshakeTimeout,
	}
}

// State reports where the connection stands.
func (c *Conn) State() State {
	switch {
	case c.closed:
		return Closed
	case c.hs != nil:
		return Handshaking
	}
	return Open
}

// Handshaken reports whether the handshake completed, whatever happened
// after.
func (c *Conn) Handshaken() bool { return c.hs == nil }

// Err is why the connection closed: nil for a Close input or before the
// end, else the Disconnect's error.
func (c *Conn) Err() error { return c.err }

// Session returns the session as it stands, for inspection.
func (c *Conn) Session() core.Session { return c.sess }

// Deadline is when the connection next wants a core.Tick, in session
// time: the handshake timeout while handshaking, then the last WakeAt the
// session announced (core.Never when no timer is armed).
func (c *Conn) Deadline() time.Duration {
	if c.closed {
		return core.Never
	}
	return c.deadline
}

// ChunkSize is the outgoing chunk size in effect.
func (c *Conn) ChunkSize() uint32 { return c.enc.ChunkSize() }

// Received is the number of bytes fed so far.
func (c *Conn) Received() uint64 { return c.received }

// Sent is the number of output bytes taken so far.
func (c *Conn) Sent() uint64 { return c.taken }

// Produced is the number of output bytes produced so far, taken or not.
// Output byte i (counting from 0 over the connection's life) has been
// sent once Sent passes i, which lets a caller learn when a given message
// left.
func (c *Conn) Produced() uint64 { return c.produced }

// Limits returns the memory bounds in effect.
func (c *Conn) Limits() Limits {
	return Limits{DecoderBuffered: c.cfg.Decoder.MaxBuffered, Output: c.cfg.MaxOutput, Memory: c.budgetNow()}
}

// Buffered returns what the connection holds now. After every Feed, Step
// and Account each field is at most its Limits counterpart, and Total at
// most Limits().Memory.
func (c *Conn) Buffered() Buffered {
	b := Buffered{Output: len(c.out) - c.off, Elsewhere: c.elsewhere, HeldCommands: c.heldCommands}
	if c.dec != nil {
		b.DecoderBuffered = c.dec.Buffered()
	}
	return b
}

// maxIdleOutput is the largest output buffer a connection keeps once all
// of it is taken.
const maxIdleOutput = 1 << 10

// Pending returns the output not yet taken. The slice belongs to the Conn
// and is valid until the next call of any method.
func (c *Conn) Pending() []byte { return c.out[c.off:] }

// Advance marks the first n pending bytes as sent (a socket wrote them).
// n is clamped to what is pending.
func (c *Conn) Advance(n int) {
	n = max(min(n, len(c.out)-c.off), 0)
	c.off += n
	c.taken += uint64(n)
	switch {
	case c.off == len(c.out) && cap(c.out) > maxIdleOutput:
		// Let a large drained buffer go: the handshake's 3 KiB would
		// otherwise stay with every connection that then idles.
		c.out, c.off = nil, 0
	case c.off == len(c.out):
		c.out, c.off = c.out[:0], 0
	case c.off > cap(c.out)/2:
		// Reuse the front half rather than grow.
		k := copy(c.out, c.out[c.off:])
		c.out, c.off = c.out[:k], 0
	}
}

// TakeOutput appends every pending byte to dst, marks them sent and
// returns the extended slice.
func (c *Conn) TakeOutput(dst []byte) []byte {
	p := c.Pending()
	dst = append(dst, p...)
	c.Advance(len(p))
	return dst
}
