package sim_test

import (
	"slices"
	"testing"
	"time"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/core/sim"
)

// An edge pulls from a remote that refuses, then serves and vanishes
// again and again: the attempts follow relay.Retry's backoff in virtual
// time, starting again after each connection that carried media, the
// player gets each served run from a keyframe with its headers, and the
// pull stops a linger after the player left.
func TestPullFromFailingRemote(t *testing.T) {
	cfg := sim.DefaultConfig(media(t))
	cfg.Pull = &sim.Remote{
		Refuse: 3, VanishAfter: 1500 * time.Millisecond,
		Backoff: relay.Backoff{Min: 200 * time.Millisecond, Max: 500 * time.Millisecond, MaxRetries: 5},
		Linger:  time.Second,
	}
	player := sim.ClientSpec{Role: sim.Player, Key: "cam", Window: 2500000, Leave: 6 * time.Second}
	sc := sim.Scenario{Seed: 21, Clients: []sim.ClientSpec{player}}
	res := sim.Run(cfg, sc)
	if len(res.Failures) > 0 || res.Media == 0 || res.PullsStopped != 1 || res.PullsGaveUp != 0 {
		t.Fatalf("%+v\n%s", res, report(sc, res, testCommand(t)))
	}
	var gaps []time.Duration
	for i := 1; i < len(res.PullAttempts); i++ {
		gaps = append(gaps, res.PullAttempts[i]-res.PullAttempts[i-1])
	}
	// Refused, refused, refused (200, 400, 500 ms), then served for 1.5 s
	// and vanished (200 ms: the count started again), and so on.
	ms := time.Millisecond
	want := []time.Duration{200 * ms, 400 * ms, 500 * ms, 1700 * ms, 1700 * ms}
	if len(gaps) < len(want) || !slices.Equal(gaps[:len(want)], want) {
		t.Fatalf("attempts %v apart, want %v first", gaps, want)
	}
	// The player was told of each served run's start and end.
	if res.Notices < 4 {
		t.Fatalf("the player saw %d publisher changes, want at least 4", res.Notices)
	}
}

// A remote that never serves: the edge gives up after MaxRetries
// failures in a row, its waits doubling up to the bound.
func TestPullGivesUp(t *testing.T) {
	cfg := sim.DefaultConfig(media(t))
	cfg.Pull = &sim.Remote{Refuse: 1 << 20, Backoff: relay.Backoff{Min: 100 * time.Millisecond, Max: 300 * time.Millisecond, MaxRetries: 3}}
	sc := sim.Scenario{Seed: 22, Clients: []sim.ClientSpec{{Role: sim.Player, Key: "cam", Window: 2500000}}}
	res := sim.Run(cfg, sc)
	if len(res.Failures) > 0 || res.PullsGaveUp != 1 || res.Media != 0 {
		t.Fatalf("%+v\n%s", res, report(sc, res, testCommand(t)))
	}
	var gaps []time.Duration
	for i := 1; i < len(res.PullAttempts); i++ {
		gaps = append(gaps, res.PullAttempts[i]-res.PullAttempts[i-1])
	}
	if want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond}; !slices.Equal(gaps, want) {
		t.Fatalf("attempts %v apart, want %v", gaps, want)
	}
}
