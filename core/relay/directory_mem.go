package relay

import (
	"context"
	"errors"
	"time"
)

// MemDirectory is a Directory in memory with a store's semantics, for
// simulations and tests: leases that expire on its own clock (Now, which
// the caller moves), fencing tokens that grow with every claim, a
// restart that forgets everything as a store without persistence does,
// and nodes cut off from it. Each node talks to it through Node.
type MemDirectory struct {
	// Now is the store's clock.
	Now     time.Duration
	entries map[Path]memEntry
	// lastToken is the highest token given; a restart forgets it (see
	// start).
	lastToken uint64
	// up is set by the first claim or refresh after a start; until
	// graceUntil the store then takes no claims (see Directory.Claim).
	up         bool
	graceUntil time.Duration
	cut        map[string]bool
}

type memEntry struct {
	owner   Owner
	expires time.Duration
}

// microsecond is time.Microsecond (a pure package uses no more of
// package time than its Duration type).
const microsecond time.Duration = 1000

// ErrUnreachable is the error of a MemDirectory's node that is cut off.
var ErrUnreachable = errors.New("relay: directory unreachable")

// NewMemDirectory returns an empty store at time 0.
func NewMemDirectory() *MemDirectory {
	return &MemDirectory{entries: map[Path]memEntry{}, cut: map[string]bool{}}
}

// Cut cuts the node advertised as url off the store, or reconnects it.
func (d *MemDirectory) Cut(url string, cut bool) { d.cut[url] = cut }

// Restart forgets every claim and token, as a store restarted without
// persistence does.
func (d *MemDirectory) Restart() {
	d.entries = map[Path]memEntry{}
	d.lastToken, d.up, d.graceUntil = 0, false, 0
}

// Node returns the store as the node advertised as url reaches it.
func (d *MemDirectory) Node(url string) Directory { return memNode{d: d, url: url} }

// live returns p's entry if it has not expired.
func (d *MemDirectory) live(p Path) (memEntry, bool) {
	e, ok := d.entries[p]
	if ok && d.Now >= e.expires {
		delete(d.entries, p)
		ok = false
	}
	return e, ok
}

// start is a write's first step: after a (re)start the store takes no
// claims for one lease, so owners it forgot can refresh first, and its
// tokens go on from its clock in microseconds, above every token of its
// earlier lives (one claim a microsecond at most).
func (d *MemDirectory) start(lease time.Duration) {
	if !d.up {
		d.up, d.graceUntil = true, d.Now+lease
		d.lastToken = max(d.lastToken, uint64(d.Now/microsecond))
	}
}

type memNode struct {
	d   *MemDirectory
	url string
}

func (n memNode) reachable() error {
	if n.d.cut[n.url] {
		return ErrUnreachable
	}
	return nil
}

func (n memNode) Claim(_ context.Context, p Path, url string, lease time.Duration) (Owner, bool, error) {
	if err := n.reachable(); err != nil {
		return Owner{}, false, err
	}
	d := n.d
	d.start(lease)
	if d.Now < d.graceUntil {
		return Owner{Remaining: d.graceUntil - d.Now}, false, nil
	}
	if e, ok := d.live(p); ok {
		e.owner.Remaining = e.expires - d.Now
		return e.owner, false, nil
	}
	d.lastToken++
	o := Owner{URL: url, Token: d.lastToken}
	d.entries[p] = memEntry{owner: o, expires: d.Now + lease}
	o.Remaining = lease
	return o, true, nil
}

func (n memNode) Refresh(_ context.Context, p Path, o Owner, lease time.Duration) (bool, error) {
	if err := n.reachable(); err != nil {
		return false, err
	}
	d := n.d
	d.start(lease)
	e, ok := d.live(p)
	if ok && !e.owner.Same(o) || !ok && d.Now >= d.graceUntil {
		// Another node owns p, or o's lease ran out: o's claim is over.
		// Only a store that restarted lately takes an owner back.
		return false, nil
	}
	o.Remaining = 0
	d.entries[p] = memEntry{owner: o, expires: d.Now + lease}
	d.lastToken = max(d.lastToken, o.Token)
	return true, nil
}

func (n memNode) Release(_ context.Context, p Path, o Owner) error {
	if err := n.reachable(); err != nil {
		return err
	}
	if e, ok := n.d.live(p); ok && e.owner.Same(o) {
		delete(n.d.entries, p)
	}
	return nil
}

func (n memNode) Lookup(_ context.Context, p Path) (Owner, bool, error) {
	if err := n.reachable(); err != nil {
		return Owner{}, false, err
	}
	e, ok := n.d.live(p)
	if !ok {
		return Owner{}, false, nil
	}
	e.owner.Remaining = e.expires - n.d.Now
	return e.owner, true, nil
}
