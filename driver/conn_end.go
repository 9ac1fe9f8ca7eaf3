package driver

import "errors"

// The reasons a connection ends that no error value carried before: a
// handler reads them from Conn.EndReason to say why a publisher or player
// ended.
var (
	// ErrPeerClosed: the peer closed the connection (a clean end of
	// stream on the socket).
	ErrPeerClosed = errors.New("driver: connection closed by the peer")
	// ErrClosedByServer: the application closed the connection
	// (Conn.Close) without a reason of its own (Conn.CloseFor).
	ErrClosedByServer = errors.New("driver: connection closed by the server")
	// ErrServerShutdown: Serve's context was cancelled.
	ErrServerShutdown = errors.New("driver: server shutting down")
)

// CloseFor is Close with the reason the application closes the
// connection, which EndReason then reports.
func (c *Conn) CloseFor(reason error) {
	c.noteEnd(reason)
	c.Close()
}

// EndReason is why the connection is ending, once that is known, and nil
// before. The session finishes a connection's streams before it ends
// (PublishingFinished, PlayStreamFinished), so a handler that sees a
// stream finish while EndReason is nil knows the client ended that stream
// itself (deleteStream, closeStream, FCUnpublish) and the connection goes
// on. The first reason known stays: the timeout, protocol error, write
// failure or CloseFor that started the end, not what it led to.
func (c *Conn) EndReason() error {
	if p := c.endReason.Load(); p != nil {
		return *p
	}
	return nil
}

// noteEnd records why the connection ends, unless a reason is known
// already.
func (c *Conn) noteEnd(err error) {
	if err != nil {
		c.endReason.CompareAndSwap(nil, &err)
	}
}
