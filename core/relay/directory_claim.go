package relay

import "time"

// Claim decides one publication's ownership of its path on a cluster
// node: claim the path when the publication starts and again until the
// claim wins, refresh it while the publication lives, stop being the
// owner (ClaimLapsed) when the node cannot be sure it still is, and give
// the publication up (ClaimLost) once another node owns the path. The
// caller asks Next what to do at a time, does it against its Directory,
// and gives the answer back with the time the request was sent and the
// time the answer came.
//
// Fencing: a lease counts from when its claim or last refresh was sent,
// which is before the store started counting it, so the node believes it
// owns the path for no longer than the store keeps the claim, and no
// other node's claim can win while Owns is true. A node that was stopped
// or cut off from the store past its lease finds Owns false as soon as it
// runs again, before it hears anything.
//
// A lapsed claim is claimed again: if nobody took the path meanwhile (the
// store was down for everyone, or restarted), the node owns it again with
// a new token and its publication never stopped; if another node did, the
// publication is lost.
type Claim struct {
	times LeaseTimes
	url   string
	state claimState
	owner Owner
	// owned is set once the claim has won: a claim refused for another
	// owner after that means the path moved on.
	owned bool
	// validUntil is when the lease counted from the last successful
	// claim or refresh runs out.
	validUntil time.Duration
	// next is when to claim or refresh again.
	next     time.Duration
	failures int
	losses   int
}

type claimState uint8

const (
	claiming claimState = iota
	owning
	lapsing // the lease ran out: ClaimLapsed is to be said
	losing  // another node owns the path: ClaimLost is to be said
	lost
	released
)

// ClaimStep is what Claim.Next says to do.
type ClaimStep uint8

// The steps.
const (
	// ClaimWait: nothing until the time Next returned.
	ClaimWait ClaimStep = iota
	// ClaimAsk: send Directory.Claim.
	ClaimAsk
	// ClaimRefresh: send Directory.Refresh with Owner.
	ClaimRefresh
	// ClaimLapsed: the lease ran out before a refresh came back, or a
	// refresh was refused; the node no longer owns the path (Owns says
	// so already) and claims it again next. Said once per lapse.
	ClaimLapsed
	// ClaimLost: another node owns the path; the publication must stop
	// (the caller ends it). Said once.
	ClaimLost
	// ClaimDone: the claim was lost or released; nothing more to do.
	ClaimDone
)

// NewClaim starts the claim of a path for a publication on the node
// advertised as url, at now: Next says to claim at once.
func NewClaim(url string, t LeaseTimes, now time.Duration) *Claim {
	return &Claim{times: t.WithDefaults(), url: url, next: now}
}

// Next returns what to do at now, and for ClaimWait until when.
func (c *Claim) Next(now time.Duration) (ClaimStep, time.Duration) {
	if c.state == owning && now >= c.validUntil {
		c.state = lapsing
		c.losses++
	}
	switch c.state {
	case lost, released:
		return ClaimDone, 0
	case losing:
		c.state = lost
		return ClaimLost, 0
	case lapsing:
		c.state, c.failures, c.next = claiming, 0, now
		return ClaimLapsed, 0
	case owning:
		if now < c.next {
			return ClaimWait, min(c.next, c.validUntil)
		}
		return ClaimRefresh, 0
	}
	if now < c.next {
		return ClaimWait, c.next
	}
	return ClaimAsk, 0
}

// Claimed takes the answer to a claim sent at sent, received at now: o is
// the owner the store returned and whether the claim won, err why it
// could not answer.
func (c *Claim) Claimed(sent, now time.Duration, o Owner, won bool, err error) {
	if c.state != claiming {
		return
	}
	switch {
	case err != nil:
		c.failures++
		c.next = now + c.times.wait(c.failures)
	case won:
		c.failures = 0
		c.state, c.owner, c.owned = owning, o, true
		c.validUntil = sent + c.times.Lease
		c.next = sent + c.times.Refresh
	case c.owned && o.URL != "" && o.URL != c.url:
		// The path went to another node while this one's lease lapsed.
		c.state = losing
	default:
		// Another node owns the path, or this node's own lapsed claim
		// lingers in the store, or the store takes no claims yet: try
		// again when that ends, and no later than a refresh period (a
		// clean release ends it early).
		c.failures = 0
		c.next = now + min(max(o.Remaining, minBackoffOfLeases), c.times.Refresh)
	}
}

// Refreshed takes the answer to a refresh sent at sent, received at now:
// whether the node still owns the path, or err when the store could not
// answer (then the lease runs on, and Next says when it lapses).
func (c *Claim) Refreshed(sent, now time.Duration, owned bool, err error) {
	if c.state != owning {
		return
	}
	switch {
	case err != nil:
		c.failures++
		c.next = now + c.times.wait(c.failures)
	case owned:
		c.failures = 0
		c.validUntil = max(c.validUntil, sent+c.times.Lease)
		c.next = sent + c.times.Refresh
	default:
		// Another node owns the path, or the lease ran out in the store:
		// the node owns nothing now; claiming again tells which.
		c.state = lapsing
		c.losses++
	}
}

// Owns returns the owner this claim is and whether the node owns the path
// at now: the claim won and its lease has not run out.
func (c *Claim) Owns(now time.Duration) (Owner, bool) {
	if c.state != owning || now >= c.validUntil {
		return Owner{}, false
	}
	return c.owner, true
}

// Release ends the claim as its publication ends; it returns the owner to
// release in the directory, if the claim won and was not lost.
func (c *Claim) Release(now time.Duration) (Owner, bool) {
	o, owned := c.Owns(now)
	c.state = released
	return o, owned
}

// Released reports whether Release was called.
func (c *Claim) Released() bool { return c.state == released }

// Failures is the number of store failures in a row so far.
func (c *Claim) Failures() int { return c.failures }

// Losses counts the times the node stopped owning the path against its
// will: leases that lapsed and refreshes refused.
func (c *Claim) Losses() int { return c.losses }
