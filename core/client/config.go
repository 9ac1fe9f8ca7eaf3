package client

import "github.com/gortmp/rtmp/codec/chunk"

// Config holds what a client session needs from outside. Zero fields take
// their defaults.
type Config struct {
	// ChunkSize is our outbound chunk size, announced with Set Chunk Size
	// right before connect; default 4096. Values above 2^31-1 are cut to
	// that, the largest the protocol allows.
	ChunkSize uint32
	// FlashVer is the connect object's flashVer when Connect leaves it
	// empty; default "FMLE/3.0 (compatible; gortmp)".
	FlashVer string
	// BufferLength is the buffer length in milliseconds announced with
	// Set Buffer Length after each play; default 1000.
	BufferLength uint32
	// Window, when not zero, is the Window Acknowledgement Size the session
	// announces right after Set Chunk Size, before connect: the server
	// acknowledges what it receives from us every Window bytes. Zero
	// announces none until a Set Peer Bandwidth asks for one.
	Window uint32
	// FMLECalls makes Publish send releaseStream and FCPublish with the
	// stream name right before the publish command, as FMLE, OBS and
	// FFmpeg do before publishing; some servers and CDNs wait for them.
	// Their answers arrive as CallAnswered.
	FMLECalls bool
}

// The defaults of Config.
const (
	DefaultChunkSize    = 4096
	DefaultFlashVer     = "FMLE/3.0 (compatible; gortmp)"
	DefaultBufferLength = 1000
)

func (c Config) withDefaults() Config {
	if c.ChunkSize == 0 {
		c.ChunkSize = DefaultChunkSize
	}
	c.ChunkSize = min(c.ChunkSize, chunk.MaxChunkSize)
	if c.FlashVer == "" {
		c.FlashVer = DefaultFlashVer
	}
	if c.BufferLength == 0 {
		c.BufferLength = DefaultBufferLength
	}
	return c
}
