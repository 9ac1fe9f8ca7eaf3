package driver

import "github.com/gortmp/rtmp/core"

// Handler is the application side of a server. Both methods run on the
// connection's own goroutine, one call at a time per connection, so a
// handler needs no locking for per-connection state; calls for different
// connections run concurrently.
//
// A handler answers requests with the Conn's methods (Accept, Reject,
// Send, Ping, Close), from this goroutine or any other: they are queued
// and applied by the connection's loop after the current call returns.
// A handler must not block for long: the connection reads nothing while it
// runs, and writes nothing either when the step that raised the event
// also answered the peer: the peer gets that answer only once the handler
// has returned for each of the step's events. So a player that has read
// NetStream.Play.Start is already wherever the handler put it on
// PlayStreamStarted, as in a server that does both in one go.
type Handler interface {
	// HandleEvent receives every event the session raises (the event
	// types of package core, and core.CallerError), in order.
	HandleEvent(c *Conn, ev core.Event)
	// HandleClose is called once when the connection is gone, after its
	// last event. err says why: nil for a clean close by either side.
	HandleClose(c *Conn, err error)
}
