package core

import (
	"time"

	"github.com/gortmp/rtmp/codec/chunk"
)

// Config holds the settings of one server session. The zero value of any
// field means its default, so Config{} is a working configuration.
type Config struct {
	// FMSVersion is the server version sent in the connect reply
	// (default "FMS/3,0,1,123").
	FMSVersion string
	// PeerBandwidth is the Set Peer Bandwidth size sent at stream-zero
	// begin, with the dynamic limit type (default 2,500,000).
	PeerBandwidth uint32
	// WindowAckSize is the Window Acknowledgement Size sent at stream-zero
	// begin (default 1,073,741,824).
	WindowAckSize uint32
	// ChunkSize is our outbound chunk size, announced and applied at
	// stream-zero begin (default 4096, at most 2^31-1).
	ChunkSize uint32
	// PingInterval is the time between automatic ping requests. Zero or
	// negative turns them off (the default, as in the seed); SendPing still
	// works.
	PingInterval time.Duration
	// PingTimeout is how long the peer may stay silent after a ping request
	// before the session closes (default 30 s; negative turns the timeout
	// off). Anything the peer sends after the request counts as an answer:
	// a message of any kind, or a BytesCounted whose Received total grew.
	// So a publisher that never reads (OBS Studio discards what the server
	// sends) stays connected while its media flows, and the timeout ends
	// only a connection that sent nothing since the ping.
	PingTimeout time.Duration
	// PublishIdleTimeout ends a connection that has a stream publishing but
	// received no audio or video message for this long, with
	// PublishIdleError; its streams finish as on any close, so its players
	// see the publication end and the key is free for a new publisher
	// (default 10 s; negative turns it off). Time reaches the session only
	// through Tick, so it is checked at deadlines a quarter of the timeout
	// apart: given Ticks at the WakeAt deadlines, a publisher is closed
	// between PublishIdleTimeout and 1.25 times it after its last audio or
	// video message, and never before that much session time passed
	// without one. The timer starts when the first stream publishes, so a
	// publisher has the whole timeout for its first frame.
	PublishIdleTimeout time.Duration
	// MaxStreams limits the streams one connection may create (default 64).
	MaxStreams int
	// MaxPendingRequests limits the requests waiting for Accept or Reject
	// (default 16). Requests beyond it are refused at once.
	MaxPendingRequests int
	// Capabilities is what the server announces to an Enhanced RTMP client
	// (one whose connect declared fourCcList, an info map or capsEx) in
	// its connect _result. Left zero it is DefaultCapabilities(): every
	// codec codec/flv knows, forwarded, and capsEx reconnect, multitrack
	// and ModEx. Legacy clients always get the legacy _result.
	Capabilities Capabilities
	// SendDataStart sends onStatus NetStream.Data.Start as a data message
	// at the start of every play, after |RtmpSampleAccess, as the seed and
	// Flash Media Server do; some old Flash clients wait for it. Off by
	// default: FFmpeg (ffprobe, ffplay, ffmpeg -map 0) shows it as a third,
	// codec-less data stream beside the published audio and video, and
	// nginx-rtmp does not send it.
	SendDataStart bool
	// LegacyOnly answers every client with the legacy _result and
	// announces nothing, as servers before Enhanced RTMP did.
	LegacyOnly bool
}

// The defaults of the seed configuration, plus our own limits.
const (
	DefaultFMSVersion         = "FMS/3,0,1,123"
	DefaultPeerBandwidth      = 2_500_000
	DefaultWindowAckSize      = 1_073_741_824
	DefaultChunkSize          = 4096
	DefaultPingTimeout        = 30 * second
	DefaultPublishIdleTimeout = 10 * second
	DefaultMaxStreams         = 64
	DefaultMaxPendingRequests = 16
)

// Durations are built from our own units so that the package uses only the
// time.Duration type and never the clock.
const (
	millisecond time.Duration = 1_000_000
	second                    = 1000 * millisecond
)

// Never is the WakeAt deadline that means "no timer is armed".
const Never time.Duration = 1<<63 - 1

// withDefaults fills every zero field with its default.
func (c Config) withDefaults() Config {
	if c.FMSVersion == "" {
		c.FMSVersion = DefaultFMSVersion
	}
	if c.PeerBandwidth == 0 {
		c.PeerBandwidth = DefaultPeerBandwidth
	}
	if c.WindowAckSize == 0 {
		c.WindowAckSize = DefaultWindowAckSize
	}
	if c.ChunkSize == 0 {
		c.ChunkSize = DefaultChunkSize
	}
	if c.ChunkSize > chunk.MaxChunkSize {
		c.ChunkSize = chunk.MaxChunkSize
	}
	if c.PingTimeout == 0 {
		c.PingTimeout = DefaultPingTimeout
	}
	if c.PublishIdleTimeout == 0 {
		c.PublishIdleTimeout = DefaultPublishIdleTimeout
	}
	if c.MaxStreams <= 0 {
		c.MaxStreams = DefaultMaxStreams
	}
	if c.MaxPendingRequests <= 0 {
		c.MaxPendingRequests = DefaultMaxPendingRequests
	}
	switch {
	case c.LegacyOnly:
		c.Capabilities = Capabilities{}
	case !c.Capabilities.Enhanced():
		// Shared by every session: their configuration is never written.
		c.Capabilities = defaultCapabilities
	default:
		// The snapshot's configuration is never written; neither may the
		// caller's slices be.
		c.Capabilities = c.Capabilities.clone()
	}
	return c
}
