package core

import "github.com/gortmp/rtmp/codec/message"

// command routes a command by name and connection phase.
func (s *state) command(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	if cmd.Name == "connect" {
		return s.connect(fx, streamID, cmd)
	}
	if s.phase != phaseConnected {
		return s.beforeConnect(fx, streamID, cmd)
	}
	return s.connectedCommand(fx, streamID, cmd)
}

// connectedCommand runs a command once connected; this switch is the whole
// command surface of the server session and the only list of the commands
// it knows. (Direct calls, not a table of functions: an indirect call
// would move every Session to the heap.)
func (s *state) connectedCommand(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	switch cmd.Name {
	case "createStream":
		return s.createStream(fx, streamID, cmd)
	case "publish":
		return s.publish(fx, streamID, cmd)
	case "play":
		return s.play(fx, streamID, cmd)
	case "play2":
		return s.play2(fx, streamID, cmd)
	case "deleteStream":
		return s.deleteStream(fx, streamID, cmd)
	case "closeStream":
		return s.closeStream(fx, streamID, cmd)
	case "receiveAudio":
		return s.receiveAudio(fx, streamID, cmd)
	case "receiveVideo":
		return s.receiveVideo(fx, streamID, cmd)
	case "pause":
		return s.pause(fx, streamID, cmd)
	case "seek":
		return s.seek(fx, streamID, cmd)
	case "releaseStream":
		return s.releaseStream(fx, streamID, cmd)
	case "FCPublish":
		return s.fcPublish(fx, streamID, cmd)
	case "FCUnpublish":
		return s.fcUnpublish(fx, streamID, cmd)
	case "FCSubscribe":
		return s.fcSubscribe(fx, streamID, cmd)
	case "FCUnsubscribe":
		return s.fcUnsubscribe(fx, streamID, cmd)
	case "getStreamLength":
		return s.getStreamLength(fx, streamID, cmd)
	case "_checkbw":
		return s.checkBandwidth(fx, streamID, cmd)
	}
	return s.unhandled(fx, streamID, cmd, "unknown command")
}

// refuse turns down a known command that cannot run now. Publish and play
// are answered with an onStatus error, which is what their callers wait
// for; other calls with _error when they expect an answer.
func (s *state) refuse(fx []Effect, streamID uint32, cmd message.Command, reason string) []Effect {
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
