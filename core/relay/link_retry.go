package relay

import "time"

// Backoff is how a push or pull link retries: the wait before the first
// reconnection after a failure is Min, each further failure in a row
// doubles it up to Max, and after MaxRetries failures in a row the link
// gives up. The zero value of a field takes its default.
type Backoff struct {
	Min, Max   time.Duration
	MaxRetries int
}

// Defaults of Backoff (in nanoseconds: a pure package uses no more of
// package time than its Duration type).
const (
	DefaultMinBackoff time.Duration = 500_000_000    // 500 ms
	DefaultMaxBackoff time.Duration = 10_000_000_000 // 10 s
	DefaultMaxRetries               = 10
)

// WithDefaults returns b with its zero fields set: Min 500 ms (or Max, if
// that is set and shorter), Max 10 s (or Min, if that is longer), and
// MaxRetries 10.
func (b Backoff) WithDefaults() Backoff {
	if b.Min <= 0 {
		b.Min = DefaultMinBackoff
		if b.Max > 0 {
			b.Min = min(b.Min, b.Max)
		}
	}
	switch {
	case b.Max <= 0:
		b.Max = max(DefaultMaxBackoff, b.Min)
	case b.Max < b.Min:
		b.Max = b.Min
	}
	if b.MaxRetries <= 0 {
		b.MaxRetries = DefaultMaxRetries
	}
	return b
}

// Wait is the wait after failures failures in a row (at least one).
func (b Backoff) Wait(failures int) time.Duration {
	// Doubling stops at Max, so it cannot overflow into a negative wait
	// however long the backoffs are.
	d := b.Min
	for i := 1; i < failures && d < b.Max; i++ {
		d *= 2
	}
	return min(d, b.Max)
}

// Retry is one link's count of failures in a row.
type Retry struct {
	b        Backoff
	failures int
}

// NewRetry returns a link's retry state under b (its defaults applied).
func NewRetry(b Backoff) *Retry { return &Retry{b: b.WithDefaults()} }

// Failed records a connection of the link that failed or dropped, after
// carrying messages if progressed, and returns how long to wait before
// the next, or false when the link gives up. A connection that carried
// media starts the count again: the remote was working, and a link that
// drops once a day must not give up after ten days.
func (r *Retry) Failed(progressed bool) (time.Duration, bool) {
	if progressed {
		r.failures = 0
	}
	r.failures++
	if r.failures > r.b.MaxRetries {
		return 0, false
	}
	return r.b.Wait(r.failures), true
}

// Failures is the number of failures in a row so far.
func (r *Retry) Failures() int { return r.failures }
