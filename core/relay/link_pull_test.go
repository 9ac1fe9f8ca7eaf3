package relay_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/gortmp/rtmp/core/relay"
)

func TestPullsLinger(t *testing.T) {
	ps := relay.NewPulls(2 * time.Second)
	p := relay.Path{App: "live", Key: "cam"}
	if _, start := ps.Playing(p, true); start {
		t.Fatal("a path with a publisher was pulled")
	}
	gen, start := ps.Playing(p, false)
	if !start {
		t.Fatal("no pull for a player of a path without a publisher")
	}
	if _, again := ps.Playing(p, false); again {
		t.Fatal("a second pull of one path")
	}
	if _, ok := ps.Left(p, time.Second, 1); ok {
		t.Fatal("a pull with a player left lingers")
	}
	at, ok := ps.Left(p, 2*time.Second, 0)
	if !ok || at != 4*time.Second {
		t.Fatalf("linger until %v, %v; want 4s", at, ok)
	}
	if ps.Lingered(p, gen, 3*time.Second, 0) {
		t.Fatal("stopped before the linger passed")
	}
	// A player came back and left again: the first deadline is void.
	ps.Playing(p, false)
	if ps.Lingered(p, gen, 4*time.Second, 0) {
		t.Fatal("stopped while a player was back")
	}
	at, _ = ps.Left(p, 5*time.Second, 0)
	if ps.Lingered(p, gen, at-1, 0) || !ps.Lingered(p, gen, at, 0) {
		t.Fatal("the second linger did not end at its deadline")
	}
	if ps.Pulling(p) {
		t.Fatal("a stopped pull is still there")
	}
	// An old pull's end does not touch the next pull.
	next, _ := ps.Playing(p, false)
	ps.Ended(p, gen)
	if !ps.Pulling(p) || next == gen {
		t.Fatal("an old pull's end stopped the new one")
	}
}

// TestPullsProperties: whatever players do, a path has at most one pull,
// a pull starts only for a player of a path without a publisher, and it
// stops only once no player was on its path for the whole linger.
func TestPullsProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		const linger = time.Second
		ps := relay.NewPulls(linger)
		paths := []relay.Path{{App: "live", Key: "a"}, {App: "live", Key: "b"}}
		players := map[relay.Path]int{}
		gens := map[relay.Path]uint64{}
		emptySince := map[relay.Path]time.Duration{}
		var now time.Duration
		for i := range rapid.IntRange(1, 60).Draw(t, "steps") {
			now += time.Duration(rapid.IntRange(0, 1500).Draw(t, "ms")) * time.Millisecond
			p := rapid.SampledFrom(paths).Draw(t, "path")
			switch rapid.IntRange(0, 3).Draw(t, fmt.Sprint("op", i)) {
			case 0:
				publishing := rapid.Bool().Draw(t, "publishing")
				players[p]++
				had := ps.Pulling(p)
				gen, start := ps.Playing(p, publishing)
				if start && (had || publishing) {
					t.Fatalf("a pull started with had=%v publishing=%v", had, publishing)
				}
				if start {
					gens[p] = gen
				}
			case 1:
				if players[p] > 0 {
					players[p]--
				}
				if _, ok := ps.Left(p, now, players[p]); ok {
					emptySince[p] = now
				}
			case 2:
				if ps.Pulling(p) && ps.Lingered(p, gens[p], now, players[p]) {
					if players[p] > 0 || now < emptySince[p]+linger {
						t.Fatalf("stopped with %d players, %v after the last left", players[p], now-emptySince[p])
					}
				}
			case 3:
				if ps.Pulling(p) && rapid.Bool().Draw(t, "remote gone for good") {
					ps.Ended(p, gens[p])
				}
			}
		}
	})
}

func TestPullEndedAndCandidates(t *testing.T) {
	if !relay.PullEnded(fmt.Errorf("publish: %w", relay.ErrPublisherExists)) || !relay.PullEnded(relay.ErrTakenOver) || relay.PullEnded(errors.New("refused")) {
		t.Fatal("PullEnded mistook an error")
	}
	urls := []string{"rtmp://a/live", "rtmp://b/other", "rtmp://c/live"}
	apps := []string{"live", "other", "live"}
	if got := relay.PullCandidates(urls, apps, "live"); !slices.Equal(got, []string{"rtmp://a/live", "rtmp://c/live"}) {
		t.Fatalf("candidates for live: %v", got)
	}
	if got := relay.PullCandidates(urls, apps, "none"); !slices.Equal(got, urls) {
		t.Fatalf("candidates for an app no URL names: %v", got)
	}
}
