package core

import "slices"

// streamState is the lifecycle of a message stream:
//
//	created ──publish──> publishRequested ──accept──> publishing
//	created ──play─────> playRequested    ──accept──> playing
//	any ──closeStream/FCUnpublish/reject──> created;  any ──deleteStream──> gone
type streamState uint8

const (
	streamCreated streamState = iota
	streamPublishRequested
	streamPublishing
	streamPlayRequested
	streamPlaying
)

// stream is one message stream the peer created.
type stream struct {
	id          uint32
	state       streamState
	key         string
	publishType PublishType
	reset       bool
	request     RequestID
}

// finished appends the finished event of an active stream, if any.
func (st stream) finished(fx []Effect, app string) []Effect {
	switch st.state {
	case streamPublishing:
		return append(fx, PublishingFinished{App: app, StreamKey: st.key, StreamID: st.id})
	case streamPlaying:
		return append(fx, PlayStreamFinished{App: app, StreamKey: st.key, StreamID: st.id})
	}
	return fx
}

// findStream returns the index of stream id.
func (s *state) findStream(id uint32) (int, bool) {
	for i := range s.streams {
		if s.streams[i].id == id {
			return i, true
		}
	}
	return 0, false
}

// putStream replaces stream i in a fresh slice.
func (s *state) putStream(i int, st stream) {
	ns := slices.Clone(s.streams)
	ns[i] = st
	s.streams = ns
}

// addStream appends a stream; the clip forces a fresh backing array.
func (s *state) addStream(st stream) {
	s.streams = append(slices.Clip(s.streams), st)
}

// removeStream drops stream i in a fresh slice.
func (s *state) removeStream(i int) {
	s.streams = slices.Delete(slices.Clone(s.streams), i, i+1)
}

// resetStream finishes an active stream and cancels its pending request,
// leaving it created and reusable.
func (s *state) resetStream(fx []Effect, i int) []Effect {
	st := s.streams[i]
	fx = st.finished(fx, s.conn.app)
	if st.state == streamPublishRequested || st.state == streamPlayRequested {
		s.dropRequest(st.request)
	}
	s.putStream(i, stream{id: st.id})
	return fx
}
