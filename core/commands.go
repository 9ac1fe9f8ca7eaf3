package core

import "github.com/gortmp/rtmp/codec/message"

// commandHandler handles one command name. The table below is the whole
// command surface of the server session.
type commandHandler func(s *Session, fx []Effect, streamID uint32, cmd message.Command) []Effect

// commands lists the commands taken once connected; connect is the only
// one taken before.
var commands = map[string]commandHandler{
	"createStream":    (*Session).createStream,
	"publish":         (*Session).publish,
	"play":            (*Session).play,
	"play2":           (*Session).play2,
	"deleteStream":    (*Session).deleteStream,
	"closeStream":     (*Session).closeStream,
	"receiveAudio":    (*Session).receiveAudio,
	"receiveVideo":    (*Session).receiveVideo,
	"pause":           (*Session).pause,
	"seek":            (*Session).seek,
	"releaseStream":   (*Session).releaseStream,
	"FCPublish":       (*Session).fcPublish,
	"FCUnpublish":     (*Session).fcUnpublish,
	"FCSubscribe":     (*Session).fcSubscribe,
	"FCUnsubscribe":   (*Session).fcUnsubscribe,
	"getStreamLength": (*Session).getStreamLength,
	"_checkbw":        (*Session).checkBandwidth,
}

// command routes a command by name and connection phase.
func (s *Session) command(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	if cmd.Name == "connect" {
		return s.connect(fx, streamID, cmd)
	}
	h, known := commands[cmd.Name]
	switch {
	case !known:
		return s.unhandled(fx, streamID, cmd, "unknown command")
	case s.phase != phaseConnected:
		return s.refuse(fx, streamID, cmd, "not connected")
	}
	return h(s, fx, streamID, cmd)
}

// refuse turns down a known command that cannot run now. Publish and play
// are answered with an onStatus error, which is what their callers wait
// for; other calls with _error when they expect an answer.
func (s *Session) refuse(fx []Effect, streamID uint32, cmd message.Command, reason string) []Effect {
	var code string
	switch cmd.Name {
	case "publish":
		code = "NetStream.Publish.BadName"
	case "play", "play2":
		code = "NetStream.Play.Failed"
	default:
		return s.unhandled(fx, streamID, cmd, reason)
	}
	fx = append(fx, CommandUnhandled{MessageStreamID: streamID, Command: cmd, Reason: reason})
	return s.onStatus(fx, streamID, "error", code, cmd.Name+": "+reason)
}
