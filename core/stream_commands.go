package core

import (
	"math"
	"strings"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

// createStream makes a new message stream and answers its id at once.
func (s *state) createStream(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	if len(s.streams) >= s.cfg.MaxStreams || s.nextStreamID == 0 {
		return s.unhandled(fx, streamID, cmd, "stream limit reached")
	}
	id := s.nextStreamID
	s.nextStreamID++
	s.addStream(stream{id: id})
	return s.result(fx, streamID, cmd.TransactionID, float64(id))
}

// idleStream finds a created stream that can take a publish or play.
func (s *state) idleStream(streamID uint32) (int, string) {
	i, ok := s.findStream(streamID)
	switch {
	case !ok:
		return 0, "unknown stream"
	case s.streams[i].state != streamCreated:
		return 0, "stream is busy"
	case s.requestsFull():
		return 0, "too many pending requests"
	}
	return i, ""
}

// publish queues a publish request: [name, type?], type live (the
// default), record or append.
func (s *state) publish(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	i, problem := s.idleStream(streamID)
	if problem != "" {
		return s.refuse(fx, streamID, cmd, problem)
	}
	name, ok := stringArg(cmd.Args, 0)
	if !ok || name == "" {
		return s.refuse(fx, streamID, cmd, "no stream name")
	}
	typ := PublishLive
	if t, ok := stringArg(cmd.Args, 1); ok {
		switch t {
		case "live":
		case "record":
			typ = PublishRecord
		case "append":
			typ = PublishAppend
		default:
			return s.refuse(fx, streamID, cmd, "unknown publish type "+t)
		}
	}
	key, query := splitQuery(name)
	key = strings.Clone(key) // kept by the stream, see connect
	id := s.queueRequest(requestPublish, streamID)
	s.putStream(i, stream{id: streamID, state: streamPublishRequested, key: key, publishType: typ, request: id})
	return append(fx, PublishStreamRequested{
		Request: id, App: s.conn.app, StreamKey: key, Query: query, Type: typ, StreamID: streamID,
	})
}

// play queues a play request: [name, start?, duration?, reset?].
func (s *state) play(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	name, named := stringArg(cmd.Args, 0)
	return s.requestPlay(fx, streamID, cmd, named, PlayStreamRequested{
		StreamKey: name,
		Start:     numberArg(cmd.Args, 1, -2),
		Duration:  numberArg(cmd.Args, 2, -1),
		Reset:     boolArg(cmd.Args, 3, true),
	})
}

// play2 queues a play request from NetStreamPlayOptions. Transitions
// between playing streams are not offered: play2 starts a created stream.
func (s *state) play2(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	var opts amf0.Object
	if len(cmd.Args) > 0 {
		props, _ := amf0.Properties(cmd.Args[0])
		opts = props
	}
	name, named := opts.String("streamName")
	start, ok := opts.Number("start")
	if !ok {
		start = -2
	}
	duration, ok := opts.Number("len")
	if !ok {
		duration = -1
	}
	transition, _ := opts.String("transition")
	return s.requestPlay(fx, streamID, cmd, named, PlayStreamRequested{
		StreamKey: name, Start: start, Duration: duration, Reset: true,
		Play2: true, Transition: transition,
	})
}

// requestPlay checks the stream and queues the request ev describes;
// named says whether the player sent a stream name at all.
func (s *state) requestPlay(fx []Effect, streamID uint32, cmd message.Command, named bool, ev PlayStreamRequested) []Effect {
	i, problem := s.idleStream(streamID)
	if problem != "" {
		return s.refuse(fx, streamID, cmd, problem)
	}
	if !named {
		return s.refuse(fx, streamID, cmd, "no stream name")
	}
	// Start is a float on the wire, so -1 must match as a float. Players
	// send it as -1 (the value of the ActionScript API) or in milliseconds,
	// -1000 (librtmp and FFmpeg for live, FFmpeg -2000 for any).
	switch {
	case ev.Start == -1 || ev.Start == -1000:
		ev.Type = PlayLive
	case ev.Start >= 0:
		ev.Type = PlayRecorded
	default:
		ev.Type = PlayAny
	}
	ev.StreamKey, ev.Query = splitQuery(ev.StreamKey)
	ev.StreamKey = strings.Clone(ev.StreamKey) // kept by the stream, see connect
	ev.App, ev.StreamID = s.conn.app, streamID
	ev.Request = s.queueRequest(requestPlay, streamID)
	s.putStream(i, stream{id: streamID, state: streamPlayRequested, key: ev.StreamKey, reset: ev.Reset, request: ev.Request})
	return append(fx, ev)
}

// deleteStream removes the stream named by its float argument, finishing
// what runs on it.
func (s *state) deleteStream(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	id, ok := streamIDArg(cmd.Args, 0)
	var i int
	if ok {
		i, ok = s.findStream(id)
	}
	if !ok {
		return s.unhandled(fx, streamID, cmd, "unknown stream")
	}
	fx = s.resetStream(fx, i)
	s.removeStream(i)
	return append(fx, StreamDeleted{id})
}

// streamIDArg reads a stream id sent, as every number, as a float.
func streamIDArg(args []amf0.Value, i int) (uint32, bool) {
	f := numberArg(args, i, math.NaN())
	if !(f >= 1 && f <= math.MaxUint32) || f != math.Trunc(f) {
		return 0, false
	}
	return uint32(f), true
}

// closeStream stops what runs on the stream and keeps it for reuse.
func (s *state) closeStream(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	i, ok := s.findStream(streamID)
	if !ok {
		return s.unhandled(fx, streamID, cmd, "unknown stream")
	}
	return s.resetStream(fx, i)
}

// receiveAudio and receiveVideo tell the application what a player wants.
func (s *state) receiveAudio(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	if _, ok := s.findStream(streamID); !ok {
		return s.unhandled(fx, streamID, cmd, "unknown stream")
	}
	return append(fx, ReceiveAudioChanged{StreamID: streamID, Enabled: boolArg(cmd.Args, 0, true)})
}

func (s *state) receiveVideo(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	if _, ok := s.findStream(streamID); !ok {
		return s.unhandled(fx, streamID, cmd, "unknown stream")
	}
	return append(fx, ReceiveVideoChanged{StreamID: streamID, Enabled: boolArg(cmd.Args, 0, true)})
}

// playing finds a playing stream for pause and seek.
func (s *state) playing(streamID uint32) (stream, bool) {
	i, ok := s.findStream(streamID)
	if !ok || s.streams[i].state != streamPlaying {
		return stream{}, false
	}
	return s.streams[i], true
}

// pause: [paused, position ms].
func (s *state) pause(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	st, ok := s.playing(streamID)
	if !ok {
		return s.unhandled(fx, streamID, cmd, "stream is not playing")
	}
	paused := boolArg(cmd.Args, 0, true)
	fx = append(fx, PauseRequested{
		App: s.conn.app, StreamKey: st.key, StreamID: st.id, Paused: paused, Position: numberArg(cmd.Args, 1, 0),
	})
	if paused {
		return s.onStatus(fx, st.id, "status", "NetStream.Pause.Notify", "Paused "+st.key)
	}
	return s.onStatus(fx, st.id, "status", "NetStream.Unpause.Notify", "Unpaused "+st.key)
}

// seek: [position ms]. A live stream cannot seek, and says so.
func (s *state) seek(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	st, ok := s.playing(streamID)
	if !ok {
		return s.unhandled(fx, streamID, cmd, "stream is not playing")
	}
	fx = append(fx, SeekRequested{
		App: s.conn.app, StreamKey: st.key, StreamID: st.id, Position: numberArg(cmd.Args, 0, 0),
	})
	return s.onStatus(fx, st.id, "error", "NetStream.Seek.Failed", st.key+" is live and cannot seek")
}
