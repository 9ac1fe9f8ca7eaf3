package core

import (
	"slices"

	"github.com/gortmp/rtmp/codec/message"
)

// Clients do not always wait for the connect's _result before their next
// call: FFmpeg answers onBWDone, which the server sends at stream-zero
// begin, with _checkbw, and that often arrives while the application is
// still deciding on the connect. Refusing such a call with "not connected"
// made FFmpeg print a server error for a connection that then worked.
// Instead a command that arrives while the connect waits is held and runs
// right after the Accept, in order, exactly as if it had arrived then; a
// rejected connect drops it with the session.

// heldCommand is a command that arrived while the connect was pending.
type heldCommand struct {
	streamID uint32
	cmd      message.Command
}

// ReasonBeforeConnect is the CommandUnhandled reason of a command that
// came before any connect: it is ignored and nothing is sent, as
// nginx-rtmp does, since there is no connection to answer it on.
const ReasonBeforeConnect = "before connect"

// ReasonTooManyHeld is the CommandUnhandled reason of a command refused
// because Config.MaxPendingRequests commands already wait for the connect
// to be accepted.
const ReasonTooManyHeld = "too many commands before the connect was accepted"

// beforeConnect handles a command other than connect that arrives before
// the connect is accepted.
func (s *state) beforeConnect(fx []Effect, streamID uint32, cmd message.Command) []Effect {
	if s.phase == phaseAwaitingConnect {
		return append(fx, CommandUnhandled{MessageStreamID: streamID, Command: cmd, Reason: ReasonBeforeConnect})
	}
	if len(s.held) >= s.cfg.MaxPendingRequests {
		// Refused rather than dropped: a caller waiting for the answer
		// hears why instead of hanging. Real clients send one or two
		// calls early; only a broken or hostile one reaches the bound,
		// which also bounds what the session holds for it.
		return s.refuse(fx, streamID, cmd, ReasonTooManyHeld)
	}
	s.held = append(slices.Clip(s.held), heldCommand{streamID: streamID, cmd: cmd})
	return fx
}

// runHeld runs the held commands, in arrival order, once the connect is
// accepted.
func (s *state) runHeld(fx []Effect) []Effect {
	held := s.held
	s.held = nil
	for _, h := range held {
		if s.phase != phaseConnected {
			break
		}
		fx = s.command(fx, h.streamID, h.cmd)
	}
	return fx
}
