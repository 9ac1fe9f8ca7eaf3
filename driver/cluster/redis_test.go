package cluster_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/cluster"
	"github.com/gortmp/rtmp/driver/internal/redistest"
)

// TestRedisDirectory runs a path's ownership through a real redis-server:
// the grace after the store's start, a claim that wins, a second that
// does not, compare-and-refresh by token, release, expiry, a restart
// that the owner survives by refreshing in the grace, tokens that keep
// growing across it, and clear errors while the store is down.
func TestRedisDirectory(t *testing.T) {
	srv := redistest.Start(t)
	dir, err := cluster.Open(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	ctx := context.Background()
	p := relay.Path{App: "live", Key: "demo"}
	lease := 400 * time.Millisecond

	// A fresh store takes no claim for a lease.
	o, won, err := dir.Claim(ctx, p, "rtmp://a", lease)
	if err != nil || won || o.URL != "" || o.Remaining <= 0 {
		t.Fatalf("claim on a fresh store: %+v won %v err %v; want refused for a while", o, won, err)
	}
	time.Sleep(o.Remaining + 10*time.Millisecond) // the store's own timer; nothing to poll

	a, won, err := dir.Claim(ctx, p, "rtmp://a", lease)
	if err != nil || !won || a.URL != "rtmp://a" || a.Token == 0 {
		t.Fatalf("a's claim: %+v won %v err %v", a, won, err)
	}
	if b, won, err := dir.Claim(ctx, p, "rtmp://b", lease); err != nil || won || !b.Same(a) || b.Remaining <= 0 {
		t.Fatalf("b's claim of a's path: %+v won %v err %v; want a named", b, won, err)
	}
	if got, found, err := dir.Lookup(ctx, p); err != nil || !found || !got.Same(a) {
		t.Fatalf("look-up: %+v %v %v; want %+v", got, found, err, a)
	}
	stale := a
	stale.Token--
	if ok, err := dir.Refresh(ctx, p, stale, lease); err != nil || ok {
		t.Fatalf("refresh with a stale token: %v %v; want refused", ok, err)
	}
	if ok, err := dir.Refresh(ctx, p, a, lease); err != nil || !ok {
		t.Fatalf("a's refresh: %v %v", ok, err)
	}

	// Release frees the path at once; the next owner's token is higher.
	if err := dir.Release(ctx, p, a); err != nil {
		t.Fatal(err)
	}
	b, won, err := dir.Claim(ctx, p, "rtmp://b", lease)
	if err != nil || !won || b.Token <= a.Token {
		t.Fatalf("b's claim after a's release: %+v won %v err %v; want a token above %d", b, won, err, a.Token)
	}

	// Expiry frees it too, and a late refresh does not take it back.
	time.Sleep(lease + 50*time.Millisecond)
	if _, found, err := dir.Lookup(ctx, p); err != nil || found {
		t.Fatalf("look-up after the lease: found %v err %v; want nobody", found, err)
	}
	if ok, err := dir.Refresh(ctx, p, b, lease); err != nil || ok {
		t.Fatalf("refresh after expiry: %v %v; want refused", ok, err)
	}
	c, won, err := dir.Claim(ctx, p, "rtmp://c", lease)
	if err != nil || !won || c.Token <= b.Token {
		t.Fatalf("c's claim: %+v won %v err %v", c, won, err)
	}

	// Down: clear errors, no panic.
	srv.Stop()
	if _, _, err := dir.Lookup(ctx, p); !errors.Is(err, cluster.ErrStore) {
		t.Fatalf("look-up with the store down: %v; want ErrStore", err)
	}
	if _, _, err := dir.Claim(ctx, p, "rtmp://d", lease); !errors.Is(err, cluster.ErrStore) {
		t.Fatalf("claim with the store down: %v; want ErrStore", err)
	}

	// Restarted empty: c refreshes in the grace and keeps the path; d's
	// claim is refused; tokens stay above c's.
	srv.Start()
	if ok, err := dir.Refresh(ctx, p, c, lease); err != nil || !ok {
		t.Fatalf("c's refresh after the restart: %v %v; want kept", ok, err)
	}
	if d, won, err := dir.Claim(ctx, p, "rtmp://d", lease); err != nil || won || d.URL != "" {
		t.Fatalf("d's claim in the grace: %+v won %v err %v; want refused", d, won, err)
	}
	if err := dir.Release(ctx, p, c); err != nil {
		t.Fatal(err)
	}
	time.Sleep(lease + 10*time.Millisecond)
	d, won, err := dir.Claim(ctx, p, "rtmp://d", lease)
	if err != nil || !won || d.Token <= c.Token {
		t.Fatalf("d's claim after the grace: %+v won %v err %v; want a token above %d", d, won, err, c.Token)
	}
}
