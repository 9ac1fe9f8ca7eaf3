package sim_test

import (
	"flag"
	"fmt"
	"os"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/core/sim"
)

var (
	oneSeed  = flag.Uint64("sim.seed", 0, "run only this simulation seed (TestSeeds)")
	seeds    = flag.Uint64("sim.seeds", 500, "how many seeds TestSeeds runs")
	caseFlag = flag.String("sim.case", "", "the case script TestCase runs, as a failing test prints it")
)

func media(t testing.TB) []flv.Tag {
	t.Helper()
	tags, err := readFLVFile("../../testdata/media/h264-aac-320x240.flv")
	if err != nil {
		t.Fatal(err)
	}
	return tags
}

// TestSeeds runs a few hundred random scenarios; a failure names the seed
// that replays it.
func TestSeeds(t *testing.T) {
	first, n := uint64(1), *seeds
	if *oneSeed != 0 {
		first, n = *oneSeed, 1
	}
	verdict, total := seedsVerdict(sim.DefaultConfig(media(t)), first, n)
	if verdict != "" {
		t.Fatal(verdict)
	}
	t.Logf("%d seeds: %d media messages to players, %d pings, %d acknowledgements, %d players fell behind, %d sessions closed, %d onMetaData read in AMF3",
		n, total.Media, total.Pings, total.Acks, total.Dropped, total.Closed, total.AMF3MetaData)
}

// TestScenarios lets rapid draw scenario shapes, so that a failure shrinks
// to a minimal scenario, which the printed command replays.
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
			c.AMF3 = rapid.IntRange(0, 3).Draw(rt, "amf3") == 0
			sc.Clients = append(sc.Clients, c)
		}
		if verdict := caseVerdict(cfg, sc); verdict != "" {
			rt.Fatal(verdict)
		}
	})
}

// defaultCase is what TestCase runs without -sim.case: two players and a
// publisher that joins after the first, on a refusing relay with slow
// pipes.
const defaultCase = "seed=11 refuse pipe=4096-16384 delay=5ms-60ms; player key=cam start=0ms window=2500000;" +
	" publisher key=cam start=300ms window=16384; player key=cam start=900ms window=65536 leave=2500ms"

// TestCase runs the case script a failing test prints (-sim.case), or a
// default one.
func TestCase(t *testing.T) {
	script := *caseFlag
	if script == "" {
		script = defaultCase
	}
	cfg, sc, err := sim.DecodeCase(script, sim.DefaultConfig(media(t)))
	if err != nil {
		t.Fatal(err)
	}
	if verdict := caseVerdict(cfg, sc); verdict != "" {
		t.Fatal(verdict)
	}
}

// A seed replays exactly; another seed makes another run.
func TestReplay(t *testing.T) {
	cfg := sim.DefaultConfig(media(t))
	a := sim.Run(cfg, sim.RandomScenario(7))
	b := sim.Run(cfg, sim.RandomScenario(7))
	if a.Digest != b.Digest || a.End != b.End {
		t.Fatalf("seed 7 ran twice: digests %x and %x\nreplay: %s", a.Digest, b.Digest, command("^TestReplay$"))
	}
	sc := sim.RandomScenario(7)
	sc.Seed = 8 // same scripts, another network
	if c := sim.Run(cfg, sc); c.Digest == a.Digest {
		t.Fatalf("another network seed gave the same run\nreplay: %s", command("^TestReplay$"))
	}
}

// behaviour is a hand-made case and the behaviour it must reach.
type behaviour struct {
	name     string
	scenario sim.Scenario
	config   func(sim.Config) sim.Config // nil: the test's configuration
	// reached returns what the run missed, "" when it reached the
	// behaviour.
	reached func(sim.Result) string
}

// behaviours are the hand-made cases; base supplies the media.
func behaviours(base sim.Config) []behaviour {
	pub := sim.ClientSpec{Role: sim.Publisher, Key: "cam", Start: 500 * time.Millisecond, Window: 16 << 10}
	player := sim.ClientSpec{Role: sim.Player, Key: "cam", Window: 2500000}
	audioVideo := 0
	for _, tag := range base.Media {
		if tag.Type != flv.TagScript {
			audioVideo++
		}
	}
	stalled := player
	stalled.StallAt, stalled.StallFor = 700*time.Millisecond, 3*time.Second
	vanished := player
	vanished.DropAt, vanished.Vanish = time.Second, true
	early := pub
	early.Start, early.DropAt, early.Vanish = 0, time.Millisecond, true
	second := pub
	second.Start = 100 * time.Millisecond
	late := pub
	late.Start = 2 * time.Second
	pub3, player3 := pub, player
	pub3.AMF3, player3.AMF3 = true, true
	return []behaviour{
		// An AMF3 publisher's metadata reaches a player of either encoding
		// with the keys and values it has in the file (checked on every
		// onMetaData a player reads).
		{
			name:     "AMF3 and AMF0 clients share a stream",
			scenario: sim.Scenario{Seed: 6, Clients: []sim.ClientSpec{player3, pub3, player}},
			reached: func(res sim.Result) string {
				if res.MetaData != 2 || res.AMF3MetaData != 1 || res.Media != 2*audioVideo {
					return fmt.Sprintf("want the metadata read by both players, one in AMF3, and %d media messages", 2*audioVideo)
				}
				return ""
			},
		},
		{
			name:     "players receive everything",
			scenario: sim.Scenario{Seed: 1, Clients: []sim.ClientSpec{player, pub, player}},
			reached: func(res sim.Result) string {
				// Both players joined before the publisher and saw all media.
				if res.Dropped != 0 || res.Acks == 0 || res.Pings == 0 || res.Media != 2*audioVideo {
					return fmt.Sprintf("want no drops, acknowledgements, pings and %d media messages", 2*audioVideo)
				}
				return ""
			},
		},
		{
			name:     "a stalled player falls behind",
			scenario: sim.Scenario{Seed: 2, Clients: []sim.ClientSpec{pub, stalled}},
			config: func(cfg sim.Config) sim.Config {
				cfg.Window = [2]int{4 << 10, 8 << 10}
				return cfg
			},
			reached: func(res sim.Result) string {
				if res.Dropped != 1 {
					return "want the player dropped"
				}
				return ""
			},
		},
		{
			name:     "a vanished player times out",
			scenario: sim.Scenario{Seed: 3, Clients: []sim.ClientSpec{pub, vanished}},
			reached: func(res sim.Result) string {
				if res.Closed != 2 {
					return "want both sessions closed"
				}
				return ""
			},
		},
		// Found by the simulation: serverconn had no handshake deadline, so
		// a client gone in the middle of its handshake left a session open.
		{
			name:     "a client vanishing in the handshake is timed out",
			scenario: sim.Scenario{Seed: 5, Clients: []sim.ClientSpec{early}},
			reached: func(res sim.Result) string {
				if res.Closed != 1 {
					return "want the session closed"
				}
				return ""
			},
		},
		{
			name:     "a second publisher is refused",
			scenario: sim.Scenario{Seed: 4, Clients: []sim.ClientSpec{pub, second, player}},
			config: func(cfg sim.Config) sim.Config {
				cfg.RefuseSecondPublisher = true
				return cfg
			},
			reached: func(res sim.Result) string {
				if res.TakenOver != 0 {
					return "want no takeover"
				}
				return ""
			},
		},
		// The player stays through the takeover and gets each publisher's
		// media as one contiguous run from a keyframe (checkMedia).
		{
			name:     "a second publisher takes over",
			scenario: sim.Scenario{Seed: 4, Clients: []sim.ClientSpec{pub, late, player}},
			reached: func(res sim.Result) string {
				if res.TakenOver != 1 || res.Dropped != 0 || res.Media <= audioVideo {
					return "want one takeover, no drops and media from both publishers"
				}
				return ""
			},
		},
	}
}

// Hand-made scenarios reach the behaviours the invariants are about.
func TestScenarioBehaviours(t *testing.T) {
	cfg := sim.DefaultConfig(media(t))
	for _, b := range behaviours(cfg) {
		t.Run(b.name, func(t *testing.T) {
			if verdict := behaviourVerdict(cfg, b); verdict != "" {
				t.Fatal(verdict)
			}
		})
	}
}

// readFLVFile returns every tag of the FLV file at path, in order.
func readFLVFile(path string) ([]flv.Tag, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return flv.ReadAll(f)
}
