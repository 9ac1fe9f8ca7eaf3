package relay_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gortmp/rtmp/core/relay"
)

// TestClaimFailover: an owner that stops refreshing (stopped, or cut off)
// gives its lease up before the store does, and another node's claim
// wins once the store's lease ran out, within a refresh period of it;
// the old owner's claim again then finds the path lost.
func TestClaimFailover(t *testing.T) {
	ctx := context.Background()
	store := relay.NewMemDirectory()
	times := relay.LeaseTimes{Lease: 2 * time.Second}
	p := relay.Path{App: "live", Key: "demo"}
	// Past the store's first-start grace.
	store.Now = 3 * time.Second
	store.Node("a").Claim(ctx, relay.Path{App: "warm", Key: "up"}, "a", times.Lease)
	store.Now = 6 * time.Second

	a := relay.NewClaim("a", times, store.Now)
	if step, _ := a.Next(store.Now); step != relay.ClaimAsk {
		t.Fatalf("a new claim's first step is %v, not ClaimAsk", step)
	}
	o, won, err := store.Node("a").Claim(ctx, p, "a", times.Lease)
	a.Claimed(store.Now, store.Now, o, won, err)
	if _, owns := a.Owns(store.Now); !owns {
		t.Fatalf("a does not own %s after its claim won (%+v)", p, o)
	}
	claimedAt := store.Now

	b := relay.NewClaim("b", times, store.Now)
	var bWonAt time.Duration
	for store.Now = claimedAt; store.Now < claimedAt+10*time.Second && bWonAt == 0; store.Now += 10 * time.Millisecond {
		if _, aOwns := a.Owns(store.Now); aOwns {
			if _, bOwns := b.Owns(store.Now); bOwns {
				t.Fatalf("at %v a and b both own %s", store.Now, p)
			}
		}
		if step, _ := b.Next(store.Now); step == relay.ClaimAsk {
			o, won, err := store.Node("b").Claim(ctx, p, "b", times.Lease)
			b.Claimed(store.Now, store.Now, o, won, err)
			if _, owns := b.Owns(store.Now); owns {
				bWonAt = store.Now
			}
		}
	}
	if bWonAt == 0 {
		t.Fatal("b never claimed the path a stopped refreshing")
	}
	if d := bWonAt - claimedAt; d < times.Lease || d > times.Lease+times.WithDefaults().Refresh {
		t.Errorf("b won %v after a's claim; want within [lease, lease+refresh] = [%v, %v]", d, times.Lease, times.Lease+times.WithDefaults().Refresh)
	}
	if step, _ := a.Next(store.Now); step != relay.ClaimLapsed {
		t.Errorf("a's step after its lease ran out is %v, not ClaimLapsed", step)
	}
	if step, _ := a.Next(store.Now); step != relay.ClaimAsk {
		t.Fatalf("a's step after its lapse is %v, not ClaimAsk", step)
	}
	o2, won, err := store.Node("a").Claim(ctx, p, "a", times.Lease)
	a.Claimed(store.Now, store.Now, o2, won, err)
	if step, _ := a.Next(store.Now); step != relay.ClaimLost || a.Losses() != 1 {
		t.Errorf("a's step after b's claim won: %v (losses %d), not ClaimLost after one loss", step, a.Losses())
	}
	if ok, _ := store.Node("a").Refresh(ctx, p, o, times.Lease); ok {
		t.Error("a's stale refresh kept a path b owns")
	}
}

// TestClaimRelease: a clean end releases the claim at once, so the next
// claim wins without waiting for the lease.
func TestClaimRelease(t *testing.T) {
	ctx := context.Background()
	store := relay.NewMemDirectory()
	store.Now = 10 * time.Second
	times := relay.LeaseTimes{Lease: 2 * time.Second}
	p := relay.Path{App: "live", Key: "demo"}
	store.Node("x").Refresh(ctx, relay.Path{App: "warm", Key: "up"}, relay.Owner{}, times.Lease) // starts the store
	store.Now += 3 * time.Second
	a := relay.NewClaim("a", times, store.Now)
	o, won, err := store.Node("a").Claim(ctx, p, "a", times.Lease)
	a.Claimed(store.Now, store.Now, o, won, err)
	owner, ok := a.Release(store.Now)
	if !ok {
		t.Fatal("a's release names no owner to release")
	}
	if err := store.Node("a").Release(ctx, p, owner); err != nil {
		t.Fatal(err)
	}
	o2, won, err := store.Node("b").Claim(ctx, p, "b", times.Lease)
	if err != nil || !won || o2.Token <= o.Token {
		t.Errorf("claim after release: %+v won %v err %v; want b winning with a token above %d", o2, won, err, o.Token)
	}
	if step, _ := a.Next(store.Now); step != relay.ClaimDone {
		t.Errorf("a released: step %v, not ClaimDone", step)
	}
}

// TestStoreRestartGrace: a restarted store takes no claims for a lease,
// and an owner that refreshes in that time keeps its path.
func TestStoreRestartGrace(t *testing.T) {
	ctx := context.Background()
	store := relay.NewMemDirectory()
	lease := 2 * time.Second
	p := relay.Path{App: "live", Key: "demo"}
	store.Now = 5 * time.Second
	store.Node("a").Claim(ctx, p, "a", lease)
	store.Now += lease
	o, won, _ := store.Node("a").Claim(ctx, p, "a", lease)
	if !won {
		t.Fatalf("a's claim after the grace lost to %+v", o)
	}
	store.Restart()
	store.Now += 100 * time.Millisecond
	if b, won, err := store.Node("b").Claim(ctx, p, "b", lease); won || err != nil || b.Remaining != lease {
		t.Errorf("b's claim right after a restart: %+v won %v err %v; want refused for a lease", b, won, err)
	}
	if ok, err := store.Node("a").Refresh(ctx, p, o, lease); !ok || err != nil {
		t.Errorf("a's refresh in the grace: %v %v; want its path kept", ok, err)
	}
	store.Now += time.Second
	store.Node("a").Refresh(ctx, p, o, lease)
	store.Now += time.Second + 500*time.Millisecond
	if b, won, _ := store.Node("b").Claim(ctx, p, "b", lease); won || !b.Same(o) {
		t.Errorf("b's claim after the grace: %+v won %v; want a (%+v) still the owner", b, won, o)
	}
}

// TestFollow: a pull follows the directory's owner, keeps on when the
// store fails or names nobody, and stops when this node owns the path.
func TestFollow(t *testing.T) {
	times := relay.LeaseTimes{Lease: 3 * time.Second}
	refresh := times.WithDefaults().Refresh
	f := relay.NewFollow("c", times)
	a := relay.Owner{URL: "a", Token: 1}
	b := relay.Owner{URL: "b", Token: 2}
	type want struct {
		Pull *relay.Owner
		Stop bool
		Next time.Duration
	}
	got := func(s relay.FollowStep) want { return want{s.Pull, s.Stop, s.Next} }
	steps := []struct {
		name  string
		step  relay.FollowStep
		wants want
	}{
		{"nobody owns", f.Looked(0, relay.Owner{}, false, nil), want{Next: refresh}},
		{"a owns", f.Looked(refresh, a, true, nil), want{Pull: &a, Next: 2 * refresh}},
		{"a still", f.Looked(2*refresh, a, true, nil), want{Next: 3 * refresh}},
		{"store down", f.Looked(3*refresh, relay.Owner{}, false, errors.New("down")), want{Next: 3*refresh + times.WithDefaults().Backoff.Min}},
		{"b owns", f.Looked(4*refresh, b, true, nil), want{Pull: &b, Next: 5 * refresh}},
		{"nobody again", f.Looked(5*refresh, relay.Owner{}, false, nil), want{Next: 6 * refresh}},
		{"c owns", f.Looked(6*refresh, relay.Owner{URL: "c", Token: 3}, true, nil), want{Stop: true, Next: 7 * refresh}},
	}
	for _, s := range steps {
		if diff := cmp.Diff(s.wants, got(s.step)); diff != "" {
			t.Errorf("%s: step (-want +got):\n%s", s.name, diff)
		}
	}
	f.Looked(8*refresh, a, true, nil)
	next := f.PullEnded(8*refresh, true)
	if next <= 8*refresh || next > 9*refresh {
		t.Errorf("after the pull ended the next look-up is at %v; want within a refresh (%v)", next, refresh)
	}
	if s := f.Looked(next, a, true, nil); s.Pull == nil {
		t.Error("the owner whose pull ended is not pulled again")
	}
}

// TestClaimLapseAndBack: an owner cut off from the store past its lease
// stops owning the path, and owns it again with a newer token when it
// reaches the store again and nobody took the path meanwhile: its
// publication goes on.
func TestClaimLapseAndBack(t *testing.T) {
	ctx := context.Background()
	store := relay.NewMemDirectory()
	times := relay.LeaseTimes{Lease: 2 * time.Second}
	p := relay.Path{App: "live", Key: "demo"}
	store.Now = 10 * time.Second
	store.Node("a").Claim(ctx, relay.Path{App: "warm", Key: "up"}, "a", times.Lease)
	store.Now += 3 * time.Second
	a := relay.NewClaim("a", times, store.Now)
	o, won, err := store.Node("a").Claim(ctx, p, "a", times.Lease)
	a.Claimed(store.Now, store.Now, o, won, err)
	store.Cut("a", true)
	var steps []relay.ClaimStep
	for end := store.Now + 6*time.Second; store.Now < end; store.Now += 100 * time.Millisecond {
		switch step, _ := a.Next(store.Now); step {
		case relay.ClaimRefresh:
			current, _ := a.Owns(store.Now)
			owned, err := store.Node("a").Refresh(ctx, p, current, times.Lease)
			a.Refreshed(store.Now, store.Now, owned, err)
		case relay.ClaimAsk:
			steps = append(steps, step)
			if store.Now > end-2*time.Second {
				store.Cut("a", false)
			}
			o2, won, err := store.Node("a").Claim(ctx, p, "a", times.Lease)
			a.Claimed(store.Now, store.Now, o2, won, err)
		case relay.ClaimLapsed, relay.ClaimLost, relay.ClaimDone:
			steps = append(steps, step)
		}
	}
	got, owns := a.Owns(store.Now)
	if !owns || got.Token <= o.Token || a.Losses() != 1 {
		t.Errorf("after the cut: owns %v with %+v (first %+v), %d losses; want owned again, newer token, one loss", owns, got, o, a.Losses())
	}
	if len(steps) < 2 || steps[0] != relay.ClaimLapsed || slices.Contains(steps, relay.ClaimLost) {
		t.Errorf("steps %v; want a lapse, claims again, no loss of the publication", steps)
	}
}
