package sim_test

import (
	"fmt"
	"os"
	"time"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/core/sim"
)

// One publisher and a player that joins before it: the player receives
// every audio and video message, and the run replays from its seed.
func Example() {
	f, err := os.Open("../../testdata/media/h264-aac-320x240.flv")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	tags, err := flv.ReadAll(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	sc := sim.Scenario{Seed: 42, Clients: []sim.ClientSpec{
		{Role: sim.Player, Key: "cam", Window: 2500000},
		{Role: sim.Publisher, Key: "cam", Start: 200 * time.Millisecond, Window: 64 << 10},
	}}
	res := sim.Run(sim.DefaultConfig(tags), sc)
	again := sim.Run(sim.DefaultConfig(tags), sc)
	fmt.Println("failures:", len(res.Failures))
	fmt.Println("media to the player:", res.Media)
	fmt.Println("replays:", res.Digest == again.Digest)
	// Output:
	// failures: 0
	// media to the player: 78
	// replays: true
}
