package rtmpt

import (
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// session is one RTMPT session, the server's end of it as a net.Conn.
// Bytes the client sent wait in in until Read takes them; bytes the
// server wrote wait in out until a reply carries them. Whoever waits
// (Read for input, Write for room, a request for room in in) waits on
// changed, which every change closes and replaces.
type session struct {
	l      *Listener
	id     string
	remote net.Addr

	mu      sync.Mutex
	changed chan struct{}
	in, out []byte
	// ended: the connection was closed, by the server or the client
	// (close), or timed out; reads drain in, then return io.EOF.
	ended bool
	// empties counts the replies in a row that carried nothing, which
	// sets the polling interval byte.
	empties       int
	readDeadline  time.Time
	writeDeadline time.Time
	idle          *time.Timer
}

func newSession(l *Listener, id string, remote net.Addr) *session {
	s := &session{l: l, id: id, remote: remote, changed: make(chan struct{})}
	s.idle = time.AfterFunc(l.cfg.SessionTimeout, s.expire)
	return s
}

// signal wakes whoever waits for a change; s.mu is held.
func (s *session) signal() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// wait waits for a change or the deadline (zero: none); s.mu is held on
// entry and on return. It reports false once the deadline has passed.
func (s *session) wait(deadline time.Time) bool {
	ch := s.changed
	if deadline.IsZero() {
		s.mu.Unlock()
		<-ch
		s.mu.Lock()
		return true
	}
	d := time.Until(deadline)
	if d <= 0 {
		return false
	}
	t := time.NewTimer(d)
	s.mu.Unlock()
	select {
	case <-ch:
	case <-t.C:
	}
	t.Stop()
	s.mu.Lock()
	return true
}

// Read returns what the client sent, waiting for it.
func (s *session) Read(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if len(s.in) > 0 {
			n := copy(b, s.in)
			s.in = s.in[n:]
			if len(s.in) == 0 {
				s.in = nil
			}
			s.signal() // a request may wait for room
			return n, nil
		}
		if s.ended {
			return 0, io.EOF
		}
		if !s.wait(s.readDeadline) {
			return 0, os.ErrDeadlineExceeded
		}
	}
}

// Write queues b for the client's next replies, waiting while more than
// MaxPendingBytes wait already.
func (s *session) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if s.ended {
			return 0, net.ErrClosed
		}
		if len(s.out) < s.l.cfg.MaxPendingBytes {
			s.out = append(s.out, b...)
			s.signal()
			return len(b), nil
		}
		if !s.wait(s.writeDeadline) {
			return 0, os.ErrDeadlineExceeded
		}
	}
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
// MaxPendingBytes wait unread; past that the client sends far more than
// it takes, and the session ends.
func (s *session) deliver(body []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	limit := s.l.cfg.MaxPendingBytes
	deadline := time.Now().Add(s.l.cfg.SessionTimeout)
	for !s.ended && len(s.in) >= limit {
		if len(s.out) >= limit {
			if len(s.in) >= 2*limit {
				s.mu.Unlock()
				s.end()
				s.mu.Lock()
				return false
			}
			break
		}
		if !s.wait(deadline) {
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
	b = make([]byte, 1+n)
	copy(b[1:], s.out[:n])
	s.out = s.out[n:]
	if len(s.out) == 0 {
		s.out = nil
	}
	if n > 0 {
		s.empties = 0
		s.signal() // a write may wait for room
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

func (s *session) SetDeadline(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readDeadline, s.writeDeadline = t, t
	s.signal()
	return nil
}

func (s *session) SetReadDeadline(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readDeadline = t
	s.signal()
	return nil
}

func (s *session) SetWriteDeadline(t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writeDeadline = t
	s.signal()
	return nil
}
