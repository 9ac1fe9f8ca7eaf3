package core_test

import (
	"testing"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"pgregory.net/rapid"
)

// inAMF3 is in as a client that chose AMF3 sends it: commands and data
// as types 17 and 15 with their values behind the AVM+ switch, encoded and
// decoded again so that the session reads what the wire carries.
func inAMF3(t *rapid.T, in core.Input) core.Input {
	m, ok := in.(core.MessageReceived)
	if !ok {
		return in
	}
	var body message.Body
	switch b := m.Message.Body.(type) {
	case message.Command:
		body = b.InAMF3()
	case message.Data:
		body = b.InAMF3()
	default:
		return in
	}
	raw, err := message.Encode(message.Message{Timestamp: m.Message.Timestamp, StreamID: m.Message.StreamID, Body: body})
	if err != nil {
		t.Fatalf("encode %s in AMF3: %v", core.DescribeInput(in), err)
	}
	back, err := message.Decode(chunk.Message{Timestamp: raw.Timestamp, StreamID: raw.StreamID, TypeID: raw.TypeID, Payload: raw.Payload})
	if err != nil {
		t.Fatalf("decode %s in AMF3: %v", core.DescribeInput(in), err)
	}
	return core.MessageReceived{Message: back}
}

// asAMF0 forgets what says an effect came from an AMF3 message: the
// message type a MessageIgnored names and the AMF3 flag of an unhandled
// command. Nothing else may differ.
func asAMF0(e core.Effect) core.Effect {
	switch e := e.(type) {
	case core.MessageIgnored:
		switch e.Type {
		case message.TypeCommandAMF3:
			e.Type = message.TypeCommandAMF0
		case message.TypeDataAMF3:
			e.Type = message.TypeDataAMF0
		}
		return e
	case core.CommandUnhandled:
		e.Command.AMF3 = false
		return e
	}
	return e
}

// TestAMF3ScriptRaisesTheSameEvents: a session driven by a script and one
// driven by the same script in AMF3 raise the same events and send the
// same messages, step by step. (Which encoding the replies take depends
// on the connect's objectEncoding, which both scripts share.)
func TestAMF3ScriptRaisesTheSameEvents(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := core.Config{PingInterval: 5_000 * ms, PingTimeout: 2_000 * ms, MaxStreams: 3, MaxPendingRequests: 2}
		s0, s3 := core.NewSession(cfg), core.NewSession(cfg)
		script := []core.Input{}
		if rapid.Bool().Draw(t, "connected") {
			script = append(script, call(0, "connect", 1, flashConnect("live")), core.Accept{Request: 1})
		}
		for range rapid.IntRange(1, 40).Draw(t, "steps") {
			script = append(script, genInput(t))
		}
		for _, in := range script {
			in3 := inAMF3(t, in)
			var fx0, fx3 []core.Effect
			s0, fx0 = s0.Step(in)
			s3, fx3 = s3.Step(in3)
			if len(fx0) != len(fx3) {
				t.Fatalf("%s: %d effects in AMF0, %d in AMF3:\n%s----\n%s", core.DescribeInput(in), len(fx0), len(fx3), describeAll(fx0), describeAll(fx3))
			}
			for i := range fx0 {
				a, b := core.DescribeEffect(asAMF0(fx0[i])), core.DescribeEffect(asAMF0(fx3[i]))
				if a != b {
					t.Fatalf("%s\nAMF3: %s\neffect %d differs:\nAMF0: %s\nAMF3: %s", core.DescribeInput(in), core.DescribeInput(in3), i, a, b)
				}
			}
		}
	})
}
