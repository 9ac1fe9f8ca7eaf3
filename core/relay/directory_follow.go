package relay

import "time"

// Follow decides where a cluster node pulls a path from for its players
// when the path is not published on the node: from the owner the
// directory names, looked up again every Refresh so that a new owner (the
// publisher moved to another node) is followed without the players
// reconnecting. A path nobody owns is waited for, as a local play waits
// for its publisher. The caller looks the path up when Follow says, and
// starts, replaces or stops its pull connection as the steps say.
type Follow struct {
	times LeaseTimes
	self  string
	// from is the owner pulled from, when pulling.
	from    Owner
	pulling bool
	// failures counts look-ups the store could not answer, and
	// pullFailures pull connections that carried nothing, in a row.
	failures, pullFailures int
}

// FollowStep is what to do after a look-up.
type FollowStep struct {
	// Pull, when set, is the owner to pull from now, in place of any
	// pull running.
	Pull *Owner
	// Stop stops the pull running: this node owns the path now.
	Stop bool
	// Next is when to look the path up again.
	Next time.Duration
}

// NewFollow returns the decisions of one path's pull on the node
// advertised as self.
func NewFollow(self string, t LeaseTimes) *Follow {
	return &Follow{times: t.WithDefaults(), self: self}
}

// Looked takes the answer to a look-up at now: the owner if found, or err
// when the store could not answer. A pull running goes on while the store
// cannot answer or names nobody: its connection ends by itself if the
// owner's stream ended.
func (f *Follow) Looked(now time.Duration, o Owner, found bool, err error) FollowStep {
	if err != nil {
		f.failures++
		return FollowStep{Next: now + f.times.wait(f.failures)}
	}
	f.failures = 0
	step := FollowStep{Next: now + f.times.Refresh}
	switch {
	case !found:
	case o.URL == f.self:
		step.Stop = f.pulling
		f.pulling, f.from = false, Owner{}
	case !f.pulling || !f.from.Same(o):
		f.pulling, f.from = true, o
		step.Pull = &o
	}
	return step
}

// PullEnded takes the end at now of the pull connection to the owner
// Looked named, after carrying media if progressed. It returns when to
// look the path up again: soon, since the owner may have changed, and
// later after each pull in a row that carried nothing.
func (f *Follow) PullEnded(now time.Duration, progressed bool) time.Duration {
	f.pulling, f.from = false, Owner{}
	if progressed {
		f.pullFailures = 0
	}
	f.pullFailures++
	return now + f.times.wait(f.pullFailures)
}

// Pulling returns the owner pulled from, if any.
func (f *Follow) Pulling() (Owner, bool) { return f.from, f.pulling }
