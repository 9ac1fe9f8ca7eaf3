package relay

import "errors"

// The errors the relay returns or carries in Disconnect.
var (
	// ErrPublisherExists refuses a second publisher on a path; a driver
	// answers NetStream.Publish.BadName.
	ErrPublisherExists = errors.New("relay: the path already has a publisher")
	// ErrTakenOver disconnects a publisher that a new one replaced (see
	// Stream.TakeOver).
	ErrTakenOver = errors.New("relay: taken over by a new publisher")
	// ErrClientExists refuses an id already playing or publishing on the
	// stream.
	ErrClientExists = errors.New("relay: client already on this stream")
	// ErrBehind disconnects a player that skipped video for too long.
	ErrBehind = errors.New("relay: player stayed behind too long")
	// ErrQueueFull disconnects a player whose queue passed the hard bound.
	ErrQueueFull = errors.New("relay: player queue passed its hard bound")
)
