package rtmpt

import (
	"net"
	"time"
)

// session is one RTMPT session, the server's end of it as a net.Conn:
// in holds what the client sent until Read takes it, out what the server
// wrote until a reply carries it.
type session struct {
	pipe
	l      *Listener
	id     string
	remote net.Addr

	// empties counts the replies in a row that carried nothing, which
	// sets the polling interval byte.
	empties int
	idle    *time.Timer
}

func newSession(l *Listener, id string, remote net.Addr) *session {
	s := &session{pipe: newPipe(l.cfg.MaxPendingBytes), l: l, id: id, remote: remote}
	s.idle = time.AfterFunc(l.cfg.SessionTimeout, s.expire)
	return s
}

// Close ends the session; what the server wrote before is still sent to
// the client's next requests, after which they are answered 404.
func (s *session) Close() error {
	s.end()
	return nil
}

// end ends the session: reads end and writes fail. The Listener forgets it
// once the client has had what was written (see reply), or at once if the
// client went quiet.
func (s *session) end() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return
	}
	s.ended = true
	s.signal()
	if len(s.out) == 0 {
		s.l.forget(s)
		s.idle.Stop()
		return
	}
	// The client has the session timeout to fetch the rest.
	s.idle.Reset(s.l.cfg.SessionTimeout)
}

// closeByClient ends the session at the client's close request and
// returns the last reply: a zero byte and what of the server's writes fits
// in it. The client asks nothing more, so the session is forgotten at once
// and the rest dropped.
func (s *session) closeByClient() []byte {
	s.end()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := min(len(s.out), s.l.cfg.MaxReplyBytes)
	b := s.appendOut(make([]byte, 1, 1+n), n)
	s.out = nil
	s.l.forget(s)
	s.idle.Stop()
	return b
}

// expire forgets a session whose client stopped asking.
func (s *session) expire() {
	s.end()
	s.l.forget(s)
}

// deliver hands the body of a send request to the server, waiting while
// the server has MaxPendingBytes unread; false if the session ended, or
// the wait outlived the session timeout.
//
// It does not wait while the server itself waits for room to write (out
// is full): only a reply makes room, and this request's reply comes after
// its body is taken, so waiting would hold both ends until the timeout.
// The body is then taken over the bound while fewer than twice
// MaxPendingBytes wait unread. Past that, a server that still reads takes
// some at once; one that reads nothing for ReadGrace is held by its own
// writes while the client sends far more than it takes, and the session
// ends.
func (s *session) deliver(body []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit := s.limit
	now := time.Now()
	deadline, stuck := now.Add(s.l.cfg.SessionTimeout), now.Add(s.l.cfg.ReadGrace)
	for !s.ended && len(s.in) >= limit {
		if len(s.out) < limit {
			if !s.wait(deadline) {
				return false
			}
			continue
		}
		if len(s.in) < 2*limit {
			break
		}
		if !s.wait(stuck) {
			s.mu.Unlock()
			s.end()
			s.mu.Lock()
			return false
		}
	}
	if s.ended {
		return false
	}
	s.in = append(s.in, body...)
	s.signal()
	return true
}

// reply takes what the next reply carries: the polling interval byte and
// up to MaxReplyBytes of what the server wrote, waiting up to hold for
// something to carry. ok is false for a session that ended with nothing
// left to send: the request is answered 404.
func (s *session) reply(hold time.Duration) (b []byte, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idle.Reset(s.l.cfg.SessionTimeout)
	if hold > 0 {
		deadline := time.Now().Add(hold)
		for len(s.out) == 0 && !s.ended && s.wait(deadline) {
		}
	}
	if s.ended && len(s.out) == 0 {
		s.l.forget(s)
		s.idle.Stop()
		return nil, false
	}
	n := min(len(s.out), s.l.cfg.MaxReplyBytes)
	b = s.appendOut(make([]byte, 1, 1+n), n)
	if n > 0 {
		s.empties = 0
	} else {
		s.empties++
	}
	b[0] = interval(s.empties)
	return b, true
}

// interval is the polling interval byte after empties empty replies in a
// row: 1 while data flows, growing after every ten empty replies up to
// 0x21, as the servers that defined RTMPT do.
func interval(empties int) byte {
	steps := [...]byte{0x01, 0x03, 0x05, 0x09, 0x11, 0x21}
	return steps[min(empties/10, len(steps)-1)]
}

func (s *session) LocalAddr() net.Addr  { return s.l.addr }
func (s *session) RemoteAddr() net.Addr { return s.remote }
