package client

import (
	"strings"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

// receive routes one message from the server.
func (s *Session) receive(fx []Effect, m message.Message) []Effect {
	if m.Body == nil {
		return append(fx, MessageIgnored{MessageStreamID: m.StreamID, Reason: "message without a body"})
	}
	// The one place values are read as they came: a server answering in
	// AMF3 reads the same as one answering in AMF0.
	switch b := m.Body.(type) {
	case message.Command:
		m.Body = b.Normalized()
	case message.Data:
		m.Body = b.Normalized()
	}
	if fx, ok := s.control(fx, m); ok {
		return fx
	}
	if fx, ok := s.media(fx, m); ok {
		return fx
	}
	cmd, ok := m.Body.(message.Command)
	if !ok {
		return append(fx, MessageIgnored{m.StreamID, m.Body.Type(), "message type a client does not act on"})
	}
	switch cmd.Name {
	case "_result", "_error":
		return s.answer(fx, m.StreamID, cmd)
	case "onStatus":
		return s.status(fx, m.StreamID, cmd)
	}
	return append(fx, CommandUnhandled{MessageStreamID: m.StreamID, Command: cmd})
}

// answer matches a _result or _error to the request with its transaction
// id: connect, a createStream, a call (calls.go), or a publish or play
// (servers that refuse those with _error instead of onStatus). The seed client had no case for
// _error, so a refused request waited forever.
func (s *Session) answer(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	failed := cmd.Name == "_error"
	if cmd.TransactionID == connectTransaction && s.phase == phaseConnecting {
		return s.connected(fx, cmd)
	}
	for i, c := range s.creating {
		if c.tx != cmd.TransactionID {
			continue
		}
		if failed {
			s.creating = removeCreation(s.creating, i)
			code, description := codeOf(firstObject(cmd.Args), "NetStream.Failed")
			return append(fx, CreateStreamFailed{Request: c.request, Code: code, Description: description})
		}
		return s.streamCreated(fx, i, cmd.Args)
	}
	if fx, ok := s.callAnswered(fx, cmd); ok {
		return fx
	}
	if failed && cmd.TransactionID != 0 {
		for _, st := range s.streams {
			if st.tx == cmd.TransactionID && (st.state == streamPublishPending || st.state == streamPlayPending) {
				return s.refused(fx, st, firstObject(cmd.Args))
			}
		}
	}
	return append(fx, CommandUnhandled{MessageStreamID: streamID, Command: cmd})
}

// status handles onStatus: the answer to a pending publish or play, the
// end of a play, a reconnect request, or news the application may read.
func (s *Session) status(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	info := firstObject(cmd.Args)
	level, _ := info.String("level")
	code, _ := info.String("code")
	description, _ := info.String("description")
	if code == "NetConnection.Connect.ReconnectRequest" {
		tcURL, _ := info.String("tcUrl")
		return append(fx, ReconnectRequested{TCURL: tcURL, Description: description})
	}
	if s.phase == phaseConnecting && streamID == 0 && level == "error" &&
		strings.HasPrefix(code, "NetConnection.Connect.") {
		return s.connectFailed(fx, info)
	}
	if i := s.find(streamID); i >= 0 && streamID != 0 {
		st := s.streams[i]
		switch {
		case st.state == streamPublishPending && code == "NetStream.Publish.Start":
			st.state = streamPublishing
			s.setStream(st)
			return append(fx, PublishStarted{StreamID: st.id, Name: st.name})
		case st.state == streamPlayPending && code == "NetStream.Play.Start":
			st.state = streamPlaying
			s.setStream(st)
			return append(fx, PlayStarted{StreamID: st.id, Name: st.name})
		case (st.state == streamPublishPending || st.state == streamPlayPending) && isFailure(level, code):
			return s.refused(fx, st, info)
		case st.state == streamPlaying && (code == "NetStream.Play.Stop" || isFailure(level, code)):
			st.state = streamIdle
			s.setStream(st)
			return append(fx, PlayFinished{StreamID: st.id, Name: st.name, Code: code})
		}
	}
	return append(fx, StatusReceived{StreamID: streamID, Level: level, Code: code, Description: description, Info: info})
}

// isFailure reports whether a status refuses a publish or play. Level
// "error" is the rule; some servers send BadName and StreamNotFound as
// "status", so those codes count whatever the level.
func isFailure(level, code string) bool {
	switch code {
	case "NetStream.Publish.BadName", "NetStream.Publish.Denied", "NetStream.Play.StreamNotFound", "NetStream.Play.Failed":
		return true
	}
	return level == "error"
}

// refused fails a pending publish or play; the stream is idle again.
func (s *Session) refused(fx []Effect, st stream, info amf0.Object) []Effect {
	pending := st.state
	st.state, st.tx = streamIdle, 0
	s.setStream(st)
	if pending == streamPublishPending {
		code, description := codeOf(info, "NetStream.Publish.Failed")
		return append(fx, PublishFailed{StreamID: st.id, Name: st.name, Code: code, Description: description})
	}
	code, description := codeOf(info, "NetStream.Play.Failed")
	return append(fx, PlayFailed{StreamID: st.id, Name: st.name, Code: code, Description: description})
}

// codeOf reads code and description from an info object, with a code
// for servers that send none.
func codeOf(info amf0.Object, fallback string) (code, description string) {
	code, _ = info.String("code")
	description, _ = info.String("description")
	if code == "" {
		code = fallback
	}
	return code, description
}

func removeCreation(cs []creation, i int) []creation {
	out := make([]creation, 0, len(cs)-1)
	out = append(out, cs[:i]...)
	return append(out, cs[i+1:]...)
}
