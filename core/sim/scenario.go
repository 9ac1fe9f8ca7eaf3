package sim

import (
	"time"
)

// RandomScenario draws a scenario from a seed alone, so that the seed
// replays it: one or two publishers and up to four players on one or two
// paths, with random starts, reader stalls, departures and dropped or
// vanished connections; about one client in four speaks AMF3.
func RandomScenario(seed uint64) Scenario {
	r := newSource(seed, 0x5ce9a210)
	dur := func(lo, hi time.Duration) time.Duration {
		return lo + time.Duration(r.Int64N(int64(hi-lo)/int64(millisecond)+1))*millisecond
	}
	keys := []string{"cam", "alt"}
	windows := []uint32{8 << 10, 16 << 10, 64 << 10, 2500000}
	// A source of its own, so that adding the encoding left every other
	// draw of a seed as it was.
	encodings := newSource(seed, 0xa3f3a3f3)
	sc := Scenario{Seed: seed}
	publishers, players := 1+r.IntN(2), r.IntN(5)
	for i := range publishers + players {
		c := ClientSpec{
			Role:   Publisher,
			Key:    keys[r.IntN(len(keys))],
			Start:  dur(0, 3*second),
			Window: windows[r.IntN(len(windows))],
			AMF3:   encodings.IntN(4) == 0,
		}
		if i >= publishers {
			c.Role = Player
			if r.IntN(3) == 0 {
				c.Leave = c.Start + dur(500*millisecond, 4*second)
			}
		}
		if r.IntN(3) == 0 {
			c.StallAt, c.StallFor = c.Start+dur(0, 2*second), dur(100*millisecond, 4*second)
		}
		if r.IntN(5) == 0 {
			c.DropAt, c.Vanish = c.Start+dur(100*millisecond, 3*second), r.IntN(2) == 0
		}
		sc.Clients = append(sc.Clients, c)
	}
	return sc
}
