package chunk

// DecoderConfig holds the decoder's limits. A zero field takes its default,
// so DecoderConfig{} is the safe configuration.
type DecoderConfig struct {
	// MaxMessageSize is the longest message accepted. Default and ceiling:
	// MaxMessageLength (16 MiB - 1), the most the 24-bit field can say.
	MaxMessageSize uint32
	// MaxChunkSize caps the chunk size a peer may set. Default 16 MiB;
	// larger values are clamped to the protocol's 2^31-1.
	MaxChunkSize uint32
	// MaxBuffered caps the payload bytes held across all partial messages,
	// counting each chunk in full as soon as its header arrives.
	// Default 64 MiB.
	MaxBuffered int
	// MaxPartialMessages caps the chunk streams with a message in progress
	// (the one being read included). Default 64.
	MaxPartialMessages int
	// MaxChunkStreams caps the distinct chunk stream ids whose header
	// state is remembered. Default 1024.
	MaxChunkStreams int
	// PreallocLimit is the most a message header alone may make the
	// decoder reserve for the payload before its bytes arrive. Default
	// 64 KiB. See the package documentation on allocation.
	PreallocLimit int
}

// Defaults of DecoderConfig.
const (
	DefaultMaxMessageSize     = MaxMessageLength
	DefaultMaxChunkSize       = 16 << 20
	DefaultMaxBuffered        = 64 << 20
	DefaultMaxPartialMessages = 64
	DefaultMaxChunkStreams    = 1024
	DefaultPreallocLimit      = 64 << 10
)

// WithDefaults returns c with every zero or out-of-range field replaced by
// its default or ceiling.
func (c DecoderConfig) WithDefaults() DecoderConfig {
	if c.MaxMessageSize == 0 || c.MaxMessageSize > MaxMessageLength {
		c.MaxMessageSize = DefaultMaxMessageSize
	}
	if c.MaxChunkSize == 0 {
		c.MaxChunkSize = DefaultMaxChunkSize
	}
	c.MaxChunkSize = min(c.MaxChunkSize, MaxChunkSize)
	if c.MaxBuffered <= 0 {
		c.MaxBuffered = DefaultMaxBuffered
	}
	if c.MaxPartialMessages <= 0 {
		c.MaxPartialMessages = DefaultMaxPartialMessages
	}
	if c.MaxChunkStreams <= 0 {
		c.MaxChunkStreams = DefaultMaxChunkStreams
	}
	if c.PreallocLimit <= 0 {
		c.PreallocLimit = DefaultPreallocLimit
	}
	return c
}
