package sim_test

import (
	"testing"
	"time"

	"github.com/gortmp/rtmp/core/sim"
)

// Scenarios of the relay's decisions, which the simulated server takes
// from core/relay as rtmpd does: a bug there fails them.
func TestRelayDecisions(t *testing.T) {
	cfg := sim.DefaultConfig(media(t))
	last := time.Duration(cfg.Media[len(cfg.Media)-1].Timestamp) * time.Millisecond
	pub := sim.ClientSpec{Role: sim.Publisher, Key: "cam", Start: 100 * time.Millisecond, Window: 2500000}
	player := sim.ClientSpec{Role: sim.Player, Key: "cam", Window: 2500000}

	// A player joining a live stream starts with the fast start: each
	// track's sequence header before its first frame (checkMedia).
	t.Run("a late player starts with the sequence headers", func(t *testing.T) {
		late := player
		late.Start = last / 2
		sc := sim.Scenario{Seed: 11, Clients: []sim.ClientSpec{pub, late}}
		res := sim.Run(cfg, sc)
		if len(res.Failures) > 0 || res.Media == 0 || res.Dropped != 0 {
			t.Fatalf("%+v\n%s", res, report(sc, res, testCommand(t)))
		}
	})
	// A player waiting through two publishers is told the first stopped
	// and the second started, and gets each one's media from a keyframe.
	t.Run("a republished path notifies its players", func(t *testing.T) {
		again := pub
		again.Start = last + 3*time.Second
		sc := sim.Scenario{Seed: 12, Clients: []sim.ClientSpec{player, pub, again}}
		res := sim.Run(cfg, sc)
		if len(res.Failures) > 0 || res.Notices != 4 || res.TakenOver != 0 {
			t.Fatalf("want 4 notices (publish, unpublish, publish, unpublish), got %d\n%s", res.Notices, report(sc, res, testCommand(t)))
		}
	})
	// A publisher taken over is told and disconnected; the player is told
	// once, that a publisher started, and goes on.
	t.Run("a takeover tells the old publisher and the players", func(t *testing.T) {
		second := pub
		second.Start = last / 2
		sc := sim.Scenario{Seed: 13, Clients: []sim.ClientSpec{player, pub, second}}
		res := sim.Run(cfg, sc)
		if len(res.Failures) > 0 || res.TakenOver != 1 || res.Notices != 3 {
			t.Fatalf("want 1 takeover and 3 notices (publish, publish, unpublish), got %d and %d\n%s", res.TakenOver, res.Notices, report(sc, res, testCommand(t)))
		}
	})
}
