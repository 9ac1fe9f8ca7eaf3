package core_test

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

// The canonical loop: feed inputs, carry out the effects in order, and
// answer requests by stepping Accept or Reject.
func Example() {
	s := core.NewSession(core.Config{})
	inputs := []core.Input{
		core.BeginStreamZero{},
		core.MessageReceived{Message: message.Message{Body: message.Command{
			Name: "connect", TransactionID: 1,
			Object: amf0.Object{{Key: "app", Value: "live/"}, {Key: "tcUrl", Value: "rtmp://localhost/live"}},
		}}},
	}
	for len(inputs) > 0 {
		var fx []core.Effect
		s, fx = s.Step(inputs[0])
		inputs = inputs[1:]
		for _, e := range fx {
			switch e := e.(type) {
			case core.Send:
				// A driver hands e.Message to the chunk encoder on e.ChunkStreamID.
				fmt.Printf("send %T on chunk stream %d\n", e.Message.Body, e.ChunkStreamID)
			case core.ChangeChunkSize:
				fmt.Println("encoder chunk size", e.Size)
			case core.ConnectionRequested:
				fmt.Printf("connect to %q\n", e.App)
				inputs = append(inputs, core.Accept{Request: e.Request})
			case core.Disconnect:
				fmt.Println("close:", e.Err)
			}
		}
	}
	// Output:
	// send message.SetPeerBandwidth on chunk stream 2
	// send message.WindowAckSize on chunk stream 2
	// send message.SetChunkSize on chunk stream 2
	// encoder chunk size 4096
	// send message.StreamBegin on chunk stream 2
	// send message.Command on chunk stream 3
	// connect to "live"
	// send message.Command on chunk stream 3
}
