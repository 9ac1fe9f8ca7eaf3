package hls

import (
	"time"

	"github.com/gortmp/rtmp/core/hls"
)

// Config sets how streams are cut and served.
type Config struct {
	// Timeline is how a stream is cut: target duration, part target,
	// window, delta updates (core/hls's defaults: 2 s, 200 ms, 6).
	Timeline hls.Config
	// Always segments every published stream from its start, so the first
	// player finds a full window; otherwise a stream is segmented from the
	// first request for it.
	Always bool
	// Idle stops segmenting a stream (Always or not) that nobody requested
	// for this long; default 30 s. A player counts for as long as its last
	// request is younger than PlayerTimeout.
	Idle time.Duration
	// PlayerTimeout: a player whose last request is older is gone;
	// default 10 s.
	PlayerTimeout time.Duration
	// Wait bounds how long a request is held for what it asks: a blocking
	// playlist reload, a part announced by a preload hint, the first
	// segment of a stream just started; default 10 s.
	Wait time.Duration
	// MaxBytes bounds what one stream holds (its window's parts and init
	// sections); one that outgrows it ends. Default 64 MiB.
	MaxBytes int
}

// Defaults of Config's zero fields.
const (
	DefaultIdle          = 30 * time.Second
	DefaultPlayerTimeout = 10 * time.Second
	DefaultWait          = 10 * time.Second
	DefaultMaxBytes      = 64 << 20
)

func (c Config) withDefaults() Config {
	if c.Idle <= 0 {
		c.Idle = DefaultIdle
	}
	if c.PlayerTimeout <= 0 {
		c.PlayerTimeout = DefaultPlayerTimeout
	}
	if c.Wait <= 0 {
		c.Wait = DefaultWait
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = DefaultMaxBytes
	}
	return c
}
