package client_test

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// aggregatePart is one sub-message of an aggregate.
func aggregatePart(typ byte, ts uint32, payload []byte) []byte {
	n := len(payload)
	b := []byte{typ, byte(n >> 16), byte(n >> 8), byte(n), byte(ts >> 16), byte(ts >> 8), byte(ts), byte(ts >> 24), 0, 0, 1}
	b = append(b, payload...)
	return binary.BigEndian.AppendUint32(b, uint32(11+n))
}

// An aggregate's media parts reach the application; one that holds
// another aggregate is ignored whole, not followed.
func TestAggregates(t *testing.T) {
	s := opened(t)
	s, _ = steps(s,
		client.CreateStream{Request: 2}, recv(0, reply("_result", 3, nil, 1.0)),
		client.Play{StreamID: 1, Name: "a"},
		recv(1, status("status", "NetStream.Play.Start", "")),
	)
	media := append(aggregatePart(9, 100, keyframe.Payload), aggregatePart(9, 140, interframe.Payload)...)
	s, fx := s.Step(recvAt(1000, 1, message.Aggregate{Payload: media}))
	want := []client.MediaReceived{
		{StreamID: 1, Kind: client.KindVideo, Timestamp: 1000, Data: keyframe.Payload},
		{StreamID: 1, Kind: client.KindVideo, Timestamp: 1040, Data: interframe.Payload},
	}
	if diff := cmp.Diff(want, only[client.MediaReceived](fx)); diff != "" {
		t.Errorf("media (-want +got):\n%s", diff)
	}

	nested := append(aggregatePart(9, 0, keyframe.Payload), aggregatePart(22, 0, media)...)
	_, fx = s.Step(recvAt(2000, 1, message.Aggregate{Payload: nested}))
	if n := len(only[client.MediaReceived](fx)); n != 0 {
		t.Errorf("%d media messages from an aggregate holding another", n)
	}
	ignored := only[client.MessageIgnored](fx)
	if len(ignored) != 1 || !strings.Contains(ignored[0].Reason, "aggregate inside an aggregate") {
		t.Errorf("ignored %+v, want the nested aggregate", ignored)
	}
}
