package core

import (
	"fmt"
	"time"
)

// The error types are plain values with exported fields, so go-cmp and
// errors.As both work on them.

// ProtocolError is a violation by the peer; the session closes.
type ProtocolError struct{ Violation string }

func (e ProtocolError) Error() string { return "rtmp: protocol violation: " + e.Violation }

// PingTimeoutError says the peer sent nothing, neither a Ping Response nor
// anything else, for Timeout after a ping request.
type PingTimeoutError struct{ Timeout time.Duration }

func (e PingTimeoutError) Error() string {
	return fmt.Sprintf("rtmp: nothing received within %dms of a ping request", e.Timeout/millisecond)
}

// PublishIdleError says a connection with a stream publishing received no
// audio or video message for Timeout (Config.PublishIdleTimeout).
type PublishIdleError struct{ Timeout time.Duration }

func (e PublishIdleError) Error() string {
	return fmt.Sprintf("rtmp: publisher sent no audio or video for %dms", e.Timeout/millisecond)
}

// ConnectRejectedError says the application refused the connect request.
type ConnectRejectedError struct{ Description string }

func (e ConnectRejectedError) Error() string {
	return "rtmp: connect rejected: " + e.Description
}

// UnknownRequestError says a request id is unknown or already answered.
type UnknownRequestError struct{ ID RequestID }

func (e UnknownRequestError) Error() string {
	return fmt.Sprintf("rtmp: request %d is unknown or already answered", e.ID)
}

// UsageError is any other misuse of the session by its caller.
type UsageError struct{ Problem string }

func (e UsageError) Error() string { return "rtmp: misuse: " + e.Problem }

// CapabilityError says an Enhanced RTMP feature was asked for that the
// negotiation did not grant: Side ("client" or "server") did not declare
// the capsEx bit.
type CapabilityError struct {
	Side   string
	CapsEx CapsEx
}

func (e CapabilityError) Error() string {
	return "rtmp: the " + e.Side + " did not declare capsEx " + capsExString(e.CapsEx)
}
