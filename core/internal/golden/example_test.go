package golden_test

import (
	"fmt"

	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/internal/golden"
)

// A transcript of a server session: each input, "----", then its effects.
// A golden test hands such prints to Check, which compares them with the
// files in testdata/sessions.
func ExampleTranscript() {
	fmt.Print(golden.Transcript("a ping request", core.NewSession(core.Config{}),
		[]core.Input{core.SendPing{}}, core.DescribeInput, core.DescribeEffect))
	// Output:
	// # a ping request
	//
	// SendPing{}
	// ----
	// send csid=2 ts=0 stream=0 PingRequest{Timestamp: 0}
	// PingRequestSent{Timestamp: 0}
	// WakeAt{At: 30000ms}
}
