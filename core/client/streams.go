package client

import (
	"slices"
	"sort"
)

// streamState is what a created stream is doing.
type streamState uint8

const (
	streamIdle           streamState = iota // created, nothing asked
	streamPublishPending                    // publish sent, no answer yet
	streamPublishing                        // NetStream.Publish.Start received
	streamPlayPending                       // play sent, no answer yet
	streamPlaying                           // NetStream.Play.Start received
)

// stream is one created message stream.
type stream struct {
	id    uint32
	state streamState
	name  string
	// tx is the transaction id of the pending publish or play, which an
	// _error answer names.
	tx float64
}

// stopped appends what ending the stream means for the application: a
// started publish or play finishes, a pending one fails with code.
func (st stream) stopped(fx []Effect, code string) []Effect {
	switch st.state {
	case streamPublishPending:
		fx = append(fx, PublishFailed{StreamID: st.id, Name: st.name, Code: code, Description: "stopped before the server answered"})
	case streamPublishing:
		fx = append(fx, PublishFinished{StreamID: st.id, Name: st.name})
	case streamPlayPending:
		fx = append(fx, PlayFailed{StreamID: st.id, Name: st.name, Code: code, Description: "stopped before the server answered"})
	case streamPlaying:
		fx = append(fx, PlayFinished{StreamID: st.id, Name: st.name})
	}
	return fx
}

// find returns the index of stream id, or -1.
func (s *Session) find(id uint32) int {
	i := sort.Search(len(s.streams), func(i int) bool { return s.streams[i].id >= id })
	if i < len(s.streams) && s.streams[i].id == id {
		return i
	}
	return -1
}

// setStream replaces or inserts st in a new slice (copy on write).
func (s *Session) setStream(st stream) {
	streams := slices.Clone(s.streams)
	i := sort.Search(len(streams), func(i int) bool { return streams[i].id >= st.id })
	if i < len(streams) && streams[i].id == st.id {
		streams[i] = st
	} else {
		streams = slices.Insert(streams, i, st)
	}
	s.streams = streams
}

// removeStream drops stream index i in a new slice.
func (s *Session) removeStream(i int) {
	s.streams = slices.Delete(slices.Clone(s.streams), i, i+1)
}

// idleStream checks that the connection is up and that id names a created
// stream doing nothing, for publish and play.
func (s *Session) idleStream(id uint32) (stream, string) {
	if s.phase != phaseConnected {
		return stream{}, "not connected"
	}
	i := s.find(id)
	if i < 0 {
		return stream{}, "no such stream"
	}
	if s.streams[i].state != streamIdle {
		return stream{}, "stream is busy"
	}
	return s.streams[i], ""
}

func (s *Session) createStream(fx []Effect, in CreateStream) []Effect {
	if s.phase != phaseConnected {
		return misuse(fx, "createStream before the connection is up")
	}
	for _, c := range s.creating {
		if c.request == in.Request {
			return misuse(fx, "createStream request id already pending")
		}
	}
	tx := s.transaction()
	s.creating = append(slices.Clip(s.creating), creation{tx: tx, request: in.Request})
	return command(fx, 0, "createStream", tx)
}

// streamCreated answers a createStream. The id must be a positive integer
// that names no stream yet; anything else fails the request.
func (s *Session) streamCreated(fx []Effect, i int, args []any) []Effect {
	c := s.creating[i]
	s.creating = removeCreation(s.creating, i)
	var id float64
	if len(args) > 0 {
		id, _ = args[0].(float64)
	}
	if id < 1 || id > 1<<32-1 || id != float64(uint32(id)) {
		return append(fx, CreateStreamFailed{Request: c.request, Code: "NetStream.Failed", Description: "the server answered without a usable stream id"})
	}
	if s.find(uint32(id)) >= 0 {
		return append(fx, CreateStreamFailed{Request: c.request, Code: "NetStream.Failed", Description: "the server answered with a stream id in use"})
	}
	s.setStream(stream{id: uint32(id)})
	return append(fx, StreamCreated{Request: c.request, StreamID: uint32(id)})
}

// publishTypes are publish's type argument by PublishType.
var publishTypes = [...]string{PublishLive: "live", PublishRecord: "record", PublishAppend: "append"}

func (s *Session) publish(fx []Effect, in Publish) []Effect {
	st, problem := s.idleStream(in.StreamID)
	if problem != "" {
		return misuse(fx, "publish: "+problem)
	}
	if int(in.Type) >= len(publishTypes) {
		return misuse(fx, "publish: unknown publish type")
	}
	if s.cfg.FMLECalls {
		fx = s.courtesyCall(fx, "releaseStream", in.Name)
		fx = s.courtesyCall(fx, "FCPublish", in.Name)
	}
	st.state, st.name, st.tx = streamPublishPending, in.Name, s.transaction()
	s.setStream(st)
	return command(fx, st.id, "publish", st.tx, in.Name, publishTypes[in.Type])
}

func (s *Session) play(fx []Effect, in Play) []Effect {
	st, problem := s.idleStream(in.StreamID)
	if problem != "" {
		return misuse(fx, "play: "+problem)
	}
	st.state, st.name, st.tx = streamPlayPending, in.Name, s.transaction()
	s.setStream(st)
	fx = command(fx, st.id, "play", st.tx, in.Name, in.Start)
	return s.setBufferLength(fx, SetBufferLength{StreamID: st.id, Milliseconds: s.cfg.BufferLength})
}

func (s *Session) deleteStream(fx []Effect, in DeleteStream) []Effect {
	i := s.find(in.StreamID)
	if i < 0 {
		return misuse(fx, "deleteStream: no such stream")
	}
	st := s.streams[i]
	s.removeStream(i)
	if st.state == streamPublishing || st.state == streamPublishPending {
		fx = s.courtesyCall(fx, "FCUnpublish", st.name)
	}
	fx = command(fx, 0, "deleteStream", s.transaction(), float64(st.id))
	fx = st.stopped(fx, CodeClosed)
	return append(fx, StreamDeleted{StreamID: st.id})
}
