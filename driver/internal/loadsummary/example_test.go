package loadsummary_test

import (
	"encoding/json"
	"fmt"

	"github.com/gortmp/rtmp/driver/internal/loadsummary"
)

// rtmpload writes the summary as one JSON line; rtmpbench decodes it.
func Example() {
	line, err := json.Marshal(loadsummary.Summary{Players: 100, Connected: 100, TotalBytes: 1 << 20})
	if err != nil {
		panic(err)
	}
	var s loadsummary.Summary
	if err := json.Unmarshal(line, &s); err != nil {
		panic(err)
	}
	fmt.Println(s.Connected, "of", s.Players, "players,", s.TotalBytes, "bytes")
	// Output: 100 of 100 players, 1048576 bytes
}
