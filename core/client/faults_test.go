package client_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// The seed client's known faults, one test each.

// steps runs inputs and returns the session and every effect.
func steps(s client.Session, inputs ...client.Input) (client.Session, []client.Effect) {
	var all []client.Effect
	for _, in := range inputs {
		var fx []client.Effect
		s, fx = s.Step(in)
		all = append(all, fx...)
	}
	return s, all
}

// opened returns a connected session with stream 1 created.
func opened(t *testing.T) client.Session {
	t.Helper()
	s, fx := steps(client.New(client.Config{}), join(
		[]client.Input{connectInput()}, serverOpening(),
		[]client.Input{client.CreateStream{Request: 1}, recv(0, reply("_result", 2, nil, 1.0))})...)
	if !cmp.Equal(fx[len(fx)-1], client.Effect(client.StreamCreated{Request: 1, StreamID: 1})) {
		t.Fatalf("stream not created: %v", client.DescribeEffect(fx[len(fx)-1]))
	}
	return s
}

// only returns the effects of type T.
func only[T client.Effect](fx []client.Effect) []T {
	var out []T
	for _, e := range fx {
		if x, ok := e.(T); ok {
			out = append(out, x)
		}
	}
	return out
}

// The seed never matched metadata, whichever form the server used.
func TestFaultMetaDataMatched(t *testing.T) {
	s := opened(t)
	s, _ = steps(s, client.Play{StreamID: 1, Name: "k", Start: -2}, recv(1, status("status", "NetStream.Play.Start", "")))
	for _, values := range [][]amf0.Value{
		{"onMetaData", metaData},
		{"@setDataFrame", "onMetaData", metaData},
		{"onMetaData", amf0.Object(metaData)},
	} {
		_, fx := s.Step(recvAt(5, 1, message.Data{Values: values}))
		want := []client.Effect{client.MetaDataReceived{StreamID: 1, Timestamp: 5, MetaData: metaData}}
		if diff := cmp.Diff(want, fx); diff != "" {
			t.Errorf("%s: %s", values[0], diff)
		}
	}
}

// The seed added each byte total to a running sum, so it acknowledged
// bytes twice and far too early.
func TestFaultByteTotalsCumulative(t *testing.T) {
	s := opened(t) // server window 5000
	var acks []uint32
	for _, total := range []uint64{2000, 4000, 4999, 5000, 6000, 9999, 10000, 10000} {
		var fx []client.Effect
		s, fx = s.Step(client.BytesCounted{Received: total})
		for _, snd := range only[client.Send](fx) {
			acks = append(acks, snd.Message.Body.(message.Acknowledgement).SequenceNumber)
		}
	}
	if diff := cmp.Diff([]uint32{5000, 10000}, acks); diff != "" {
		t.Errorf("acknowledgements (-want +got):\n%s", diff)
	}
}

// The seed kept one stream per connection: a second createStream
// replaced the first.
func TestFaultSeveralStreams(t *testing.T) {
	s := opened(t)
	s, fx := steps(s,
		client.CreateStream{Request: 2}, recv(0, reply("_result", 3, nil, 2.0)),
		client.CreateStream{Request: 3}, recv(0, reply("_result", 4, nil, 3.0)),
		client.Play{StreamID: 1, Name: "a"}, client.Play{StreamID: 2, Name: "b"}, client.Publish{StreamID: 3, Name: "c"},
		recv(2, status("status", "NetStream.Play.Start", "")),
		recv(1, status("status", "NetStream.Play.Start", "")),
		recv(3, status("status", "NetStream.Publish.Start", "")),
		recvAt(1, 1, keyframe), recvAt(2, 2, interframe),
		client.SendMessage{StreamID: 3, Timestamp: 3, Body: aacFrame},
	)
	if n := len(only[client.CallerError](fx)); n != 0 {
		t.Fatalf("%d caller errors", n)
	}
	want := []client.MediaReceived{
		{StreamID: 1, Kind: client.KindVideo, Timestamp: 1, Data: keyframe.Payload},
		{StreamID: 2, Kind: client.KindVideo, Timestamp: 2, Data: interframe.Payload},
	}
	if diff := cmp.Diff(want, only[client.MediaReceived](fx)); diff != "" {
		t.Errorf("media (-want +got):\n%s", diff)
	}
	_, fx = s.Step(client.Close{})
	if got := len(only[client.PlayFinished](fx)) + len(only[client.PublishFinished](fx)); got != 3 {
		t.Errorf("close finished %d streams, want 3", got)
	}
}

// The seed had no case for _error: the request waited forever.
func TestFaultErrorAnswered(t *testing.T) {
	s := opened(t)
	errorInfo := amf0.Object{{Key: "level", Value: "error"}, {Key: "code", Value: "NetStream.Publish.Denied"}, {Key: "description", Value: "no"}}
	s, fx := steps(s, client.Publish{StreamID: 1, Name: "k"}, recv(0, reply("_error", 3, nil, errorInfo)))
	want := []client.PublishFailed{{StreamID: 1, Name: "k", Code: "NetStream.Publish.Denied", Description: "no"}}
	if diff := cmp.Diff(want, only[client.PublishFailed](fx)); diff != "" {
		t.Errorf("publish _error (-want +got):\n%s", diff)
	}
	// The stream is idle again: a play on it is accepted.
	if _, fx = s.Step(client.Play{StreamID: 1, Name: "k"}); len(only[client.CallerError](fx)) != 0 {
		t.Errorf("stream stayed busy after the refusal")
	}
	// And a refused connect ends the session with the server's reason.
	_, fx = steps(client.New(client.Config{}), connectInput(), recv(0, reply("_error", 1, nil, errorInfo)))
	wantEnd := []client.Effect{
		client.ConnectFailed{Code: "NetStream.Publish.Denied", Description: "no", Info: errorInfo},
		client.Disconnect{Err: client.ConnectFailedError{Code: "NetStream.Publish.Denied", Description: "no"}},
	}
	if diff := cmp.Diff(wantEnd, fx[len(fx)-2:]); diff != "" {
		t.Errorf("connect _error (-want +got):\n%s", diff)
	}
}
