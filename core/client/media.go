package client

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
)

// sendMessage sends audio, video or data on a publishing stream.
func (s *Session) sendMessage(fx []Effect, in SendMessage) []Effect {
	i := s.find(in.StreamID)
	if i < 0 || s.streams[i].state != streamPublishing {
		return misuse(fx, "send on a stream that is not publishing")
	}
	switch in.Body.(type) {
	case message.Audio, message.Video, message.Data:
	default:
		return misuse(fx, "only audio, video and data go on a publishing stream")
	}
	return send(fx, in.StreamID, in.Timestamp, in.Body)
}

func (s *Session) sendMetaData(fx []Effect, in SendMetaData) []Effect {
	return s.sendMessage(fx, SendMessage{StreamID: in.StreamID, Body: message.Data{
		Values: []amf0.Value{"@setDataFrame", "onMetaData", in.MetaData},
	}})
}

// playing reports whether media on stream id goes to the application:
// the play was sent (servers send the first media right after their
// Play.Start, some before it) and not stopped.
func (s *Session) playing(id uint32) bool {
	i := s.find(id)
	return i >= 0 && (s.streams[i].state == streamPlaying || s.streams[i].state == streamPlayPending)
}

// media handles audio, video, data and aggregates from the server.
func (s *Session) media(fx []Effect, m message.Message) ([]Effect, bool) {
	switch b := m.Body.(type) {
	case message.Audio:
		return s.mediaReceived(fx, m, KindAudio, b.Payload), true
	case message.Video:
		return s.mediaReceived(fx, m, KindVideo, b.Payload), true
	case message.Data:
		if !s.playing(m.StreamID) {
			return append(fx, MessageIgnored{m.StreamID, b.Type(), "data for a stream that is not playing"}), true
		}
		return append(fx, dataReceived(m.StreamID, m.Timestamp, b.Values)), true
	case message.Aggregate:
		return s.aggregate(fx, m, b), true
	}
	return fx, false
}

func (s *Session) mediaReceived(fx []Effect, m message.Message, kind MediaKind, data []byte) []Effect {
	if !s.playing(m.StreamID) {
		return append(fx, MessageIgnored{m.StreamID, m.Body.Type(), "media for a stream that is not playing"})
	}
	return append(fx, MediaReceived{StreamID: m.StreamID, Kind: kind, Timestamp: m.Timestamp, Data: data})
}

// dataReceived recognises onMetaData both bare (what servers send to
// players) and wrapped in @setDataFrame (what some relay it as). The seed
// client looked for one spelling that servers never send, so its metadata
// event never fired.
func dataReceived(streamID, ts uint32, values []amf0.Value) Effect {
	vs := values
	if len(vs) > 0 && vs[0] == "@setDataFrame" {
		vs = vs[1:]
	}
	if len(vs) >= 2 && vs[0] == "onMetaData" {
		if props, ok := amf0.Properties(vs[1]); ok {
			return MetaDataReceived{StreamID: streamID, Timestamp: ts, MetaData: amf0.ECMAArray(props)}
		}
	}
	return DataReceived{StreamID: streamID, Timestamp: ts, Values: values}
}

// aggregate splits an aggregate message and handles each part as if it
// had come alone; a malformed aggregate, and one that holds another
// aggregate (message.ErrNestedAggregate), is ignored whole. No part is an
// aggregate, so this never recurses.
func (s *Session) aggregate(fx []Effect, m message.Message, b message.Aggregate) []Effect {
	parts, err := message.AggregateParts(chunk.Message{
		Timestamp: m.Timestamp, TypeID: uint8(message.TypeAggregate), StreamID: m.StreamID, Payload: b.Payload,
	})
	if err != nil {
		return append(fx, MessageIgnored{m.StreamID, b.Type(), "malformed aggregate: " + err.Error()})
	}
	for raw := range parts {
		sub, err := message.Decode(raw)
		if err != nil {
			fx = append(fx, MessageIgnored{m.StreamID, message.TypeID(raw.TypeID), "malformed aggregate part: " + err.Error()})
			continue
		}
		switch sub.Body.(type) {
		case message.Audio, message.Video, message.Data:
			fx, _ = s.media(fx, sub)
		default:
			fx = append(fx, MessageIgnored{m.StreamID, sub.Body.Type(), "aggregate part that is not media"})
		}
	}
	return fx
}
