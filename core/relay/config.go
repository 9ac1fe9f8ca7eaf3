package relay

// Config bounds what one stream may hold in memory. The zero value of a
// field takes its default.
type Config struct {
	// MaxQueueBytes is how many bytes (by Media.Cost) may wait for one
	// player before its video is skipped to the next keyframe. Default
	// 2 MiB, a few seconds of a typical stream.
	MaxQueueBytes int
	// HardQueueBytes is the most a player may ever have queued: audio,
	// sequence headers and metadata still flow while video is skipped,
	// up to this bound; a player beyond it is disconnected. Default
	// twice MaxQueueBytes.
	HardQueueBytes int
	// MaxBehindMillis is how long, in media time, a player may keep
	// skipping video before it is disconnected. Default 10000.
	MaxBehindMillis uint32
	// MaxCacheBytes bounds the fast-start cache of frames since the last
	// keyframe; a group of pictures larger than this is not cached and
	// late players wait for the next keyframe. Default 8 MiB.
	MaxCacheBytes int
}

// Defaults for the zero fields of Config.
const (
	DefaultMaxQueueBytes   = 2 << 20
	DefaultMaxBehindMillis = 10000
	DefaultMaxCacheBytes   = 8 << 20
)

// WithDefaults returns c with its zero fields set to their defaults, as a
// Registry or Stream applies them.
func (c Config) WithDefaults() Config {
	if c.MaxQueueBytes <= 0 {
		c.MaxQueueBytes = DefaultMaxQueueBytes
	}
	if c.HardQueueBytes < c.MaxQueueBytes {
		c.HardQueueBytes = 2 * c.MaxQueueBytes
	}
	if c.MaxBehindMillis == 0 {
		c.MaxBehindMillis = DefaultMaxBehindMillis
	}
	if c.MaxCacheBytes <= 0 {
		c.MaxCacheBytes = DefaultMaxCacheBytes
	}
	return c
}
