package relay

// cache is the fast-start state of a stream: the latest metadata and
// sequence headers, and every message since the last keyframe, so a player
// joining late starts decoding at once instead of waiting a whole group of
// pictures.
type cache struct {
	meta, audioHeader, videoHeader *Media
	// gop holds the messages from the last keyframe on, audio included,
	// in arrival order; it is only valid once a keyframe started it and
	// while it stays within Config.MaxCacheBytes.
	gop      []Media
	gopBytes int
	gopValid bool
}

func (c *cache) reset() {
	c.meta, c.audioHeader, c.videoHeader = nil, nil, nil
	c.dropGOP()
}

func (c *cache) dropGOP() {
	clear(c.gop) // let the payloads go
	c.gop, c.gopBytes, c.gopValid = c.gop[:0], 0, false
}

func (c *cache) update(m Media, class Class, limit int) {
	switch class {
	case Meta:
		c.meta = pointerTo(m)
	case AudioHeader:
		c.audioHeader = pointerTo(m)
	case VideoHeader:
		// Frames coded against the previous configuration would confuse
		// a new player's decoder.
		c.videoHeader = pointerTo(m)
		c.dropGOP()
	case Keyframe:
		c.dropGOP()
		if m.Cost() > limit {
			return
		}
		c.gop, c.gopBytes, c.gopValid = append(c.gop, m), m.Cost(), true
	case Frame:
		if !c.gopValid {
			return
		}
		if c.gopBytes+m.Cost() > limit {
			c.dropGOP()
			return
		}
		c.gop, c.gopBytes = append(c.gop, m), c.gopBytes+m.Cost()
	}
}

// pointerTo copies m to the heap, so the media path's m stays on the stack.
func pointerTo(m Media) *Media { return &m }
