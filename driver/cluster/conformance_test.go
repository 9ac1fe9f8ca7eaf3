package cluster_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/cluster"
	"github.com/gortmp/rtmp/driver/internal/redistest"
)

// storeStep is one step of a script run against a store: a call by a
// node, a wait, or the store's restart.
type storeStep struct {
	op   string // claim, refresh, release, lookup, wait, restart
	node string
	path string
	wait time.Duration
	// owner, for refresh and release, names the claim (by the step
	// number of the claim that won it) whose token is used.
	owner int
}

// storeResult is what a step returned, with tokens replaced by the step
// that first got them, so two stores' answers compare.
type storeResult struct {
	URL   string
	Won   bool
	Found bool
	Err   bool
	// Claim is the step whose claim the returned owner is, or -1.
	Claim int
	// Newer: the token is above every token returned before.
	Newer bool
}

// runScript runs steps against a store: call for each call, advance to
// wait and restart for the others.
func runScript(steps []storeStep, dir func(node string) relay.Directory, advance func(time.Duration), restart func()) []storeResult {
	ctx := context.Background()
	const lease = 500 * time.Millisecond
	owners := map[int]relay.Owner{}
	var highest uint64
	var out []storeResult
	name := func(o relay.Owner) int {
		for i, w := range owners {
			if w.Same(o) {
				return i
			}
		}
		return -1
	}
	for i, s := range steps {
		p := relay.Path{App: "live", Key: s.path}
		var r storeResult
		var o relay.Owner
		var err error
		switch s.op {
		case "claim":
			o, r.Won, err = dir(s.node).Claim(ctx, p, "rtmp://"+s.node, lease)
			if r.Won {
				owners[i] = o
			}
		case "refresh":
			r.Won, err = dir(s.node).Refresh(ctx, p, owners[s.owner], lease)
		case "release":
			err = dir(s.node).Release(ctx, p, owners[s.owner])
		case "lookup":
			o, r.Found, err = dir(s.node).Lookup(ctx, p)
		case "wait":
			advance(s.wait)
		case "restart":
			restart()
		}
		r.URL, r.Err, r.Claim = o.URL, err != nil, name(o)
		if o.Token > highest {
			r.Newer, highest = true, o.Token
		}
		out = append(out, r)
	}
	return out
}

// TestRedisLikeMemDirectory runs one script of claims, refreshes,
// releases, look-ups, expiries and a restart against redis-server and
// against relay.MemDirectory, the simulation's fake: their answers must
// be the same.
func TestRedisLikeMemDirectory(t *testing.T) {
	steps := []storeStep{
		{op: "claim", node: "a", path: "x"},              // 0: refused, fresh store
		{op: "wait", wait: 600 * time.Millisecond},       // 1
		{op: "claim", node: "a", path: "x"},              // 2: a wins
		{op: "claim", node: "b", path: "x"},              // 3: a owns
		{op: "claim", node: "b", path: "y"},              // 4: b wins y
		{op: "lookup", node: "c", path: "x"},             // 5: a
		{op: "refresh", node: "a", path: "x", owner: 2},  // 6: kept
		{op: "refresh", node: "b", path: "x", owner: 4},  // 7: not b's
		{op: "wait", wait: 300 * time.Millisecond},       // 8
		{op: "refresh", node: "a", path: "x", owner: 2},  // 9: kept
		{op: "wait", wait: 300 * time.Millisecond},       // 10: y expired, x not
		{op: "lookup", node: "c", path: "y"},             // 11: nobody
		{op: "lookup", node: "c", path: "x"},             // 12: a
		{op: "refresh", node: "b", path: "y", owner: 4},  // 13: too late
		{op: "release", node: "a", path: "x", owner: 2},  // 14
		{op: "claim", node: "b", path: "x"},              // 15: b wins, newer token
		{op: "release", node: "a", path: "x", owner: 2},  // 16: not a's any more
		{op: "lookup", node: "c", path: "x"},             // 17: b
		{op: "restart"},                                  // 18
		{op: "lookup", node: "c", path: "x"},             // 19: forgotten
		{op: "claim", node: "a", path: "x"},              // 20: refused, grace
		{op: "refresh", node: "b", path: "x", owner: 15}, // 21: b writes it back
		{op: "lookup", node: "c", path: "x"},             // 22: b
		{op: "wait", wait: 600 * time.Millisecond},       // 23: b's lease and the grace over
		{op: "claim", node: "a", path: "x"},              // 24: a wins, token above b's
	}

	mem := relay.NewMemDirectory()
	mem.Now = time.Hour
	want := runScript(steps, mem.Node, func(d time.Duration) { mem.Now += d }, mem.Restart)

	srv := redistest.Start(t)
	r, err := cluster.Open(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := runScript(steps, func(string) relay.Directory { return r }, time.Sleep, func() {
		srv.Restart()
		// The client's pooled connections died with the server: the first
		// call after a restart may fail, which the directory's users retry.
		for range 10 {
			if err := r.Ping(context.Background()); err == nil || !errors.Is(err, cluster.ErrStore) {
				return
			}
		}
	})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("redis-server answers differently from MemDirectory (-mem +redis):\n%s", diff)
		for i, s := range steps {
			t.Log(fmt.Sprint(i), s.op, s.node, s.path)
		}
	}
	if !want[2].Won || want[3].Won || !want[15].Newer || !want[24].Newer || want[20].Won || !want[21].Won {
		t.Errorf("the script's key steps did not go as designed: %+v", want)
	}
}
