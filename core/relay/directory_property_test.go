package relay_test

import (
	"errors"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/gortmp/rtmp/core/relay"
)

// TestClaimNeverOwnsPastItsLease: whatever the store answers and however
// late, a Claim owns its path only before the lease counted from the
// sending of its last successful claim or refresh runs out, never after a
// refresh was refused unless a later claim won, says ClaimLost once and
// then is done, and never asks to wait for a time already past.
func TestClaimNeverOwnsPastItsLease(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		lease := time.Duration(rapid.Int64Range(int64(100*time.Millisecond), int64(10*time.Second)).Draw(t, "lease"))
		c := relay.NewClaim("a", relay.LeaseTimes{Lease: lease}, 0)
		now := time.Duration(0)
		var lastGood time.Duration
		good, lostSaid := false, false
		refusedAt := time.Duration(-1)
		for i := range rapid.IntRange(1, 60).Draw(t, "steps") {
			now += share(lease).Draw(t, "advance")
			step, at := c.Next(now)
			switch step {
			case relay.ClaimWait:
				if at <= now {
					t.Fatalf("step %d: wait until %v at %v", i, at, now)
				}
			case relay.ClaimAsk, relay.ClaimRefresh:
				sent := now
				now += share(lease).Draw(t, "latency")
				var err error
				ok := false
				other := relay.Owner{URL: "a", Token: 7} // its own stale claim
				switch rapid.IntRange(0, 3).Draw(t, "answer") {
				case 0:
					ok = true
				case 2:
					err = errors.New("store down")
				case 3:
					other = relay.Owner{URL: "b", Token: 9}
				}
				if step == relay.ClaimAsk {
					c.Claimed(sent, now, relay.Owner{URL: "a", Token: 8}, ok, nil)
					if !ok {
						c.Claimed(sent, now, other, false, err)
					}
				} else {
					c.Refreshed(sent, now, ok, err)
					if !ok && err == nil {
						refusedAt = sent
					}
				}
				if ok {
					good, lastGood = true, max(lastGood, sent)
				}
			case relay.ClaimLost:
				if lostSaid {
					t.Fatalf("step %d: ClaimLost said twice", i)
				}
				lostSaid = true
			case relay.ClaimDone:
				if !lostSaid {
					t.Fatalf("step %d: done without a loss or a release", i)
				}
			}
			if _, owns := c.Owns(now); owns && (!good || lostSaid || now >= lastGood+lease || refusedAt >= lastGood) {
				t.Fatalf("step %d: owns at %v; last success sent at %v (%v), lease %v, refused at %v, lost %v", i, now, lastGood, good, lease, refusedAt, lostSaid)
			}
		}
	})
}

// share draws a share of d, from none to nearly all of it: a few shares
// that land on either side of a claim's refresh and lease deadlines,
// which small random numbers alone seldom reach.
func share(d time.Duration) *rapid.Generator[time.Duration] {
	return rapid.Custom(func(t *rapid.T) time.Duration {
		tenths := rapid.SampledFrom([]time.Duration{0, 1, 3, 4, 6, 9}).Draw(t, "tenths")
		return d*tenths/10 + time.Duration(rapid.Int64Range(0, int64(d/20)).Draw(t, "jitter"))
	})
}
