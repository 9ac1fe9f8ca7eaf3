package sim_test

import (
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/driver/sim"
)

var (
	oneSeed = flag.Uint64("sim.seed", 0, "run only this simulation seed")
	seeds   = flag.Int("sim.seeds", 500, "how many seeds TestSeeds runs")
)

func media(t testing.TB) []flv.Tag {
	t.Helper()
	tags, err := sim.ReadFLV("../../testdata/media/h264-aac-320x240.flv")
	if err != nil {
		t.Fatal(err)
	}
	return tags
}

func report(sc sim.Scenario, res sim.Result) string {
	return fmt.Sprintf("%v\nfailures:\n  %s\nlast events:\n  %s\nreplay: go test ./driver/sim/ -run TestSeeds -sim.seed=%d",
		sc, strings.Join(res.Failures, "\n  "), strings.Join(res.Trace, "\n  "), sc.Seed)
}

// TestSeeds runs a few hundred random scenarios; a failure names the seed
// that replays it.
func TestSeeds(t *testing.T) {
	cfg := sim.DefaultConfig(media(t))
	first, n := uint64(1), uint64(*seeds)
	if *oneSeed != 0 {
		first, n = *oneSeed, 1
	}
	var total sim.Result
	for seed := first; seed < first+n; seed++ {
		sc := sim.RandomScenario(seed)
		res := sim.Run(cfg, sc)
		if len(res.Failures) > 0 {
			t.Fatal(report(sc, res))
		}
		total.Media += res.Media
		total.Pings += res.Pings
		total.Acks += res.Acks
		total.Dropped += res.Dropped
		total.Closed += res.Closed
	}
	// The scenarios must exercise what the invariants are about.
	if n > 50 && (total.Media == 0 || total.Pings == 0 || total.Acks == 0 || total.Dropped == 0) {
		t.Fatalf("the seeds never reached some behaviour: %+v", total)
	}
	t.Logf("%d seeds: %d media messages to players, %d pings, %d acknowledgements, %d players fell behind, %d sessions closed",
		n, total.Media, total.Pings, total.Acks, total.Dropped, total.Closed)
}

// TestScenarios lets rapid draw scenario shapes, so that a failure shrinks
// to a minimal scenario.
func TestScenarios(t *testing.T) {
	cfg := sim.DefaultConfig(media(t))
	ms := func(lo, hi int) *rapid.Generator[time.Duration] {
		return rapid.Custom(func(t *rapid.T) time.Duration {
			return time.Duration(rapid.IntRange(lo, hi).Draw(t, "ms")) * time.Millisecond
		})
	}
	rapid.Check(t, func(rt *rapid.T) {
		sc := sim.Scenario{Seed: rapid.Uint64().Draw(rt, "seed")}
		n := rapid.IntRange(1, 5).Draw(rt, "clients")
		for i := range n {
			c := sim.ClientSpec{
				Role:   sim.Publisher,
				Key:    rapid.SampledFrom([]string{"cam", "alt"}).Draw(rt, "key"),
				Start:  ms(0, 3000).Draw(rt, "start"),
				Window: rapid.SampledFrom([]uint32{8 << 10, 64 << 10, 2500000}).Draw(rt, "window"),
			}
			if i > 0 && rapid.Bool().Draw(rt, "player") {
				c.Role = sim.Player
				if rapid.Bool().Draw(rt, "leaves") {
					c.Leave = c.Start + ms(100, 4000).Draw(rt, "leave")
				}
			}
			if rapid.IntRange(0, 2).Draw(rt, "stalls") == 0 {
				c.StallAt, c.StallFor = c.Start+ms(0, 2000).Draw(rt, "stallAt"), ms(1, 4000).Draw(rt, "stallFor")
			}
			if rapid.IntRange(0, 3).Draw(rt, "drops") == 0 {
				c.DropAt, c.Vanish = c.Start+ms(1, 3000).Draw(rt, "dropAt"), rapid.Bool().Draw(rt, "vanish")
			}
			sc.Clients = append(sc.Clients, c)
		}
		if res := sim.Run(cfg, sc); len(res.Failures) > 0 {
			rt.Fatal(report(sc, res))
		}
	})
}

// A seed replays exactly; another seed makes another run.
func TestReplay(t *testing.T) {
	cfg := sim.DefaultConfig(media(t))
	a := sim.Run(cfg, sim.RandomScenario(7))
	b := sim.Run(cfg, sim.RandomScenario(7))
	if a.Digest != b.Digest || a.End != b.End {
		t.Fatalf("seed 7 ran twice: digests %x and %x", a.Digest, b.Digest)
	}
	sc := sim.RandomScenario(7)
	sc.Seed = 8 // same scripts, another network
	if c := sim.Run(cfg, sc); c.Digest == a.Digest {
		t.Fatalf("another network seed gave the same run")
	}
}

// Hand-made scenarios reach the behaviours the invariants are about.
func TestScenarioBehaviours(t *testing.T) {
	cfg := sim.DefaultConfig(media(t))
	pub := sim.ClientSpec{Role: sim.Publisher, Key: "cam", Start: 500 * time.Millisecond, Window: 16 << 10}
	player := sim.ClientSpec{Role: sim.Player, Key: "cam", Window: 2500000}
	audioVideo := 0
	for _, tag := range cfg.Media {
		if tag.Type != flv.TagScript {
			audioVideo++
		}
	}
	t.Run("players receive everything", func(t *testing.T) {
		sc := sim.Scenario{Seed: 1, Clients: []sim.ClientSpec{player, pub, player}}
		res := sim.Run(cfg, sc)
		if len(res.Failures) > 0 || res.Dropped != 0 || res.Acks == 0 || res.Pings == 0 {
			t.Fatalf("%+v\n%s", res, report(sc, res))
		}
		// Both players joined before the publisher and saw all media.
		if want := 2 * audioVideo; res.Media != want {
			t.Fatalf("players got %d media messages, want %d", res.Media, want)
		}
	})
	t.Run("a stalled player falls behind", func(t *testing.T) {
		stalled := player
		stalled.StallAt, stalled.StallFor = 700*time.Millisecond, 3*time.Second
		sc := sim.Scenario{Seed: 2, Clients: []sim.ClientSpec{pub, stalled}}
		small := cfg
		small.Window = [2]int{4 << 10, 8 << 10}
		res := sim.Run(small, sc)
		if len(res.Failures) > 0 || res.Dropped != 1 {
			t.Fatalf("%+v\n%s", res, report(sc, res))
		}
	})
	t.Run("a vanished player times out", func(t *testing.T) {
		vanished := player
		vanished.DropAt, vanished.Vanish = time.Second, true
		sc := sim.Scenario{Seed: 3, Clients: []sim.ClientSpec{pub, vanished}}
		res := sim.Run(cfg, sc)
		if len(res.Failures) > 0 || res.Closed != 2 {
			t.Fatalf("%+v\n%s", res, report(sc, res))
		}
	})
	// Found by the simulation: serverconn had no handshake deadline, so a
	// client gone in the middle of its handshake left a session open.
	t.Run("a client vanishing in the handshake is timed out", func(t *testing.T) {
		early := pub
		early.Start, early.DropAt, early.Vanish = 0, time.Millisecond, true
		sc := sim.Scenario{Seed: 5, Clients: []sim.ClientSpec{early}}
		res := sim.Run(cfg, sc)
		if len(res.Failures) > 0 || res.Closed != 1 {
			t.Fatalf("%+v\n%s", res, report(sc, res))
		}
	})
	t.Run("a second publisher is refused", func(t *testing.T) {
		second := pub
		second.Start = 100 * time.Millisecond
		sc := sim.Scenario{Seed: 4, Clients: []sim.ClientSpec{pub, second, player}}
		refusing := cfg
		refusing.RefuseSecondPublisher = true
		res := sim.Run(refusing, sc)
		if len(res.Failures) > 0 || res.TakenOver != 0 {
			t.Fatalf("%+v\n%s", res, report(sc, res))
		}
	})
	// The player stays through the takeover and gets each publisher's
	// media as one contiguous run from a keyframe (checkMedia).
	t.Run("a second publisher takes over", func(t *testing.T) {
		second := pub
		second.Start = 2 * time.Second
		sc := sim.Scenario{Seed: 4, Clients: []sim.ClientSpec{pub, second, player}}
		res := sim.Run(cfg, sc)
		if len(res.Failures) > 0 || res.TakenOver != 1 || res.Dropped != 0 || res.Media <= audioVideo {
			t.Fatalf("%+v\n%s", res, report(sc, res))
		}
	})
}
