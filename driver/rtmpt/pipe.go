package rtmpt

import (
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// pipe is what both ends of an RTMPT session hold: the bytes that came
// over HTTP and wait for Read (in), the bytes written that wait for a
// request to carry them (out), whether the session ended, and the
// deadlines of Read and Write. Whoever waits (Read for input, Write for
// room, the HTTP side for data or room) waits on changed, which every
// change closes and replaces.
type pipe struct {
	// limit bounds out: past it Write waits for a request to carry some.
	limit int

	mu      sync.Mutex
	changed chan struct{}
	in, out []byte
	// ended: the session is over; Read drains in, then returns cause
	// (io.EOF when nil), and Write fails with cause (net.ErrClosed).
	ended bool
	cause error
	// closed: this end was closed (the client's Close); Read and Write
	// fail with net.ErrClosed at once.
	closed        bool
	readDeadline  time.Time
	writeDeadline time.Time
}

func newPipe(limit int) pipe {
	return pipe{limit: limit, changed: make(chan struct{})}
}

// signal wakes whoever waits for a change; p.mu is held.
func (p *pipe) signal() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// wait waits for a change or the deadline (zero: none); p.mu is held on
// entry and on return. It reports false once the deadline has passed.
func (p *pipe) wait(deadline time.Time) bool {
	ch := p.changed
	if deadline.IsZero() {
		p.mu.Unlock()
		<-ch
		p.mu.Lock()
		return true
	}
	d := time.Until(deadline)
	if d <= 0 {
		return false
	}
	t := time.NewTimer(d)
	p.mu.Unlock()
	select {
	case <-ch:
	case <-t.C:
	}
	t.Stop()
	p.mu.Lock()
	return true
}

// Read returns what came from the other end, waiting for it.
func (p *pipe) Read(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		if p.closed {
			return 0, net.ErrClosed
		}
		if len(p.in) > 0 {
			n := copy(b, p.in)
			p.in = p.in[n:]
			if len(p.in) == 0 {
				p.in = nil
			}
			p.signal() // a request may wait for room
			return n, nil
		}
		if p.ended {
			if p.cause != nil {
				return 0, p.cause
			}
			return 0, io.EOF
		}
		if !p.wait(p.readDeadline) {
			return 0, os.ErrDeadlineExceeded
		}
	}
}

// Write queues b for the requests to carry, waiting while more than limit
// bytes wait already.
func (p *pipe) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		if p.closed {
			return 0, net.ErrClosed
		}
		if p.ended {
			if p.cause != nil {
				return 0, p.cause
			}
			return 0, net.ErrClosed
		}
		if len(p.out) < p.limit {
			p.out = append(p.out, b...)
			p.signal()
			return len(b), nil
		}
		if !p.wait(p.writeDeadline) {
			return 0, os.ErrDeadlineExceeded
		}
	}
}

// appendOut moves up to max bytes of out to the end of dst; p.mu is held.
func (p *pipe) appendOut(dst []byte, max int) []byte {
	n := min(len(p.out), max)
	dst = append(dst, p.out[:n]...)
	p.out = p.out[n:]
	if len(p.out) == 0 {
		p.out = nil
	}
	if n > 0 {
		p.signal() // a write may wait for room
	}
	return dst
}

func (p *pipe) SetDeadline(t time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.readDeadline, p.writeDeadline = t, t
	p.signal()
	return nil
}

func (p *pipe) SetReadDeadline(t time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.readDeadline = t
	p.signal()
	return nil
}

func (p *pipe) SetWriteDeadline(t time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.writeDeadline = t
	p.signal()
	return nil
}
