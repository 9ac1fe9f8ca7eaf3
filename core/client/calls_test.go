package client_test

import (
	"testing"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// A server that never answers the calls cannot make the session remember
// them without bound: past the bound the oldest call is forgotten, so its
// late answer is unhandled, while the newest is still matched.
func TestUnansweredCallsAreBounded(t *testing.T) {
	s := client.New(client.Config{FMLECalls: true})
	step := func(in client.Input) []client.Effect {
		var fx []client.Effect
		s, fx = s.Step(in)
		return fx
	}
	step(connectInput())
	for _, in := range serverOpening() {
		step(in)
	}
	var calls []float64 // transaction ids of the calls sent, in order
	for i := range 10 {
		create := step(client.CreateStream{Request: client.RequestID(i + 1)})
		tx := create[0].(client.Send).Message.Body.(message.Command).TransactionID
		var id float64
		for _, e := range step(recv(0, reply("_result", tx, nil, float64(i+1)))) {
			if c, ok := e.(client.StreamCreated); ok {
				id = float64(c.StreamID)
			}
		}
		if id == 0 {
			t.Fatalf("stream %d was not created", i+1)
		}
		for _, e := range step(client.Publish{StreamID: uint32(id), Name: "key"}) {
			if send, ok := e.(client.Send); ok {
				if cmd, ok := send.Message.Body.(message.Command); ok && cmd.Name != "publish" {
					calls = append(calls, cmd.TransactionID)
				}
			}
		}
	}
	if len(calls) != 20 {
		t.Fatalf("sent %d calls, want 20 (releaseStream and FCPublish per publish)", len(calls))
	}
	if fx := step(recv(0, reply("_result", calls[0], nil))); !isEvent[client.CommandUnhandled](fx) {
		t.Fatalf("answer to the oldest call gave %v, want it forgotten", fx)
	}
	if fx := step(recv(0, reply("_result", calls[len(calls)-1], nil))); !isEvent[client.CallAnswered](fx) {
		t.Fatalf("answer to the newest call gave %v, want CallAnswered", fx)
	}
}

// isEvent reports whether fx is exactly one effect of type E.
func isEvent[E client.Effect](fx []client.Effect) bool {
	if len(fx) != 1 {
		return false
	}
	_, ok := fx[0].(E)
	return ok
}
