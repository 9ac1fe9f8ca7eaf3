package hls

// Answer is what a blocking playlist reload gets now.
type Answer int

const (
	// Ready: the playlist holds what was asked for; render it.
	Ready Answer = iota
	// Wait: hold the request until the timeline changes (or a deadline).
	Wait
	// TooFar: the request is for a segment or part too far ahead to be
	// waited for; answer 400 Bad Request, as RFC 8216bis asks.
	TooFar
)

// Reload is a playlist request's delivery directives.
type Reload struct {
	// Block: _HLS_msn was given; MSN is its value.
	Block bool
	MSN   uint64
	// HasPart: _HLS_part was given too; Part is its value.
	HasPart bool
	Part    int
	// Skip: _HLS_skip=YES, a delta update.
	Skip bool
}

// advancePartLimit is how many parts beyond the last one a request may
// ask for and still be held (RFC 8216bis, 6.2.5.2).
const advancePartLimit = 3

// Await decides a playlist request: Ready when the playlist holds segment
// MSN (without HasPart) or part Part of segment MSN, or anything later;
// Wait when that is still to come; TooFar when MSN is more than two
// segments beyond the last, or Part more than three parts beyond it. A
// request without Block, and any request once the stream ended, is Ready.
func (t *Timeline) Await(r Reload) Answer {
	if !r.Block || t.ended {
		return Ready
	}
	last, lastPart, any := t.lastListed()
	if !r.HasPart {
		done, ok := t.lastComplete()
		switch {
		case ok && done >= r.MSN:
			return Ready
		case !any && r.MSN <= 2, any && r.MSN <= last+2:
			return Wait
		}
		return TooFar
	}
	switch {
	case any && (r.MSN < last || r.MSN == last && r.Part <= lastPart):
		return Ready
	case r.MSN > t.nextMSN+1:
		return TooFar
	case any && r.MSN == last && r.Part > lastPart+advancePartLimit:
		return TooFar
	}
	return Wait
}

// lastListed is the address of the last complete part in the window.
func (t *Timeline) lastListed() (msn uint64, part int, ok bool) {
	for i := len(t.segs) - 1; i >= 0; i-- {
		if n := len(t.segs[i].Parts); n > 0 {
			return t.segs[i].MSN, n - 1, true
		}
	}
	return 0, 0, false
}

// lastComplete is the MSN of the last complete segment in the window.
func (t *Timeline) lastComplete() (uint64, bool) {
	for i := len(t.segs) - 1; i >= 0; i-- {
		if t.segs[i].Complete {
			return t.segs[i].MSN, true
		}
	}
	return 0, false
}
