package clientconn

import (
	"time"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/core/client"
)

// Config holds everything one connection needs from outside. The zero
// value of a field takes its default, except Handshake.Random, which the
// caller must fill from a cryptographic source (equal seeds give equal
// bytes, which is what simulations and fuzzing want).
type Config struct {
	// Session configures the client session.
	Session client.Config
	// Decoder bounds the chunk decoder; its zero value is the safe default.
	Decoder chunk.DecoderConfig
	// Handshake seeds and configures the client handshake; Encryption
	// asks for RTMPE.
	Handshake handshake.ClientConfig
	// ReportEvery is how many received bytes may pass before the session
	// is told the byte totals (BytesCounted), which drives its
	// Acknowledgements. Default 64 KiB. A server whose Window
	// Acknowledgement Size is less than twice this is reported to every
	// half window instead.
	ReportEvery int
	// MaxOutput bounds the encoded bytes waiting to be taken; past it the
	// connection ends with ErrOutputFull and its pending output is
	// dropped. Default 16 MiB.
	MaxOutput int
	// HandshakeTimeout bounds the handshake in connection time: a Tick at
	// or past it while the handshake is incomplete ends the connection
	// with ErrHandshakeTimeout. Default 10 s.
	HandshakeTimeout time.Duration
}

// Defaults of Config.
const (
	DefaultReportEvery = 64 << 10
	DefaultMaxOutput   = 16 << 20
	// DefaultHandshakeTimeout is written in nanoseconds so that the
	// package needs no clock-reading import; it is 10 s.
	DefaultHandshakeTimeout time.Duration = 10_000_000_000
)

// Never is the Deadline of a connection that wants no Tick.
const Never time.Duration = 1<<63 - 1

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
	return c
}

// Limits are the memory bounds a Conn keeps, with defaults filled in.
type Limits struct {
	// DecoderBuffered bounds the payload bytes of partial messages.
	DecoderBuffered int
	// Output bounds the encoded bytes waiting to be taken.
	Output int
}

// Buffered is what a Conn holds right now, in the units of Limits.
type Buffered struct {
	DecoderBuffered int
	// Output counts the pending output and the messages waiting for the
	// handshake to complete.
	Output int
}
