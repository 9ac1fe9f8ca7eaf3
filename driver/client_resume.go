package driver

import (
	"slices"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// resumeBytes bounds the media a publication keeps to resume its stream on
// a new server (see resume).
const resumeBytes = 8 << 20

// resumeDataSize is what a kept message that is not audio or video
// (metadata, data) counts for.
const resumeDataSize = 256

// resume is what a publication of a connection that follows reconnects
// keeps so that a new server can take its stream over without a hole:
// copies of what it wrote since the last point players can start from (a
// keyframe; any audio without video), and the replay in effect at that
// point.
//
// A switch that happens right before such a point needs none of it: the
// new server gets the replay and the point itself. The others do: when
// the old server hung up right after its request (a draining server does)
// or no keyframe came in time, the publisher went on writing meanwhile,
// to a dead socket or to the old server only, and the new server would
// start mid-group, with frames that refer to pictures it never got, and a
// relay there would drop them until the next keyframe. With resume, it
// gets the group from its keyframe, then what was written since, so its
// stream goes on where the old one stopped.
//
// While the connection has no server to write to (a gap), every write is
// kept, start points included, since the new server needs all of it. Past
// resumeBytes nothing is kept until the next start point.
type resume struct {
	start []client.Input // the replay at the last start point
	msgs  []client.Input
	arena []byte // payload copies of msgs, reused from each start point
	bytes int
	over  bool // past the bound since the last start point
	limit int  // resumeBytes, unless a test sets another
}

// keep notes in, a SendMessage or SendMetaData that p writes, before p's
// replay does; gap says the connection has no server to write to. c.mu is
// held.
func (r *resume) keep(p *Publication, in client.Input, gap bool) {
	if startsOver(p, in) && (!gap || r.over) {
		r.start = p.replay.appendInputs(r.start[:0], 0)
		clear(r.msgs)
		r.msgs, r.arena, r.bytes, r.over = r.msgs[:0], r.arena[:0], 0, false
	}
	if r.over {
		return
	}
	size := resumeDataSize
	switch m := in.(type) {
	case client.SendMessage:
		switch b := m.Body.(type) {
		case message.Video:
			size = len(b.Payload)
			m.Body = message.Video{Payload: r.copy(b.Payload)}
		case message.Audio:
			size = len(b.Payload)
			m.Body = message.Audio{Payload: r.copy(b.Payload)}
		}
		in = m
	case client.SendMetaData:
		m.MetaData = slices.Clone(m.MetaData)
		in = m
	}
	limit := r.limit
	if limit == 0 {
		limit = resumeBytes
	}
	if r.bytes+size > limit {
		clear(r.msgs)
		r.msgs, r.arena, r.bytes, r.over = r.msgs[:0], r.arena[:0], 0, true
		return
	}
	r.msgs = append(r.msgs, in)
	r.bytes += size
}

// copy appends b to the arena and returns the copy. A payload copied
// before the arena grew keeps the old array, which stays valid; from the
// next start point on, the arena is written over from its beginning, and
// nothing refers to what was there.
func (r *resume) copy(b []byte) []byte {
	n := len(r.arena)
	r.arena = append(r.arena, b...)
	return r.arena[n:len(r.arena):len(r.arena)]
}

// take returns what a new server needs on stream id before p's next
// write: the replay alone when that write is a start point (atBoundary),
// or when nothing usable was kept; otherwise the replay of the last start
// point and everything written since. What take returns must be stepped
// before the next keep, which may write over it. c.mu is held.
func (r *resume) take(p *Publication, id uint32, atBoundary bool) []client.Input {
	if atBoundary || r.over || len(r.msgs) == 0 {
		return p.replay.appendInputs(nil, id)
	}
	out := append(slices.Clip(r.start), r.msgs...)
	for i, in := range out {
		switch m := in.(type) {
		case client.SendMessage:
			m.StreamID = id
			out[i] = m
		case client.SendMetaData:
			m.StreamID = id
			out[i] = m
		}
	}
	return out
}
