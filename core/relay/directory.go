package relay

import (
	"context"
	"errors"
	"time"
)

// Owner is who owns a path in a cluster's directory: the advertised RTMP
// URL of the node its publisher is on (what other nodes dial, such as
// rtmp://10.0.0.5:1935) and the fencing token of that node's claim, which
// is higher than the token of every owner before it.
type Owner struct {
	URL   string
	Token uint64
	// Remaining is how long the owner's lease has left, as the store
	// last saw it: when a claim refused for it may be tried again.
	Remaining time.Duration
}

// Same reports whether o and other are the same claim (URL and token).
func (o Owner) Same(other Owner) bool { return o.URL == other.URL && o.Token == other.Token }

// Directory is a cluster's store of which node owns which path, with
// leases. The decisions of when to claim, refresh, give up and look up
// are Claim's and Follow's; a Directory only answers, as a store shared by
// the nodes does: with its own clock for the leases, and with an error
// when it cannot be reached. Redis is one (driver/cluster); the fake
// MemDirectory has the same semantics for simulations.
type Directory interface {
	// Claim makes url the owner of p for lease if nobody owns it, with a
	// token higher than any the store gave before. It returns the owner
	// after the call and whether the claim won: url and its new token
	// when it did, else the current owner (with its Remaining; it may be
	// an earlier claim of the same node), or an Owner with no URL and a
	// Remaining when the store takes no claims for that long (it
	// restarted and lets the owners it forgot refresh first). The error
	// is for a store that could not answer.
	Claim(ctx context.Context, p Path, url string, lease time.Duration) (o Owner, won bool, err error)
	// Refresh extends o's lease of p to lease from now if o (URL and
	// token) still owns p, or if p has no owner because the store
	// restarted less than a lease ago and forgot it; it reports whether o
	// owns p after the call.
	Refresh(ctx context.Context, p Path, o Owner, lease time.Duration) (bool, error)
	// Release ends o's ownership of p at once if o still owns it.
	Release(ctx context.Context, p Path, o Owner) error
	// Lookup returns p's owner, if it has one.
	Lookup(ctx context.Context, p Path) (Owner, bool, error)
}

// ErrLeaseLost is why an owner stops owning its path (its lease ran out
// before a refresh came back, or a refresh was refused) and why its
// publication ends when another node owns the path since.
var ErrLeaseLost = errors.New("relay: lease of the stream lost: another node may own it")

// LeaseTimes are a node's periods for its claims: each lasts Lease in the
// store and is refreshed every Refresh; a claim or look-up the store
// could not answer is tried again after Backoff's waits, never longer
// than Refresh.
type LeaseTimes struct {
	Lease, Refresh time.Duration
	Backoff        Backoff
}

// Defaults of LeaseTimes.
const (
	DefaultLease time.Duration = 10_000_000_000 // 10 s
	// minBackoffOfLeases keeps store retries from spinning.
	minBackoffOfLeases time.Duration = 50_000_000 // 50 ms
)

// WithDefaults returns t with its zero fields set: Lease 10 s, Refresh a
// third of Lease (so two refreshes may fail before the lease runs out),
// and a Backoff from a tenth of Refresh to Refresh.
func (t LeaseTimes) WithDefaults() LeaseTimes {
	if t.Lease <= 0 {
		t.Lease = DefaultLease
	}
	if t.Refresh <= 0 || t.Refresh >= t.Lease {
		t.Refresh = t.Lease / 3
	}
	if t.Backoff.Min <= 0 {
		t.Backoff.Min = max(t.Refresh/10, minBackoffOfLeases)
	}
	if t.Backoff.Max <= 0 {
		t.Backoff.Max = t.Refresh
	}
	t.Backoff = t.Backoff.WithDefaults()
	return t
}

// wait is the wait after failures failures of the store in a row.
func (t LeaseTimes) wait(failures int) time.Duration {
	return min(t.Backoff.Wait(max(failures, 1)), t.Refresh)
}
