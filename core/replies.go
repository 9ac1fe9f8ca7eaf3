package core

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

// statusInfo is the info object of onStatus, _result and _error.
func statusInfo(level, code, desc string) amf0.Object {
	return amf0.Object{
		{Key: "level", Value: level},
		{Key: "code", Value: code},
		{Key: "description", Value: desc},
	}
}

// onStatus sends a NetStream status on a stream.
func (s *state) onStatus(fx []Effect, streamID uint32, level, code, desc string) []Effect {
	return s.send(fx, streamID, message.Command{
		Name: "onStatus",
		Args: []amf0.Value{statusInfo(level, code, desc)},
	})
}

// result answers a call with _result, unless the caller asked for no
// answer (transaction id 0).
func (s *state) result(fx []Effect, streamID uint32, txid float64, args ...amf0.Value) []Effect {
	if txid == 0 {
		return fx
	}
	return s.send(fx, streamID, message.Command{Name: "_result", TransactionID: txid, Args: args})
}

// unhandled raises CommandUnhandled and answers _error when the call
// expects an answer.
func (s *state) unhandled(fx []Effect, streamID uint32, cmd message.Command, reason string) []Effect {
	fx = append(fx, CommandUnhandled{MessageStreamID: streamID, Command: cmd, Reason: reason})
	if cmd.TransactionID == 0 {
		return fx
	}
	return s.send(fx, streamID, message.Command{
		Name:          "_error",
		TransactionID: cmd.TransactionID,
		Args:          []amf0.Value{statusInfo("error", "NetConnection.Call.Failed", cmd.Name+": "+reason)},
	})
}

// stringArg returns argument i if it is a string.
func stringArg(args []amf0.Value, i int) (string, bool) {
	if i >= len(args) {
		return "", false
	}
	v, ok := args[i].(string)
	return v, ok
}

// numberArg returns argument i if it is a number, else def. Clients send
// every number as an AMF0 float, so nothing here compares integers.
func numberArg(args []amf0.Value, i int, def float64) float64 {
	if i < len(args) {
		if v, ok := args[i].(float64); ok {
			return v
		}
	}
	return def
}

// boolArg returns argument i as a flag; old clients send flags as numbers.
func boolArg(args []amf0.Value, i int, def bool) bool {
	if i < len(args) {
		switch v := args[i].(type) {
		case bool:
			return v
		case float64:
			return v != 0
		}
	}
	return def
}

// splitQuery splits "name?query" at the first '?'.
func splitQuery(s string) (name, query string) {
	for i := 0; i < len(s); i++ {
		if s[i] == '?' {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}
