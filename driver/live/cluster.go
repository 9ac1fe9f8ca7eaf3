package live

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/dial"
)

// ClusterConfig makes a Relay a node of a cluster whose nodes find each
// other's streams through a shared directory (see driver/cluster): a
// network publish claims its path for this node, and a network play of a
// path not published here pulls it from its owner, following it when the
// publisher moves to another node.
type ClusterConfig struct {
	// Directory is the shared store, such as a *cluster.Redis.
	Directory relay.Directory
	// Advertise is this node's rtmp://HOST:PORT as the other nodes dial
	// it.
	Advertise string
	// Lease, Refresh and the backoff of failed store calls; see
	// relay.LeaseTimes for the defaults.
	Times relay.LeaseTimes
	// Timeout bounds each call to the directory; default 1 s.
	Timeout time.Duration
}

// ClusterStats counts what a cluster node did so far.
type ClusterStats struct {
	// Owned are the paths this node owns now, sorted.
	Owned []relay.Path
	// DirectoryPulls counts pull connections started to an owner the
	// directory named: one per owner followed, and one per reconnection
	// to it.
	DirectoryPulls uint64
	// LeaseLosses counts the times this node stopped owning a path it
	// published: a lease that ran out before a refresh came back (the
	// directory unreachable, the node stopped) or a refresh refused. The
	// publication goes on if the node's next claim wins, and ends if
	// another node owns the path.
	LeaseLosses uint64
	// StoreFailures counts directory calls that failed.
	StoreFailures uint64
}

// clusterNode carries out a node's claims; each claimed path has one
// goroutine, which asks its relay.Claim what to do and when.
type clusterNode struct {
	l     *Links
	cfg   ClusterConfig
	mu    sync.Mutex
	runs  map[relay.Path]*claimRun
	pulls atomic.Uint64
	lost  atomic.Uint64
	fails atomic.Uint64
}

// claimRun is one publication's claim.
type claimRun struct {
	mu    sync.Mutex // guards claim and publisher
	claim *relay.Claim
	// publisher is the network publisher the claim is for; a takeover
	// on this node moves the claim to the new one.
	publisher relay.ClientID
	ended     chan struct{}
	endOnce   sync.Once
}

func newClusterNode(l *Links, cfg ClusterConfig) (*clusterNode, error) {
	u, err := url.Parse(cfg.Advertise)
	if err != nil || !strings.HasPrefix(u.Scheme, "rtmp") || u.Host == "" || strings.Trim(u.Path, "/") != "" || u.RawQuery != "" {
		return nil, fmt.Errorf("advertise %q: give rtmp://HOST:PORT, what the other nodes dial", cfg.Advertise)
	}
	if _, err := dial.ParseURL(cfg.Advertise + "/app"); err != nil {
		return nil, fmt.Errorf("advertise %q: %w", cfg.Advertise, err)
	}
	if cfg.Directory == nil {
		return nil, fmt.Errorf("cluster: no directory")
	}
	cfg.Advertise = strings.TrimSuffix(cfg.Advertise, "/")
	cfg.Times = cfg.Times.WithDefaults()
	if cfg.Timeout <= 0 {
		cfg.Timeout = time.Second
	}
	return &clusterNode{l: l, cfg: cfg, runs: map[relay.Path]*claimRun{}}, nil
}

// call runs one directory call under the timeout and counts failures.
func (n *clusterNode) call(fn func(ctx context.Context) error) error {
	ctx, cancel := context.WithTimeout(n.l.ctx, n.cfg.Timeout)
	defer cancel()
	err := fn(ctx)
	if err != nil {
		n.fails.Add(1)
	}
	return err
}

// published takes a network publisher starting on p: it claims p, or
// takes over the claim of the publisher it replaced.
func (n *clusterNode) published(p relay.Path, id relay.ClientID) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if cr := n.runs[p]; cr != nil {
		cr.mu.Lock()
		cr.publisher = id
		cr.mu.Unlock()
		return
	}
	cr := &claimRun{claim: relay.NewClaim(n.cfg.Advertise, n.cfg.Times, n.l.now()), publisher: id, ended: make(chan struct{})}
	n.l.mu.Lock()
	defer n.l.mu.Unlock()
	if n.l.start(func() { n.run(p, cr) }) {
		n.runs[p] = cr
	}
}

// left takes a network publisher leaving p: its claim is released.
func (n *clusterNode) left(p relay.Path, id relay.ClientID) {
	n.mu.Lock()
	cr := n.runs[p]
	if cr == nil {
		n.mu.Unlock()
		return
	}
	cr.mu.Lock()
	if cr.publisher != id {
		cr.mu.Unlock()
		n.mu.Unlock()
		return
	}
	delete(n.runs, p)
	o, owned := cr.claim.Release(n.l.now())
	cr.mu.Unlock()
	n.mu.Unlock()
	cr.endOnce.Do(func() { close(cr.ended) })
	if owned {
		// At once, so another node's claim need not wait for the lease.
		n.l.mu.Lock()
		n.l.start(func() { n.release(p, o) })
		n.l.mu.Unlock()
	}
}

// release gives p's claim o up in the directory.
func (n *clusterNode) release(p relay.Path, o relay.Owner) {
	if err := n.call(func(ctx context.Context) error { return n.cfg.Directory.Release(ctx, p, o) }); err != nil {
		n.l.cfg.Logger.Warn("cluster: release failed; the lease will expire", "path", p.String(), "err", err)
	}
}

// run claims and refreshes p for cr until the publication ends or the
// lease is lost.
func (n *clusterNode) run(p relay.Path, cr *claimRun) {
	log := n.l.cfg.Logger.With("path", p.String())
	for {
		cr.mu.Lock()
		step, at := cr.claim.Next(n.l.now())
		owner, _ := cr.claim.Owns(n.l.now())
		cr.mu.Unlock()
		switch step {
		case relay.ClaimDone:
			return
		case relay.ClaimWait:
			if !pause(n.l.ctx, at-n.l.now(), cr.ended) {
				return
			}
		case relay.ClaimAsk:
			sent := n.l.now()
			var o relay.Owner
			var won bool
			err := n.call(func(ctx context.Context) (err error) {
				o, won, err = n.cfg.Directory.Claim(ctx, p, n.cfg.Advertise, n.cfg.Times.Lease)
				return err
			})
			cr.mu.Lock()
			cr.claim.Claimed(sent, n.l.now(), o, won, err)
			failures := cr.claim.Failures()
			released := cr.claim.Released()
			cr.mu.Unlock()
			if won && released {
				// The publication ended while its claim was on its way.
				n.release(p, o)
				return
			}
			switch {
			case err != nil:
				log.Warn("cluster: claim failed; retrying", "err", err, "failures", failures)
			case won:
				log.Info("cluster: owning the stream", "token", o.Token)
			case o.URL != "":
				log.Info("cluster: the stream has another owner; claiming again when its lease ends", "owner", o.URL, "in", o.Remaining)
			default:
				log.Info("cluster: the directory takes no claims yet (it restarted)", "for", o.Remaining)
			}
		case relay.ClaimRefresh:
			sent := n.l.now()
			var owned bool
			err := n.call(func(ctx context.Context) (err error) {
				owned, err = n.cfg.Directory.Refresh(ctx, p, owner, n.cfg.Times.Lease)
				return err
			})
			cr.mu.Lock()
			cr.claim.Refreshed(sent, n.l.now(), owned, err)
			cr.mu.Unlock()
			if err != nil {
				log.Warn("cluster: refresh failed; retrying while the lease lasts", "err", err)
			}
		case relay.ClaimLapsed:
			n.lost.Add(1)
			log.Warn("cluster: lease lost; no longer the owner, claiming again", "err", relay.ErrLeaseLost)
		case relay.ClaimLost:
			cr.mu.Lock()
			id := cr.publisher
			cr.mu.Unlock()
			log.Warn("cluster: another node owns the stream; ending the publication", "err", relay.ErrLeaseLost)
			n.mu.Lock()
			if n.runs[p] == cr {
				delete(n.runs, p)
			}
			n.mu.Unlock()
			n.l.r.endPublisher(p, id, relay.ErrLeaseLost)
			return
		}
	}
}

// owned returns the paths this node owns now.
func (n *clusterNode) owned() []relay.Path {
	n.mu.Lock()
	defer n.mu.Unlock()
	now := n.l.now()
	var out []relay.Path
	for p, cr := range n.runs {
		cr.mu.Lock()
		if _, ok := cr.claim.Owns(now); ok {
			out = append(out, p)
		}
		cr.mu.Unlock()
	}
	sortPaths(out)
	return out
}

// ClusterStats returns the node's counters, or false when the links are
// not a cluster node's.
func (l *Links) ClusterStats() (ClusterStats, bool) {
	n := l.cluster
	if n == nil {
		return ClusterStats{}, false
	}
	return ClusterStats{Owned: n.owned(), DirectoryPulls: n.pulls.Load(), LeaseLosses: n.lost.Load(), StoreFailures: n.fails.Load()}, true
}

// endPublisher disconnects p's network publisher id, if it still
// publishes p, for reason.
func (r *Relay) endPublisher(p relay.Path, id relay.ClientID, reason error) {
	st := r.known(p)
	if st == nil {
		return
	}
	pub := st.pub
	st.mu.Unlock()
	if pub.id == id && pub.c != nil {
		pub.c.CloseFor(reason)
	}
}

// ClusterStats returns the cluster node's counters, or false when the
// relay is not a cluster node.
func (r *Relay) ClusterStats() (ClusterStats, bool) {
	l := r.links.Load()
	if l == nil {
		return ClusterStats{}, false
	}
	return l.ClusterStats()
}
