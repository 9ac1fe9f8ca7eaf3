package client_test

import (
	"reflect"
	"testing"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
	"pgregory.net/rapid"
)

// codes are the status codes a generated server answers with.
var codes = []string{
	"NetStream.Publish.Start", "NetStream.Publish.BadName", "NetStream.Play.Start",
	"NetStream.Play.Reset", "NetStream.Play.Stop", "NetStream.Play.StreamNotFound",
	"NetConnection.Connect.ReconnectRequest", "NetConnection.Connect.Rejected", "NetStream.Data.Start",
}

// anyServerMessage draws a message a server (a confused one included)
// could send: answers with small transaction ids, statuses, control,
// media and data on small stream ids.
func anyServerMessage(t *rapid.T) message.Message {
	streamID := rapid.Uint32Range(0, 3).Draw(t, "stream")
	tx := float64(rapid.IntRange(0, 8).Draw(t, "tx"))
	var body message.Body
	switch rapid.IntRange(0, 9).Draw(t, "kind") {
	case 0:
		var args []amf0.Value
		if rapid.Bool().Draw(t, "with id") {
			args = append(args, float64(rapid.IntRange(-1, 4).Draw(t, "id")))
		}
		body = reply("_result", tx, nil, args...)
	case 1:
		body = reply("_error", tx, nil, amf0.Object{{Key: "level", Value: "error"}, {Key: "code", Value: rapid.SampledFrom(codes).Draw(t, "code")}})
	case 2:
		level := rapid.SampledFrom([]string{"status", "error", "warning"}).Draw(t, "level")
		body = status(level, rapid.SampledFrom(codes).Draw(t, "code"), "")
	case 3:
		body = message.WindowAckSize{Size: rapid.Uint32Range(0, 10000).Draw(t, "window")}
	case 4:
		body = message.PingRequest{Timestamp: rapid.Uint32().Draw(t, "ping")}
	case 5:
		body = message.Video{Payload: rapid.SliceOfN(rapid.Byte(), 0, 8).Draw(t, "video")}
	case 6:
		body = message.Data{Values: []amf0.Value{rapid.SampledFrom([]string{"onMetaData", "@setDataFrame", "onTextData"}).Draw(t, "data"), metaData}}
	case 7:
		body = message.Aggregate{Payload: rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "aggregate")}
	case 8:
		body = message.SetPeerBandwidth{Size: rapid.Uint32Range(0, 10000).Draw(t, "bw"), Limit: message.LimitType(rapid.IntRange(0, 3).Draw(t, "limit"))}
	default:
		body = message.Command{Name: rapid.SampledFrom([]string{"onBWDone", "close", ""}).Draw(t, "name"), TransactionID: tx}
	}
	return message.Message{Timestamp: rapid.Uint32().Draw(t, "ts"), StreamID: streamID, Body: body}
}

// anyInput draws any input: a server message, a byte count or a call of
// the application, valid or not.
func anyInput(t *rapid.T) client.Input {
	streamID := rapid.Uint32Range(0, 3).Draw(t, "app stream")
	switch rapid.IntRange(0, 11).Draw(t, "input") {
	case 0, 1, 2, 3:
		return client.MessageReceived{Message: anyServerMessage(t)}
	case 4:
		return client.BytesCounted{Received: rapid.Uint64Range(0, 1<<20).Draw(t, "received")}
	case 5:
		return connectInput()
	case 6:
		return client.CreateStream{Request: client.RequestID(rapid.IntRange(0, 3).Draw(t, "request"))}
	case 7:
		return client.Publish{StreamID: streamID, Name: "k", Type: client.PublishType(rapid.IntRange(0, 3).Draw(t, "type"))}
	case 8:
		return client.Play{StreamID: streamID, Name: "k", Start: -2}
	case 9:
		return client.SendMessage{StreamID: streamID, Body: keyframe}
	case 10:
		return client.DeleteStream{StreamID: streamID}
	default:
		return client.SendMetaData{StreamID: streamID, MetaData: metaData}
	}
}

// isRequest reports whether in asks the server something that needs an
// answer event, judged by the effects of the step that took it.
func isRequest(in client.Input, fx []client.Effect) bool {
	switch in.(type) {
	case client.Connect, client.CreateStream, client.Publish, client.Play:
	default:
		return false
	}
	for _, e := range fx {
		if _, ok := e.(client.CallerError); ok {
			return false
		}
	}
	return true
}

// answers counts the answer events among effects.
func answers(fx []client.Effect) int {
	n := 0
	for _, e := range fx {
		switch e.(type) {
		case client.Connected, client.ConnectFailed, client.StreamCreated, client.CreateStreamFailed,
			client.PublishStarted, client.PublishFailed, client.PlayStarted, client.PlayFailed:
			n++
		}
	}
	return n
}

// TestPropertyRequestsAnswered: whatever the server does, every request
// gets exactly one answer event by the end of the session, and never an
// answer nobody asked for. The step never panics, Disconnect comes last
// and a closed session does nothing.
func TestPropertyRequestsAnswered(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := client.New(client.Config{})
		requests, answered := 0, 0
		inputs := rapid.SliceOfN(rapid.Custom(anyInput), 0, 60).Draw(t, "inputs")
		for _, in := range append(inputs, client.Close{}) {
			var fx []client.Effect
			s, fx = s.Step(in)
			if isRequest(in, fx) {
				requests++
			}
			answered += answers(fx)
			if answered > requests {
				t.Fatalf("%d answers for %d requests after %s", answered, requests, client.DescribeInput(in))
			}
			for i, e := range fx {
				if _, ok := e.(client.Disconnect); ok && i != len(fx)-1 {
					t.Fatalf("Disconnect is not the last effect of %s", client.DescribeInput(in))
				}
			}
			if s.Closed() {
				break
			}
		}
		if answered != requests {
			t.Fatalf("%d requests, %d answers", requests, answered)
		}
		if _, fx := s.Step(connectInput()); len(fx) != 0 {
			t.Fatalf("closed session answered with %d effects", len(fx))
		}
	})
}

// TestPropertyPure: stepping an old value again gives the same session
// and the same effects, however many steps were taken from it since.
func TestPropertyPure(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := client.New(client.Config{})
		inputs := rapid.SliceOfN(rapid.Custom(anyInput), 1, 40).Draw(t, "inputs")
		var history []client.Session
		for _, in := range inputs {
			history = append(history, s)
			s, _ = s.Step(in)
		}
		// Replay from every kept value: each must still give what it gave.
		for i, old := range history {
			s1, fx1 := old.Step(inputs[i])
			s2, fx2 := old.Step(inputs[i])
			if !reflect.DeepEqual(s1, s2) || !reflect.DeepEqual(fx1, fx2) {
				t.Fatalf("step %d (%s) is not deterministic", i, client.DescribeInput(inputs[i]))
			}
			if i+1 < len(history) && !reflect.DeepEqual(s1, history[i+1]) {
				t.Fatalf("step %d (%s) changed after later steps", i, client.DescribeInput(inputs[i]))
			}
		}
	})
}
