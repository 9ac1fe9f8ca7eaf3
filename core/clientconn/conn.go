package clientconn

import (
	"crypto/rc4"
	"time"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/core/client"
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

// Conn is the client side of one connection, bytes in and bytes out. It
// owns the handshake, the chunk decoder and encoder, the RTMPE ciphers and
// the session, and performs every wire effect itself; what it returns is
// for the application. A Conn is not safe for concurrent use.
type Conn struct {
	cfg  Config
	sess client.Session
	hs   *handshake.Client
	dec  *chunk.Decoder
	enc  chunk.Encoder

	// out[off:] is the output not yet taken, encrypted when RTMPE runs.
	out []byte
	off int
	// released says the handshake's output buffer was let go.
	released bool
	// held is what the session sent before the handshake completed; it
	// follows C2.
	held []byte
	raw  []chunk.Message
	// fx collects the effects of the call in progress.
	fx []client.Effect

	received, reported uint64
	produced, taken    uint64
	// window is the server's Window Acknowledgement Size, 0 before any.
	window uint32

	// decrypt and encrypt are the RC4 streams of an RTMPE connection, set
	// once the handshake is done. plain holds what Feed decrypted, so the
	// caller's bytes stay as they were.
	decrypt, encrypt *rc4.Cipher
	plain            []byte

	closed bool
	err    error
	// failing is the error a codec raised, waiting to replace the nil
	// error of the Disconnect that the session's Close produces.
	failing error
}

// New returns a connection whose pending output is C0+C1.
func New(cfg Config) *Conn {
	cfg = cfg.withDefaults()
	c := &Conn{
		cfg:  cfg,
		sess: client.New(cfg.Session),
		hs:   handshake.NewClient(cfg.Handshake),
		dec:  chunk.NewDecoder(cfg.Decoder),
	}
	c.write(c.hs.Hello())
	return c
}

// HelloLen is the length of C0+C1, the first bytes of output.
const HelloLen = 1 + handshake.PacketSize

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

// Encrypted reports whether the connection runs RTMPE: the handshake
// completed with ciphers, which Feed and the output use from then on.
func (c *Conn) Encrypted() bool { return c.encrypt != nil }

// Err is why the connection closed: nil for a Close input or before the
// end, else the Disconnect's error.
func (c *Conn) Err() error { return c.err }

// Session returns the session as it stands, for inspection.
func (c *Conn) Session() client.Session { return c.sess }

// Deadline is when the connection next wants a Tick, in connection time:
// the handshake timeout while handshaking, Never after (the client
// session has no timers).
func (c *Conn) Deadline() time.Duration {
	if c.closed || c.hs == nil {
		return Never
	}
	return c.cfg.HandshakeTimeout
}

// ChunkSize is the outgoing chunk size in effect.
func (c *Conn) ChunkSize() uint32 { return c.enc.ChunkSize() }

// Received is the number of bytes fed so far, the handshake's included.
func (c *Conn) Received() uint64 { return c.received }

// Sent is the number of output bytes taken so far.
func (c *Conn) Sent() uint64 { return c.taken }

// Produced is the number of output bytes produced so far, taken or not
// (messages held for the end of the handshake count once they follow
// C2). Output byte i has been sent once Sent passes i.
func (c *Conn) Produced() uint64 { return c.produced }

// Limits returns the memory bounds in effect.
func (c *Conn) Limits() Limits {
	return Limits{DecoderBuffered: c.cfg.Decoder.MaxBuffered, Output: c.cfg.MaxOutput}
}

// Buffered returns what the connection holds now. After every Feed, Step
// and Tick each field is at most its Limits counterpart.
func (c *Conn) Buffered() Buffered {
	return Buffered{DecoderBuffered: c.dec.Buffered(), Output: len(c.out) - c.off + len(c.held)}
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
	case c.off == len(c.out) && cap(c.out) > maxIdleOutput && c.hs == nil && !c.released:
		// Let the handshake's buffer go once it is drained: its 3 KiB
		// would otherwise stay with every connection that idles. Later
		// buffers stay, so that a publisher's frames reuse one.
		c.out, c.off, c.released = nil, 0, true
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
