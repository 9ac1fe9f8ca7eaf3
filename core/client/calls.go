package client

import (
	"slices"

	"github.com/gortmp/rtmp/codec/message"
)

// The calls a session makes around publish that are not requests of the
// application: releaseStream and FCPublish (with Config.FMLECalls) and
// the FCUnpublish of DeleteStream. Servers answer them with _result or
// _error; the session matches each answer to its call once and reports it
// as CallAnswered, so that an application (or a simulation) can tell an
// answer from a duplicate or a stray one, which stays CommandUnhandled.

// call is a call waiting for its answer.
type call struct {
	tx   float64
	name string
}

// maxPendingCalls bounds the calls remembered: a server that never answers
// them must not make the session grow. The oldest is forgotten first; its
// late answer is then CommandUnhandled.
const maxPendingCalls = 8

// courtesyCall sends a call on stream 0 with the next transaction id and
// remembers it until answered.
func (s *Session) courtesyCall(fx []Effect, name string, args ...any) []Effect {
	tx := s.transaction()
	calls := slices.Clip(s.calls)
	if len(calls) == maxPendingCalls {
		calls = calls[1:]
	}
	s.calls = append(calls, call{tx: tx, name: name})
	return command(fx, 0, name, tx, args...)
}

// callAnswered matches a _result or _error to a pending call, reporting
// whether it did.
func (s *Session) callAnswered(fx []Effect, cmd message.Command) ([]Effect, bool) {
	i := slices.IndexFunc(s.calls, func(c call) bool { return c.tx == cmd.TransactionID })
	if i < 0 || cmd.TransactionID == 0 {
		return fx, false
	}
	c := s.calls[i]
	s.calls = slices.Delete(slices.Clone(s.calls), i, i+1)
	return append(fx, CallAnswered{Name: c.name, Failed: cmd.Name == "_error", Command: cmd}), true
}
