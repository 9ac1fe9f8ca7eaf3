package handover

import (
	"errors"

	"github.com/gortmp/rtmp/core/client"
)

// Phase is where a connection is in its reconnect lifecycle (see the
// package documentation).
type Phase uint8

const (
	Steady Phase = iota
	Moving
	Ready
	Doubt
	Gap
	Ended
)

func (p Phase) String() string {
	switch p {
	case Steady:
		return "steady"
	case Moving:
		return "moving"
	case Ready:
		return "ready"
	case Doubt:
		return "doubt"
	case Gap:
		return "gap"
	case Ended:
		return "ended"
	}
	return "phase?"
}

// Route is where a write goes.
type Route uint8

const (
	// Send: to the current server, now.
	Send Route = iota
	// Hold: nowhere yet; the new server gets it at the switch.
	Hold
	// Refuse: nowhere; the write returns the error.
	Refuse
)

// ErrEnded is a write refused because the connection has ended.
var ErrEnded = errors.New("handover: connection ended")

// Lifecycle is the reconnect lifecycle of one client connection. The
// driver calls it under the lock that orders the connection's writes.
type Lifecycle struct {
	phase   Phase
	follows bool
	// cause is why the old server takes no writes (Doubt, Gap).
	cause error
	// held counts the writes held across the connection's publications.
	held int
}

// New returns the lifecycle of a connection that follows reconnect
// requests or not.
func New(follows bool) *Lifecycle { return &Lifecycle{follows: follows} }

// Phase is the current phase.
func (l *Lifecycle) Phase() Phase { return l.phase }

// Held is how many writes the connection holds for the new server.
func (l *Lifecycle) Held() int { return l.held }

// Settled reports whether a stream start may go out now: in Steady. In
// Ended it fails; in every other phase it waits for the switch.
func (l *Lifecycle) Settled() bool { return l.phase == Steady }

// Follow reports whether a reconnect request just read is followed: when
// the connection follows requests and none is followed yet.
func (l *Lifecycle) Follow() bool {
	if !l.follows {
		return false
	}
	switch l.phase {
	case Steady:
		l.phase = Moving
		return true
	case Doubt:
		l.phase = Gap
		return true
	}
	return false
}

// OldLost says the current server takes no more writes (a write failed,
// or its socket ended while a request is followed), for err. It reports
// whether the connection switches to the new server now: the new server
// is ready, and there is no point in waiting for a start point.
func (l *Lifecycle) OldLost(err error) (switchNow bool) {
	switch l.phase {
	case Steady:
		l.phase, l.cause = Doubt, err
	case Moving:
		l.phase, l.cause = Gap, err
	case Ready:
		return true
	}
	return false
}

// NewReady says the new server carries every stream. It reports whether
// the connection switches now: no publication waits for a start point
// (hasPublications false), or the old server is gone. Otherwise the
// switch waits in Ready for SwitchBefore or BoundaryWaitOver.
func (l *Lifecycle) NewReady(hasPublications bool) (switchNow bool) {
	switch l.phase {
	case Moving:
		if !hasPublications {
			return true
		}
		l.phase = Ready
	case Gap:
		return true
	}
	return false
}

// BoundaryWaitOver reports whether the connection switches now because
// no start point came in time.
func (l *Lifecycle) BoundaryWaitOver() bool { return l.phase == Ready }

// SwitchBefore reports whether the connection switches right before s
// writes in: a start point while the new server is ready, so that its
// stream begins there.
func (l *Lifecycle) SwitchBefore(s *Stream, in client.Input) bool {
	return l.phase == Ready && s.StartsOver(in)
}

// Switched says the connection moved to the new server, which got every
// held write (Stream.Take).
func (l *Lifecycle) Switched() {
	if l.phase == Ended {
		return
	}
	l.phase, l.cause, l.held = Steady, nil, 0
}

// End says the connection ended for err, and returns the error it ends
// with: err, or an *UnsentError around it when writes were held for a
// server the connection never reached.
func (l *Lifecycle) End(err error) error {
	if l.phase == Ended {
		return err
	}
	l.phase, l.cause = Ended, nil
	if l.held > 0 {
		err = &UnsentError{Writes: l.held, Err: err}
		l.held = 0
	}
	return err
}

// Write routes one write of s (a client.SendMessage or SendMetaData) and
// keeps what a new server will need of it. With Send the caller steps it
// on the current server's session; with Hold the write returns nil and
// reaches the new server at the switch; with Refuse it returns the error.
func (l *Lifecycle) Write(s *Stream, in client.Input) (Route, error) {
	switch l.phase {
	case Ended:
		return Refuse, ErrEnded
	case Doubt, Gap:
		if !l.follows {
			return Refuse, &NoServerError{Err: l.cause}
		}
		if err := s.hold(in); err != nil {
			return Refuse, err
		}
		s.note(in)
		l.held++
		return Hold, nil
	}
	if l.follows {
		s.keepSent(in)
	}
	s.note(in)
	return Send, nil
}
