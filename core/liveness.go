package core

// A connection is alive while its peer sends anything. A ping request
// left outstanding ends the session at Config.PingTimeout only when the
// peer has sent nothing at all since the request: encoders such as OBS
// Studio never read what the server sends after the connect, so they never
// answer a ping, yet their media proves the connection is alive as well as
// a Ping Response would. nginx-rtmp takes any bytes received the same way.

// heard notes a sign of life from the peer: any message, or a byte total
// that grew. It clears the outstanding ping; the next one goes out at the
// usual interval.
func (s *state) heard() {
	s.ping.outstanding = false
}

// mediaNews reports whether the next audio or video message on a
// publishing stream changes the session. Media normally changes nothing
// and takes the fast path without a copy; only the first message after a
// ping request (at most one per ping interval) or after a check of the
// publisher idle timer (one per quarter of its timeout) pays for a new
// snapshot.
func (s *state) mediaNews() bool {
	return s.ping.outstanding || s.idleTimeout() > 0 && !s.idle.mediaSeen
}

// heardMedia is the media path when the message is news: a new snapshot
// with the ping cleared and the media flag raised, and the new deadline
// after the media's event.
func (s Session) heardMedia(fx []Effect) (Session, []Effect) {
	next := *s.st
	next.heard()
	next.idle.mediaSeen = true
	return Session{&next}, next.rearm(fx)
}
