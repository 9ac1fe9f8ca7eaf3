package serverconn

import (
	"time"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

// Config holds everything one connection needs from outside. The zero
// value of a field takes its default, except Handshake.Random, which the
// caller must fill from a cryptographic source (equal seeds give equal
// bytes, which is what simulations and fuzzing want).
type Config struct {
	// Session configures the server session.
	Session core.Config
	// Decoder bounds the chunk decoder; its zero value is the safe default.
	Decoder chunk.DecoderConfig
	// Handshake seeds and configures the server handshake.
	Handshake handshake.ServerConfig
	// ReportEvery is how many received bytes may pass before the session
	// is told the byte totals (BytesCounted), which drives its
	// Acknowledgements. Default 64 KiB, what the socket driver uses. A
	// client whose Window Acknowledgement Size is less than twice this is
	// reported to every half window instead.
	ReportEvery int
	// MaxOutput bounds the encoded bytes waiting to be taken. A peer that
	// stops reading while the session keeps answering would otherwise grow
	// the buffer without end; past the bound the connection ends with
	// ErrOutputFull and its pending output is dropped. Default 16 MiB.
	MaxOutput int
	// HandshakeTimeout bounds the handshake in session time: a Tick at or
	// past it while the handshake is incomplete ends the connection with
	// ErrHandshakeTimeout, so a client that vanishes before the session
	// has timers of its own does not stay half-open. Default 10 s, the
	// socket driver's.
	HandshakeTimeout time.Duration
	// Budget bounds the memory the peer can make the connection hold;
	// see Budget.
	Budget Budget
	// AMF bounds the AMF values of each command and data message the peer
	// sends; its zero value takes package amf0's defaults.
	AMF message.Limits
}

// Defaults of Config.
const (
	DefaultReportEvery = 64 << 10
	DefaultMaxOutput   = 16 << 20
	// DefaultHandshakeTimeout is written in nanoseconds so that the
	// package needs no clock-reading import; it is 10 s.
	DefaultHandshakeTimeout time.Duration = 10_000_000_000
)

// withDefaults fills every zero field with its default.
func (c Config) withDefaults() Config {
	if c.ReportEvery <= 0 {
		c.ReportEvery = DefaultReportEvery
	}
	if c.MaxOutput <= 0 {
		c.MaxOutput = DefaultMaxOutput
	}
	if c.HandshakeTimeout <= 0 {
		c.HandshakeTimeout = DefaultHandshakeTimeout
	}
	c.Decoder = c.Decoder.WithDefaults()
	c.Budget = c.Budget.withDefaults()
	return c
}

// Limits are the memory bounds a Conn keeps, with defaults filled in.
type Limits struct {
	// DecoderBuffered bounds the payload bytes of partial messages.
	DecoderBuffered int
	// Output bounds the encoded bytes waiting to be taken.
	Output int
	// Memory is the Budget in effect: BeforeConnect until the connect is
	// accepted, then Max.
	Memory int
}

// Buffered is what a Conn holds right now, in the units of Limits.
type Buffered struct {
	DecoderBuffered int
	Output          int
	// Elsewhere is what the caller last said it holds (Conn.Account).
	Elsewhere int
	// HeldCommands is what the commands waiting for the connect to be
	// accepted hold: each one's payload and AMF values, counted as the
	// message was when it arrived.
	HeldCommands int
}

// Total is what counts against the Budget.
func (b Buffered) Total() int { return b.DecoderBuffered + b.Output + b.Elsewhere + b.HeldCommands }
