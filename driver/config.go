package driver

import (
	"log/slog"
	"time"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/serverconn"
)

// Config bounds what one server and each of its connections may use. The
// zero value of any field takes its default, so Config{} is a working
// configuration.
type Config struct {
	// Session configures each connection's core.Session. The driver turns
	// on automatic pings (every 30 s) when Session.PingInterval is zero,
	// so the idle read deadline holds for players that never write;
	// a negative PingInterval keeps them off.
	Session core.Config
	// Decoder bounds the chunk decoder of each connection.
	Decoder chunk.DecoderConfig
	// Budget bounds the memory a peer can make one connection hold at
	// once (see serverconn.Budget): its partial messages, the message
	// being handled with its AMF values, and its send queue (session
	// output and the media queued for it, the relay's fast-start frames a
	// player's queue pins included). A peer gets Budget.BeforeConnect
	// (default 1 MiB) until its connect is accepted, then Budget.Max
	// (default 48 MiB, which leaves room for a queue at twice the default
	// MaxQueuedBytes and one largest message: raise it with them). A
	// connection past it ends with an error that is ErrMemoryBudget;
	// Stats counts them and the bytes connections hold.
	Budget serverconn.Budget
	// AMF bounds the AMF values of each command and data message a peer
	// sends (nesting depth, values); zero fields take package amf0's
	// defaults.
	AMF message.Limits

	// HandshakeTimeout bounds the whole handshake. Default 10 s.
	HandshakeTimeout time.Duration
	// IdleTimeout closes a connection that sends nothing for this long
	// after its handshake. Default 2 min.
	IdleTimeout time.Duration
	// WriteTimeout bounds each batch written to the socket. Default 30 s.
	WriteTimeout time.Duration
	// ShutdownGrace is how long sessions may take to end cleanly once
	// Serve's context is cancelled, before their sockets are closed.
	// Default 5 s.
	ShutdownGrace time.Duration

	// MaxConns limits the connections served at once; one accepted beyond
	// it is closed at once. Default 10000.
	MaxConns int
	// MaxQueuedBytes bounds the bytes waiting to be written on one
	// connection. Session output (control, commands) is always queued;
	// media offered with Conn.QueueMedia past the bound is refused, which
	// is where a relay's drop policy steps in. A connection whose queue
	// passes twice the bound anyway (its peer reads slower than the
	// application sends through the session) ends with ErrWriteBacklog.
	// Default 16 MiB.
	MaxQueuedBytes int
	// SocketWriteBuffer, if positive, sets the kernel send buffer of each
	// TCP connection (SO_SNDBUF). The kernel otherwise lets it grow to
	// megabytes per connection, which hides a slow player from the
	// relay's drop policy for a long time.
	SocketWriteBuffer int
	// Nagle has a Relay turn Nagle's algorithm on for each player once its
	// fast start is written (Conn.EnableNagle; Go turns it off, as
	// TCP_NODELAY): a small write is then held in the kernel while earlier
	// bytes are unacknowledged and leaves with what follows it, so a
	// player costs fewer, larger segments. It adds at most the peer's
	// acknowledgement time to a message's delivery; see the README's
	// Performance section for what it saves and costs. Until then, and on
	// every other connection, TCP_NODELAY stays: handshakes, command
	// answers and fast starts leave at once.
	Nagle bool
	// MergeWrites, if positive, has a Relay hold each player's media for
	// up to this long once its fast start is written
	// (Conn.EnableMergedWrites), and write what it holds in one vectored
	// write per player: far fewer write system calls for a delay of up to
	// MergeWrites, as SRS's mw_latency does. Session output and the
	// relay's notices are never held, and take what is held with them;
	// a fast start is not held either. Zero, the default, writes each
	// message as it comes. Merged writes need plain TCP; on other
	// connections held media goes through the writer goroutine. Every
	// Serve with the same MergeWrites shares one merger, and so do a
	// live.Relay's HTTP-FLV players given it as Relay.MergeWrites.
	MergeWrites time.Duration
	// StrictHandshake ends a connection whose C2 answers neither our S1
	// nor its digest (handshake.ErrC2Mismatch). Off by default: like
	// nginx-rtmp and SRS, the server then goes on with such a client, since
	// encoders exist whose C2 echoes nothing, and nothing in a C2 changes
	// what follows. The check still runs either way.
	StrictHandshake bool
	// RTMPE accepts clients that ask for an encrypted handshake (rtmpe://
	// URLs): a Diffie-Hellman exchange, then RC4 both ways. It obscures
	// rather than secures (RTMPS does that), costs a 1024-bit modular
	// exponentiation per handshake and, for those connections, an
	// encrypted copy of every byte sent. Off by default.
	RTMPE bool
	// NoDirectWrites turns off writing media straight from the goroutine
	// that offers it (Conn.QueueMedia) when the connection's queue is
	// empty; every write then goes through the connection's writer
	// goroutine, which costs a goroutine switch per message per player.
	NoDirectWrites bool
	// ReadBufferSize is the read buffer of a connection whose reads fill
	// the initial 2 KiB one (a publisher); the others keep that, and a
	// plain TCP connection borrows it only for a read that has bytes.
	// Default 32 KiB.
	ReadBufferSize int

	// Logger receives the driver's logs. Default slog.Default().
	Logger *slog.Logger
	// Stats, if not nil, counts the connections and bytes of this server
	// (give several Serve calls the same one to sum them).
	Stats *ServerStats
}

// The defaults of Config.
const (
	DefaultHandshakeTimeout = 10 * time.Second
	DefaultIdleTimeout      = 2 * time.Minute
	DefaultWriteTimeout     = 30 * time.Second
	DefaultShutdownGrace    = 5 * time.Second
	DefaultPingInterval     = 30 * time.Second
	DefaultMaxConns         = 10000
	DefaultMaxQueuedBytes   = 16 << 20
	DefaultReadBufferSize   = 32 << 10
)

func (c Config) withDefaults() Config {
	if c.Stats == nil {
		c.Stats = new(ServerStats)
	}
	if c.Session.PingInterval == 0 {
		c.Session.PingInterval = DefaultPingInterval
	}
	if c.HandshakeTimeout <= 0 {
		c.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = DefaultIdleTimeout
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = DefaultWriteTimeout
	}
	if c.ShutdownGrace <= 0 {
		c.ShutdownGrace = DefaultShutdownGrace
	}
	if c.MaxConns <= 0 {
		c.MaxConns = DefaultMaxConns
	}
	if c.MaxQueuedBytes <= 0 {
		c.MaxQueuedBytes = DefaultMaxQueuedBytes
	}
	if c.ReadBufferSize <= 0 {
		c.ReadBufferSize = DefaultReadBufferSize
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}
