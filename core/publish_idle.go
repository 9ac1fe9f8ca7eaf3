package core

import "time"

// A publisher that stops sending audio and video (a frozen encoder, a
// network that dropped the connection without a reset) would hold its
// stream key until TCP gives up, minutes later, while every new attempt to
// publish the key is refused. The session ends such a connection after
// Config.PublishIdleTimeout without media.
//
// Messages carry no time: the session knows only the last Tick. So it
// does not stamp every media message, which would cost the media path a
// new snapshot each time; it raises a flag at the first media message
// after each check, and checks the flag at deadlines a quarter of the
// timeout apart. The silence is counted from the last check that found
// media, which is at most a quarter of the timeout after the media itself:
// a publisher is closed between T and 1.25 T after its last audio or
// video message (T the timeout, given Ticks at the WakeAt deadlines), and
// never before T of session time passed without media.

// idleState is the publisher idle timer. It runs while any stream of the
// connection is publishing.
type idleState struct {
	// mediaSeen is set by audio or video on a publishing stream and
	// cleared at every check.
	mediaSeen bool
	// since is the session time from which no media is known to have
	// arrived: the start of publishing, or the last check that found media.
	since time.Duration
	// checkAt is the next check.
	checkAt time.Duration
}

// idleTimeout is the configured timeout, or 0 when it is off.
func (s *state) idleTimeout() time.Duration {
	return max(s.cfg.PublishIdleTimeout, 0)
}

// idleCheckEvery is the time between checks of the media flag.
func (s *state) idleCheckEvery() time.Duration {
	return max(s.idleTimeout()/4, 1)
}

// publishing reports whether any stream is publishing.
func (s *state) publishing() bool {
	for _, st := range s.streams {
		if st.state == streamPublishing {
			return true
		}
	}
	return false
}

// idleWatching reports whether the idle timer runs.
func (s *state) idleWatching() bool {
	return s.idleTimeout() > 0 && s.publishing()
}

// startIdleTimer starts the timer for a connection whose first stream
// begins to publish; another stream that begins while one publishes
// shares the running timer.
func (s *state) startIdleTimer() {
	if s.publishing() {
		return
	}
	s.idle = idleState{since: s.now, checkAt: s.now + s.idleCheckEvery()}
}

// checkIdle runs a due check: media since the last one restarts the count
// of silence from now; silence of the whole timeout ends the session.
func (s *state) checkIdle(fx []Effect) []Effect {
	if !s.idleWatching() || s.now < s.idle.checkAt {
		return fx
	}
	t := s.idleTimeout()
	switch {
	case s.idle.mediaSeen:
		s.idle = idleState{since: s.now, checkAt: s.now + s.idleCheckEvery()}
	case s.now >= s.idle.since+t:
		return s.terminate(fx, PublishIdleError{t})
	default:
		s.idle.checkAt = min(s.now+s.idleCheckEvery(), s.idle.since+t)
	}
	return fx
}
