package handover

import (
	"errors"
	"fmt"
)

// ErrHoldFull is what a *HoldFullError matches with errors.Is.
var ErrHoldFull = errors.New("handover: hold for the new server is full")

// HoldFullError is a write refused while the connection had no server to
// write to and its publication already held Limit bytes for the new one.
// The write was not sent and will not be; the connection goes on, and the
// publication's stream on the new server misses it (and, for video, what
// refers to it until the next keyframe).
type HoldFullError struct {
	Held, Limit int
}

func (e *HoldFullError) Error() string {
	return fmt.Sprintf("handover: write refused, %d of %d bytes already held for the new server", e.Held, e.Limit)
}

func (e *HoldFullError) Is(target error) bool { return target == ErrHoldFull }

// UnsentError ends a connection that held writes for a server it never
// reached: Writes of them returned nil and went nowhere. Err is why the
// connection ended.
type UnsentError struct {
	Writes int
	Err    error
}

func (e *UnsentError) Error() string {
	return fmt.Sprintf("%v (%d writes held for the new server were never sent)", e.Err, e.Writes)
}

func (e *UnsentError) Unwrap() error { return e.Err }

// NoServerError is a write refused because the only server's socket
// failed and the connection does not follow reconnect requests: nothing
// will carry it.
type NoServerError struct {
	Err error
}

func (e *NoServerError) Error() string {
	return fmt.Sprintf("handover: write not sent, the server cannot be written to: %v", e.Err)
}

func (e *NoServerError) Unwrap() error { return e.Err }
