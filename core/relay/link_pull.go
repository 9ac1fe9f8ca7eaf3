package relay

import (
	"errors"
	"time"
)

// Pulls decides when a path is pulled from a remote for its players (an
// edge): a pull starts when a network player joins a path that has no
// publisher and no pull, and stops once the path has had no network
// player for the linger, so that a player that reconnects at once finds
// the stream still live. Time is an input: the caller passes its clock's
// reading and arms a timer for the deadlines returned.
type Pulls struct {
	linger time.Duration
	pulls  map[Path]*pull
	gen    uint64
}

// pull is one path's pull: gen tells it from a later pull of the path.
type pull struct {
	gen uint64
	// lingering, when set, is since when the path has had no network
	// player.
	lingering bool
	since     time.Duration
}

// DefaultLinger is Pulls' linger when none is given: 3 s.
const DefaultLinger time.Duration = 3_000_000_000

// NewPulls returns the pull decisions with the given linger (0: default).
func NewPulls(linger time.Duration) *Pulls {
	if linger <= 0 {
		linger = DefaultLinger
	}
	return &Pulls{linger: linger, pulls: map[Path]*pull{}}
}

// Playing takes a network player joining p, which has a publisher if
// publishing. It returns the id of a pull to start, or false: a pull runs
// already (and no longer lingers), or a publisher feeds the path.
func (ps *Pulls) Playing(p Path, publishing bool) (uint64, bool) {
	if pl := ps.pulls[p]; pl != nil {
		pl.lingering = false
		return 0, false
	}
	if publishing {
		return 0, false
	}
	ps.gen++
	ps.pulls[p] = &pull{gen: ps.gen}
	return ps.gen, true
}

// Left takes a player or publisher leaving p at now, with players network
// players still on it. When the pull of p lost its last player, it
// returns when to call Lingered.
func (ps *Pulls) Left(p Path, now time.Duration, players int) (time.Duration, bool) {
	pl := ps.pulls[p]
	if pl == nil || players > 0 {
		return 0, false
	}
	pl.lingering, pl.since = true, now
	return now + ps.linger, true
}

// Lingered reports whether the pull gen of p stops at now, with players
// network players on p: it does when it is still p's pull, no player came
// back, and the linger has passed since the last one left. It is then
// forgotten.
func (ps *Pulls) Lingered(p Path, gen uint64, now time.Duration, players int) bool {
	pl := ps.pulls[p]
	if pl == nil || pl.gen != gen || players > 0 || !pl.lingering || now < pl.since+ps.linger {
		return false
	}
	delete(ps.pulls, p)
	return true
}

// Ended takes the end of pull gen of p, whatever the reason; a later
// pull of the path is not touched.
func (ps *Pulls) Ended(p Path, gen uint64) {
	if pl := ps.pulls[p]; pl != nil && pl.gen == gen {
		delete(ps.pulls, p)
	}
}

// Pulling reports whether p has a pull.
func (ps *Pulls) Pulling(p Path) bool { return ps.pulls[p] != nil }

// PullEnded reports whether a pull connection that ended with err ends
// the pull instead of retrying: the path got a publisher of its own,
// which took it over or was there first.
func PullEnded(err error) bool {
	return errors.Is(err, ErrPublisherExists) || errors.Is(err, ErrTakenOver)
}

// PullCandidates returns the pull URLs to try for app, in order: those
// whose app (apps[i] for urls[i]) is app, or every one if none is.
func PullCandidates(urls, apps []string, app string) []string {
	var same []string
	for i, a := range apps {
		if a == app {
			same = append(same, urls[i])
		}
	}
	if len(same) == 0 {
		return urls
	}
	return same
}
