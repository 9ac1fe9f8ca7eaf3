package core

import (
	"slices"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

type requestKind uint8

const (
	requestConnect requestKind = iota
	requestPublish
	requestPlay
)

// request is a connect, publish or play waiting for the application.
type request struct {
	id       RequestID
	kind     requestKind
	streamID uint32
}

// queueRequest records a new request and returns its id.
func (s *state) queueRequest(kind requestKind, streamID uint32) RequestID {
	id := s.nextRequest
	s.nextRequest++
	s.requests = append(slices.Clip(s.requests), request{id: id, kind: kind, streamID: streamID})
	return id
}

// requestsFull reports whether another request would pass the limit.
func (s *state) requestsFull() bool { return len(s.requests) >= s.cfg.MaxPendingRequests }

// takeRequest removes request id and returns it.
func (s *state) takeRequest(id RequestID) (request, bool) {
	for i, r := range s.requests {
		if r.id == id {
			s.requests = slices.Delete(slices.Clone(s.requests), i, i+1)
			return r, true
		}
	}
	return request{}, false
}

func (s *state) dropRequest(id RequestID) { s.takeRequest(id) }

// accept answers a request positively.
func (s *state) accept(fx []Effect, in Accept) []Effect {
	r, ok := s.takeRequest(in.Request)
	if !ok {
		return append(fx, CallerError{UnknownRequestError{in.Request}})
	}
	switch r.kind {
	case requestConnect:
		s.phase = phaseConnected
		fx = s.sendAsIs(fx, 0, s.clock(), message.Command{
			Name:          "_result",
			TransactionID: s.conn.txid,
			// The server states its Enhanced RTMP support beside fmsVer;
			// a legacy client's reply gains nothing.
			Object: s.conn.server.appendTo(amf0.Object{
				{Key: "fmsVer", Value: s.cfg.FMSVersion},
				{Key: "capabilities", Value: 31.0},
			}),
			Args: []amf0.Value{amf0.Object{
				{Key: "level", Value: "status"},
				{Key: "code", Value: "NetConnection.Connect.Success"},
				{Key: "description", Value: "Connection succeeded"},
				{Key: "objectEncoding", Value: s.conn.objectEncoding},
			}},
		})
		return s.runHeld(fx)
	case requestPublish:
		return s.startPublishing(fx, r.streamID)
	default:
		return s.startPlaying(fx, r.streamID)
	}
}

// reject answers a request negatively with the code its reason selects.
func (s *state) reject(fx []Effect, in Reject) []Effect {
	r, ok := s.takeRequest(in.Request)
	if !ok {
		return append(fx, CallerError{UnknownRequestError{in.Request}})
	}
	switch r.kind {
	case requestConnect:
		desc := orDefault(in.Description, "Connection rejected")
		fx = s.sendAsIs(fx, 0, s.clock(), message.Command{
			Name:          "_error",
			TransactionID: s.conn.txid,
			Args:          []amf0.Value{statusInfo("error", "NetConnection.Connect.Rejected", desc)},
		})
		return s.terminate(fx, ConnectRejectedError{desc})
	case requestPublish:
		code := "NetStream.Publish.Denied"
		if in.Reason == RejectBadName {
			code = "NetStream.Publish.BadName"
		}
		return s.refuseStream(fx, r.streamID, code, in.Description)
	default:
		code := "NetStream.Play.Failed"
		if in.Reason == RejectBadName {
			code = "NetStream.Play.StreamNotFound"
		}
		return s.refuseStream(fx, r.streamID, code, in.Description)
	}
}

// refuseStream answers a refused publish or play on its stream and makes
// the stream reusable.
func (s *state) refuseStream(fx []Effect, streamID uint32, code, desc string) []Effect {
	i, ok := s.findStream(streamID)
	if !ok {
		return fx
	}
	st := s.streams[i]
	s.putStream(i, stream{id: st.id})
	return s.onStatus(fx, st.id, "error", code, orDefault(desc, st.key+" refused"))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
