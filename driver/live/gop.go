package live

import (
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
)

// gopFrames keeps the driver.Frame of every message of a stream since its last
// keyframe: the messages a fast start sends a joining player. The relay's
// cache hands those messages back to each player that joins, and a new
// driver.Frame each time would encode the whole group again per player (with a
// thousand players joining, a thousand copies of up to MaxCacheBytes to
// encode and collect). Found here, the player gets the bytes the live
// fan-out encoded, shared with everyone else.
//
// It follows the relay's cache from below: reset at each keyframe (of any
// track) and decoder configuration, and closed, until the next keyframe,
// past the cache's bound, so it never holds more than the cache does; a
// stream without keyframes (audio only) keeps nothing. The cache keeps
// each track from its own keyframe, so with several video tracks a fast
// start may encode some of its messages again; it is never wrong, only
// slower. A message it does not have (the
// metadata and decoder configuration, kept by the cache longer, or a
// message fanned out before any player came) is encoded on the first fast
// start that sends it, and kept for the next.
type gopFrames struct {
	frames map[frameKey]*driver.Frame
	bytes  int
	open   bool
}

// frameKey identifies a relayed message by its payload's bytes in memory:
// the cache hands back the very slices it was given.
type frameKey struct {
	p    *byte
	n    int
	ts   uint32
	kind relay.Kind
}

func keyOf(m relay.Media) (frameKey, bool) {
	if len(m.Payload) == 0 {
		return frameKey{}, false
	}
	return frameKey{&m.Payload[0], len(m.Payload), m.Timestamp, m.Kind}, true
}

// madeFrame is a driver.Frame the live fan-out made and the message in it.
type madeFrame struct {
	m relay.Media
	f *driver.Frame
}

// note records the frames the live fan-out made for a message of class c;
// limit is the cache's bound. Unless share, it only counts them: a stream
// with one player (an ingest server's usual stream) has nobody to share
// them with, and keeping them held its group of pictures twice, the
// cache's payloads and the framed copies. A player that joins encodes
// what it needs, kept for the next one.
func (g *gopFrames) note(c relay.Class, made []madeFrame, limit int, share bool) {
	switch c {
	case relay.Keyframe:
		g.reset()
		g.open = true
	case relay.VideoHeader:
		g.reset()
		return
	}
	for _, mf := range made {
		f := mf.f
		if !share {
			f = nil
		}
		g.keep(mf.m, f, limit)
	}
}

// keep records f as the frame of m while the group is open and within
// limit; past it, the group closes. A nil f counts m against the bound
// without keeping a frame.
func (g *gopFrames) keep(m relay.Media, f *driver.Frame, limit int) {
	k, ok := keyOf(m)
	if !g.open || !ok {
		return
	}
	if g.bytes += len(m.Payload); g.bytes > limit {
		g.reset()
		return
	}
	if f == nil {
		return
	}
	if g.frames == nil {
		g.frames = make(map[frameKey]*driver.Frame)
	}
	g.frames[k] = f
}

// frame returns the driver.Frame for a message a fast start sends: the live
// fan-out's, or one made by an earlier fast start (the group's first
// messages may have been fanned out to nobody), or a new one, kept for the
// next player.
func (g *gopFrames) frame(m relay.Media, limit int) *driver.Frame {
	k, ok := keyOf(m)
	if ok {
		if f := g.frames[k]; f != nil {
			return f
		}
	}
	f := newMediaFrame(m, false)
	g.keep(m, f, limit)
	return f
}

// reset forgets every frame, until the next keyframe.
func (g *gopFrames) reset() {
	clear(g.frames)
	g.bytes, g.open = 0, false
}
