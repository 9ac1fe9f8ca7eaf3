package hls

import "time"

// Config sets how a stream is cut and how much of it is kept.
type Config struct {
	// TargetDuration is the shortest segment: a segment ends on the first
	// keyframe at or after it. Default 2 s. A stream whose keyframes are
	// further apart has longer segments, and the playlist's
	// EXT-X-TARGETDURATION grows to cover them.
	TargetDuration time.Duration
	// PartTarget is the longest partial segment; default 200 ms.
	PartTarget time.Duration
	// Window is how many complete segments the playlist lists; default 6,
	// at least 3.
	Window int
	// Delta offers delta updates: the playlist announces CAN-SKIP-UNTIL
	// and a request with _HLS_skip=YES gets the older segments replaced by
	// EXT-X-SKIP.
	Delta bool
}

// Defaults of Config's zero fields.
const (
	DefaultTargetDuration = 2 * second
	DefaultPartTarget     = 200 * millisecond
	DefaultWindow         = 6
)

// second and millisecond spell time.Second and time.Millisecond: this
// package uses time's Duration type alone.
const (
	second      time.Duration = 1e9
	millisecond time.Duration = 1e6
)

func (c Config) withDefaults() Config {
	if c.TargetDuration <= 0 {
		c.TargetDuration = DefaultTargetDuration
	}
	if c.PartTarget <= 0 {
		c.PartTarget = DefaultPartTarget
	}
	if c.PartTarget > c.TargetDuration {
		c.PartTarget = c.TargetDuration
	}
	if c.Window <= 0 {
		c.Window = DefaultWindow
	}
	c.Window = max(c.Window, 3)
	return c
}
