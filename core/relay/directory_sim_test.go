package relay_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gortmp/rtmp/core/relay"
)

var directorySeeds = flag.Int("directory.seeds", 300, "seeds of the directory's ownership churn simulation")

// simNode is one cluster node of the churn simulation: a publication
// that claims the path, a request to the store in flight, and the
// node's own troubles (stopped, cut off).
type simNode struct {
	url        string
	dir        relay.Directory
	claim      *relay.Claim
	pending    *simRequest
	stoppedTil time.Duration
	follow     *relay.Follow
	nextLookup time.Duration
	// calmSince is since when the node has been an edge (no claim), not
	// stopped, not cut off, with no store restart: after a few refresh
	// periods of that it must follow the path's owner.
	calmSince time.Duration
	cut       bool
}

// simRequest is a claim or refresh on its way: the store handles it at
// at, and the node hears the answer at answer.
type simRequest struct {
	refresh  bool
	sent, at time.Duration
	answer   time.Duration
	handled  bool
	// owner is the claim refreshed, then the owner a claim returned;
	// owned whether the claim won or the refresh kept it.
	owner      relay.Owner
	owned      bool
	err        error
	claimOfReq *relay.Claim
}

const (
	simTick  = 10 * time.Millisecond
	simSpan  = 60 * time.Second
	simLease = 2 * time.Second
)

// TestDirectoryChurn runs many seeds of three nodes publishing the same
// path, stopping, being stopped (as by SIGSTOP) and cut off from the
// store past their leases, while the store restarts now and then. At no
// tick may two nodes own the path, each new owner's token must be higher
// than the last, across the store's restarts, the path must find owners
// (the churn is not allowed to starve it), and a node that has been a
// calm edge (reaching the store, running) for a few refresh periods must
// pull from the owner of as long.
func TestDirectoryChurn(t *testing.T) {
	totalOwners := 0
	for seed := range *directorySeeds {
		totalOwners += churn(t, uint64(seed))
		if t.Failed() {
			return
		}
	}
	if totalOwners < *directorySeeds {
		t.Errorf("%d owners over %d seeds: the path hardly ever found an owner", totalOwners, *directorySeeds)
	}
}

// churn runs one seed and returns how many owners the path had.
func churn(t *testing.T, seed uint64) int {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	store := relay.NewMemDirectory()
	times := relay.LeaseTimes{Lease: simLease}
	path := relay.Path{App: "live", Key: "demo"}
	var nodes []*simNode
	for i := range 3 {
		url := fmt.Sprintf("rtmp://node%d", i)
		nodes = append(nodes, &simNode{url: url, dir: store.Node(url), follow: relay.NewFollow(url, times)})
	}
	ctx := context.Background()
	var lastToken uint64
	var lastOwner relay.Owner
	var ownerSince time.Duration
	owned := false
	owners := 0
	for now := time.Duration(0); now < simSpan; now += simTick {
		store.Now = now
		// The world's events.
		switch r := rng.IntN(1000); {
		case r < 2:
			store.Restart()
			for _, n := range nodes {
				n.calmSince = max(n.calmSince, now)
			}
		case r < 8:
			n := nodes[rng.IntN(len(nodes))]
			n.cut = rng.IntN(2) == 0
			store.Cut(n.url, n.cut)
			n.calmSince = max(n.calmSince, now)
		case r < 12:
			n := nodes[rng.IntN(len(nodes))]
			n.stoppedTil = now + time.Duration(rng.Int64N(int64(3*simLease)))
			n.calmSince = max(n.calmSince, n.stoppedTil)
		}
		for _, n := range nodes {
			if n.claim == nil && rng.IntN(200) == 0 && now >= n.stoppedTil {
				n.claim = relay.NewClaim(n.url, times, now)
			}
			if n.claim != nil && rng.IntN(1500) == 0 && now >= n.stoppedTil {
				if o, ok := n.claim.Release(now); ok && n.pending == nil {
					n.dir.Release(ctx, path, o)
				}
				n.claim = nil
				n.calmSince = max(n.calmSince, now)
			}
		}
		for _, n := range nodes {
			n.step(ctx, t, rng, path, now)
		}

		// The checker: one owner at most, tokens that grow, and calm edges
		// that follow an owner that has been one for a while.
		var owner *relay.Owner
		for _, n := range nodes {
			if n.claim == nil {
				continue
			}
			if o, ok := n.claim.Owns(now); ok {
				if owner != nil {
					t.Fatalf("seed %d at %v: %s and %s both own %s", seed, now, owner.URL, o.URL, path)
				}
				owner = &o
			}
		}
		if owner != nil && !owner.Same(lastOwner) {
			if owner.Token <= lastToken {
				t.Fatalf("seed %d at %v: new owner %s has token %d, not above %d", seed, now, owner.URL, owner.Token, lastToken)
			}
			lastToken, lastOwner = owner.Token, *owner
			owners++
		}
		if owner != nil && !owned {
			ownerSince = now
		}
		owned = owner != nil
		for _, n := range nodes {
			settled := 4 * times.WithDefaults().Refresh
			if owner == nil || n.claim != nil || n.cut || now-max(n.calmSince, ownerSince) < settled {
				continue
			}
			if from, ok := n.follow.Pulling(); !ok || !from.Same(*owner) {
				t.Fatalf("seed %d at %v: %s pulls from %+v (%v), not from %+v, the owner since %v", seed, now, n.url, from, ok, *owner, ownerSince)
			}
		}
	}
	return owners
}

// step runs one node for a tick: the store handles its request when it
// arrives, the node hears the answer when it comes and it runs, and its
// claim and pull decisions go on.
func (n *simNode) step(ctx context.Context, t *testing.T, rng *rand.Rand, path relay.Path, now time.Duration) {
	if rq := n.pending; rq != nil {
		if !rq.handled && now >= rq.at {
			rq.handled = true
			if rq.refresh {
				rq.owned, rq.err = n.dir.Refresh(ctx, path, rq.owner, simLease)
			} else {
				rq.owner, rq.owned, rq.err = n.dir.Claim(ctx, path, n.url, simLease)
			}
		}
		if rq.handled && now >= rq.answer && now >= n.stoppedTil {
			n.pending = nil
			if rq.claimOfReq == n.claim {
				if rq.refresh {
					n.claim.Refreshed(rq.sent, now, rq.owned, rq.err)
				} else {
					n.claim.Claimed(rq.sent, now, rq.owner, rq.owned, rq.err)
				}
			}
		}
	}
	if now < n.stoppedTil {
		return
	}
	if n.claim != nil && n.pending == nil {
		switch step, _ := n.claim.Next(now); step {
		case relay.ClaimAsk, relay.ClaimRefresh:
			d1 := time.Duration(rng.Int64N(int64(60 * time.Millisecond)))
			d2 := time.Duration(rng.Int64N(int64(60 * time.Millisecond)))
			rq := &simRequest{refresh: step == relay.ClaimRefresh, sent: now, at: now + d1, answer: now + d1 + d2, claimOfReq: n.claim}
			rq.owner, _ = n.claim.Owns(now)
			n.pending = rq
		case relay.ClaimLost:
			n.claim = nil // the node ends the publication
			n.calmSince = max(n.calmSince, now)
		}
	}
	if n.claim == nil && now >= n.nextLookup {
		o, found, err := n.dir.Lookup(ctx, path)
		step := n.follow.Looked(now, o, found, err)
		if step.Pull != nil && step.Pull.URL == n.url {
			t.Fatalf("%s follows itself", n.url)
		}
		n.nextLookup = step.Next
	}
}
