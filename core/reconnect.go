package core

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

// requestReconnect sends the Enhanced RTMP v2 reconnect request. Both sides
// must have declared capsEx Reconnect: a client that did not would take the
// unknown status for an error, and a server configured without it promised
// never to ask.
func (s *state) requestReconnect(fx []Effect, in RequestReconnect) []Effect {
	if s.phase != phaseConnected {
		return append(fx, CallerError{UsageError{"reconnect request before the connection was accepted"}})
	}
	if !s.conn.client.Reconnect() {
		return append(fx, CallerError{CapabilityError{Side: "client", CapsEx: CapsExReconnect}})
	}
	if !s.conn.server.Reconnect() {
		return append(fx, CallerError{CapabilityError{Side: "server", CapsEx: CapsExReconnect}})
	}
	info := amf0.Object{
		{Key: "level", Value: "status"},
		{Key: "code", Value: "NetConnection.Connect.ReconnectRequest"},
	}
	if in.Description != "" {
		info = append(info, amf0.Property{Key: "description", Value: in.Description})
	}
	if in.TCURL != "" {
		info = append(info, amf0.Property{Key: "tcUrl", Value: in.TCURL})
	}
	return s.send(fx, 0, message.Command{Name: "onStatus", Args: []amf0.Value{info}})
}
