package sim

import (
	"time"
)

// never is a time that does not come.
const never time.Duration = 1<<63 - 1

// pipe is one direction of a simulated TCP connection: in order and
// lossless while it lives, but cut into random segments that arrive after
// random delays, read in random merges, bounded by a window the writer
// must respect, and stalled whenever its reader stops reading.
type pipe struct {
	rng    *source
	window int // the most bytes written and not yet read
	delay  [2]time.Duration

	segs     []segment
	inflight int
	last     time.Duration // arrival of the last segment, to keep order

	// The reader reads nothing from stallFrom until stallUntil.
	stallFrom, stallUntil time.Duration
	fin                   bool // the writer closed: EOF once segs are read
	eof                   bool // the reader has seen that EOF
	cut                   bool // the connection vanished: nothing moves any more
}

type segment struct {
	data []byte
	at   time.Duration
}

func newPipe(rng *source, window int, delay [2]time.Duration) *pipe {
	return &pipe{rng: rng, window: window, delay: delay}
}

// room is how many bytes the writer may write now.
func (p *pipe) room() int {
	if p.fin || p.cut {
		return 0
	}
	return max(p.window-p.inflight, 0)
}

// write sends b (at most room bytes) in random segments.
func (p *pipe) write(now time.Duration, b []byte) {
	for len(b) > 0 {
		n := 1 + p.rng.IntN(len(b))
		at := now + p.delay[0]
		if d := p.delay[1] - p.delay[0]; d > 0 {
			at += time.Duration(p.rng.Int64N(int64(d) + 1))
		}
		at = max(at, p.last)
		p.last = at
		p.segs = append(p.segs, segment{data: b[:n:n], at: at})
		p.inflight += n
		b = b[n:]
	}
}

// next is when the reader can next read something (or see EOF).
func (p *pipe) next() time.Duration {
	if p.cut || p.eof {
		return never
	}
	switch {
	case len(p.segs) > 0:
		return p.unstalled(p.segs[0].at)
	case p.fin:
		return p.unstalled(0)
	}
	return never
}

// unstalled is the first time from t on when the reader reads.
func (p *pipe) unstalled(t time.Duration) time.Duration {
	if t >= p.stallFrom && t < p.stallUntil {
		return p.stallUntil
	}
	return t
}

// read returns the bytes that arrived by now, a random number of segments
// merged into one read, and whether the writer's EOF was reached.
func (p *pipe) read(now time.Duration) (b []byte, eof bool) {
	if p.cut || p.unstalled(now) != now {
		return nil, false
	}
	due := 0
	for due < len(p.segs) && p.segs[due].at <= now {
		due++
	}
	if due > 0 {
		take := 1 + p.rng.IntN(due)
		for _, s := range p.segs[:take] {
			b = append(b, s.data...)
		}
		clear(p.segs[:take])
		p.segs = p.segs[take:]
		p.inflight -= len(b)
		return b, false
	}
	p.eof = p.fin && len(p.segs) == 0
	return nil, p.eof
}

// link is one connection: client to server and back.
type link struct {
	c2s, s2c *pipe
}
