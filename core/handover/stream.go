package handover

import (
	"slices"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// DefaultLimit bounds what a Stream keeps for a new server, in bytes.
const DefaultLimit = 8 << 20

// messageOverhead is what a kept message counts for beyond its payload:
// the bound is on memory, and a publisher writing tiny messages must not
// make it hold millions of them.
const messageOverhead = 64

// dataSize is what a kept message that is not audio or video (metadata,
// data) counts for.
const dataSize = 256

// Stream is what one publication keeps so that a new server can take its
// stream over without a hole: the replay (last metadata and decoder
// configuration), and copies of what it wrote since the last point
// players can start from (a keyframe; any audio without video), with the
// replay in effect at that point.
//
// A switch right before such a point needs none of the copies: the new
// server gets the replay and the point itself. The others do: when the old
// server hung up right after its request, or no keyframe came in time, the
// publisher went on writing, to a dead socket or to the old server only,
// and the new server would start mid-group with frames that refer to
// pictures it never got.
//
// Writes sent to the old server are kept up to the bound; past it the
// copies are dropped until the next start point (those writes reached a
// server; the new one then starts with the replay). Writes held while no
// server takes them are never dropped: past the bound they are refused
// with a *HoldFullError until the switch.
//
// The zero value is ready to use, with DefaultLimit.
type Stream struct {
	// Limit bounds the bytes kept; 0 is DefaultLimit.
	Limit int

	replay replay
	start  []client.Input // the replay at the last start point
	msgs   []client.Input // copies since then, the held ones last
	arena  []byte         // payload copies of msgs, reused from each start point
	bytes  int
	over   bool // sent copies past the bound since the last start point
	// held counts the writes at the end of msgs that no server got.
	held int
	// refusing says the hold overflowed: writes fail until the switch.
	refusing bool
}

// Held is how many writes the stream holds that no server got yet.
func (s *Stream) Held() int { return s.held }

func (s *Stream) limit() int {
	if s.Limit > 0 {
		return s.Limit
	}
	return DefaultLimit
}

// StartsOver reports whether in begins a point a new server's players can
// start from: a video keyframe or sequence start, or any audio of a
// publication without video.
func (s *Stream) StartsOver(in client.Input) bool {
	m, ok := in.(client.SendMessage)
	if !ok {
		return false
	}
	switch b := m.Body.(type) {
	case message.Video:
		info, err := flv.ClassifyVideo(b.Payload)
		return err == nil && (info.Kind == flv.KindKeyframe || info.Kind == flv.KindSequenceStart)
	case message.Audio:
		return !s.replay.video
	}
	return false
}

// note records in in the replay, after keep or hold.
func (s *Stream) note(in client.Input) {
	switch m := in.(type) {
	case client.SendMessage:
		s.replay.note(m)
	case client.SendMetaData:
		s.replay.noteMetaData(m)
	}
}

// restart makes the current replay the start of what is kept, dropping
// the copies: only when none of them is held.
func (s *Stream) restart() {
	s.start = s.replay.appendInputs(s.start[:0], 0)
	clear(s.msgs)
	s.msgs, s.arena, s.bytes, s.over, s.refusing = s.msgs[:0], s.arena[:0], 0, false, false
}

// keepSent keeps a copy of in, which goes to a server now.
func (s *Stream) keepSent(in client.Input) {
	if s.StartsOver(in) {
		s.restart()
	}
	if s.over {
		return
	}
	size := sizeOf(in)
	if s.bytes+size > s.limit() {
		clear(s.msgs)
		s.msgs, s.arena, s.bytes, s.over = s.msgs[:0], s.arena[:0], 0, true
		return
	}
	s.append(in, size)
}

// hold keeps in, which no server gets until the switch, or refuses it.
func (s *Stream) hold(in client.Input) error {
	if s.held == 0 && (s.StartsOver(in) || s.over) {
		// Nothing held is lost: the new server starts here (or, past
		// the bound of sent copies, with the replay and what is held).
		s.restart()
	}
	if s.refusing {
		return &HoldFullError{Held: s.bytes, Limit: s.limit()}
	}
	size := sizeOf(in)
	if s.bytes+size > s.limit() && s.held == 0 {
		// The copies of sent writes make room for held ones.
		s.restart()
	}
	if s.bytes+size > s.limit() {
		s.refusing = true
		return &HoldFullError{Held: s.bytes, Limit: s.limit()}
	}
	s.append(in, size)
	s.held++
	return nil
}

func sizeOf(in client.Input) int {
	if m, ok := in.(client.SendMessage); ok {
		switch b := m.Body.(type) {
		case message.Video:
			return len(b.Payload) + messageOverhead
		case message.Audio:
			return len(b.Payload) + messageOverhead
		}
	}
	return dataSize + messageOverhead
}

// append keeps a copy of in.
func (s *Stream) append(in client.Input, size int) {
	switch m := in.(type) {
	case client.SendMessage:
		switch b := m.Body.(type) {
		case message.Video:
			m.Body = message.Video{Payload: s.copy(b.Payload)}
		case message.Audio:
			m.Body = message.Audio{Payload: s.copy(b.Payload)}
		}
		in = m
	case client.SendMetaData:
		m.MetaData = slices.Clone(m.MetaData)
		in = m
	}
	s.msgs = append(s.msgs, in)
	s.bytes += size
}

// copy appends b to the arena and returns the copy. A payload copied
// before the arena grew keeps the old array, which stays valid; from the
// next start point on, the arena is written over from its beginning, and
// nothing refers to what was there.
func (s *Stream) copy(b []byte) []byte {
	n := len(s.arena)
	s.arena = append(s.arena, b...)
	return s.arena[n:len(s.arena):len(s.arena)]
}

// Take returns what a new server needs on stream id before the
// publication's next write, and counts the held writes as sent: the
// replay alone when that write is a start point (atBoundary, which never
// comes with held writes) or when nothing usable was kept; otherwise the
// replay of the last start point and everything kept since. What Take
// returns must be stepped before the next write, which may reuse its
// memory.
func (s *Stream) Take(id uint32, atBoundary bool) []client.Input {
	s.held, s.refusing = 0, false
	if atBoundary || s.over || len(s.msgs) == 0 {
		return s.replay.appendInputs(nil, id)
	}
	out := append(slices.Clip(s.start), s.msgs...)
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
