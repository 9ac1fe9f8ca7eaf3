package message_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
)

// Wire vectors for every protocol and user control body, both ways.
func TestControlVectors(t *testing.T) {
	cases := []struct {
		body message.Body
		typ  uint8
		wire []byte
	}{
		{message.SetChunkSize{Size: 4096}, 1, []byte{0, 0, 0x10, 0}},
		{message.SetChunkSize{Size: 0x7fffffff}, 1, []byte{0x7f, 0xff, 0xff, 0xff}},
		{message.Abort{ChunkStreamID: 6}, 2, []byte{0, 0, 0, 6}},
		{message.Acknowledgement{SequenceNumber: 0x01020304}, 3, []byte{1, 2, 3, 4}},
		{message.WindowAckSize{Size: 2_500_000}, 5, []byte{0, 0x26, 0x25, 0xa0}},
		{message.SetPeerBandwidth{Size: 2_500_000, Limit: message.LimitHard}, 6, []byte{0, 0x26, 0x25, 0xa0, 0}},
		{message.SetPeerBandwidth{Size: 1, Limit: message.LimitSoft}, 6, []byte{0, 0, 0, 1, 1}},
		{message.SetPeerBandwidth{Size: 1, Limit: message.LimitDynamic}, 6, []byte{0, 0, 0, 1, 2}},
		{message.StreamBegin{StreamID: 1}, 4, []byte{0, 0, 0, 0, 0, 1}},
		{message.StreamEOF{StreamID: 2}, 4, []byte{0, 1, 0, 0, 0, 2}},
		{message.StreamDry{StreamID: 3}, 4, []byte{0, 2, 0, 0, 0, 3}},
		{message.SetBufferLength{StreamID: 1, Milliseconds: 3000}, 4, []byte{0, 3, 0, 0, 0, 1, 0, 0, 0x0b, 0xb8}},
		{message.StreamIsRecorded{StreamID: 4}, 4, []byte{0, 4, 0, 0, 0, 4}},
		{message.PingRequest{Timestamp: 0xdeadbeef}, 4, []byte{0, 6, 0xde, 0xad, 0xbe, 0xef}},
		{message.PingResponse{Timestamp: 7}, 4, []byte{0, 7, 0, 0, 0, 7}},
		// Events this package does not know are kept with their data.
		{message.UnknownUserControl{Event: 31, Data: []byte{0, 0, 0, 1}}, 4, []byte{0, 31, 0, 0, 0, 1}},
		{message.UnknownUserControl{Event: 5, Data: []byte{}}, 4, []byte{0, 5}},
	}
	for _, c := range cases {
		raw, err := message.Encode(message.Message{Timestamp: 9, StreamID: 0, Body: c.body})
		if err != nil {
			t.Errorf("%#v: encode: %v", c.body, err)
			continue
		}
		if raw.TypeID != c.typ || !bytes.Equal(raw.Payload, c.wire) {
			t.Errorf("%#v: encoded type %d % x, want type %d % x", c.body, raw.TypeID, raw.Payload, c.typ, c.wire)
		}
		m, err := message.Decode(chunk.Message{Timestamp: 9, TypeID: c.typ, Payload: c.wire})
		if err != nil {
			t.Errorf("%#v: decode: %v", c.body, err)
			continue
		}
		want := message.Message{Timestamp: 9, Body: c.body}
		if diff := cmp.Diff(want, m); diff != "" {
			t.Errorf("decoded (-want +got):\n%s", diff)
		}
	}
}

func TestControlShortPayloads(t *testing.T) {
	cases := []struct {
		typ  uint8
		wire []byte
	}{
		{1, []byte{0, 0, 1}},
		{1, []byte{0, 0, 0, 0}},    // zero chunk size
		{1, []byte{0x80, 0, 0, 1}}, // top bit set
		{2, nil},
		{3, []byte{1}},
		{5, []byte{1, 2, 3}},
		{6, []byte{0, 0, 0, 1}},
		{4, []byte{0}},
		{4, []byte{0, 0, 0, 0, 1}},                // Stream Begin, 3 bytes of data
		{4, []byte{0, 3, 0, 0, 0, 1, 0, 0, 0x0b}}, // Set Buffer Length, 7 bytes
		{4, []byte{0, 6}},                         // Ping Request without a timestamp
	}
	for _, c := range cases {
		_, err := message.Decode(chunk.Message{TypeID: c.typ, Payload: c.wire})
		var fe *message.FormatError
		if !errors.As(err, &fe) || fe.Type != message.TypeID(c.typ) {
			t.Errorf("type %d % x: err %v, want a FormatError for type %d", c.typ, c.wire, err, c.typ)
		}
	}
	if _, err := message.Encode(message.Message{Body: message.SetChunkSize{}}); err == nil {
		t.Error("encoded a Set Chunk Size of 0")
	}
	if _, err := message.Encode(message.Message{}); !errors.Is(err, message.ErrNoBody) {
		t.Errorf("encode without a body: %v", err)
	}
}

// Unknown message types are kept, not dropped, and go back out unchanged;
// zero-length media and unknown messages are fine.
func TestUnknownTypesAndZeroLength(t *testing.T) {
	for _, raw := range []chunk.Message{
		{Timestamp: 1, TypeID: 7, StreamID: 1, Payload: []byte{1, 2, 3}},
		{Timestamp: 2, TypeID: 23, StreamID: 0, Payload: nil},
		{Timestamp: 3, TypeID: 255, StreamID: 5, Payload: []byte{0xff}},
		{Timestamp: 4, TypeID: 8, StreamID: 1, Payload: nil},
		{Timestamp: 5, TypeID: 9, StreamID: 1, Payload: nil},
		{Timestamp: 6, TypeID: 19, StreamID: 1, Payload: []byte{9}},
		{Timestamp: 7, TypeID: 16, StreamID: 1, Payload: []byte{8}},
		{Timestamp: 8, TypeID: 22, StreamID: 1, Payload: nil},
	} {
		m, err := message.Decode(raw)
		if err != nil {
			t.Errorf("type %d: %v", raw.TypeID, err)
			continue
		}
		back, err := message.Encode(m)
		if err != nil {
			t.Errorf("type %d: encode: %v", raw.TypeID, err)
			continue
		}
		if diff := cmp.Diff(raw, back); diff != "" {
			t.Errorf("type %d round trip (-raw +back):\n%s", raw.TypeID, diff)
		}
	}
	m, _ := message.Decode(chunk.Message{TypeID: 7, Payload: []byte{1}})
	if diff := cmp.Diff(message.Unknown{TypeID: 7, Payload: []byte{1}}, m.Body); diff != "" {
		t.Errorf("type 7 body (-want +got):\n%s", diff)
	}
}

// Media payloads are handed on, not copied, both ways.
func TestMediaNotCopied(t *testing.T) {
	payload := []byte{0x17, 1, 0, 0, 0, 0xaa}
	m, err := message.Decode(chunk.Message{TypeID: 9, StreamID: 1, Payload: payload})
	if err != nil {
		t.Fatal(err)
	}
	v := m.Body.(message.Video)
	if &v.Payload[0] != &payload[0] {
		t.Error("Decode copied a video payload")
	}
	raw, _ := message.Encode(message.Message{Body: message.Audio{Payload: payload}})
	if &raw.Payload[0] != &payload[0] {
		t.Error("Encode copied an audio payload")
	}
}

func TestChunkStreamIDPolicy(t *testing.T) {
	cases := []struct {
		body     message.Body
		streamID uint32
		want     uint32
	}{
		{message.SetChunkSize{Size: 4096}, 0, 2},
		{message.WindowAckSize{}, 0, 2},
		{message.SetPeerBandwidth{}, 0, 2},
		{message.Acknowledgement{}, 0, 2},
		{message.Abort{}, 0, 2},
		{message.StreamBegin{StreamID: 1}, 0, 2},
		{message.PingRequest{}, 1, 2},
		{message.Command{Name: "_result"}, 0, 3},
		{message.Data{}, 0, 3},
		{nil, 0, 3},
		{message.Audio{}, 0, 6},
		{message.Video{}, 0, 7},
		{message.Command{Name: "onStatus"}, 1, 5},
		{message.Data{}, 1, 5},
		{nil, 1, 5},
		{message.Audio{}, 1, 6},
		{message.Video{}, 1, 7},
		{message.Video{}, 2, 7},
		{message.Unknown{TypeID: 7}, 1, 5},
		{message.SharedObject{}, 3, 5},
		{message.Aggregate{}, 1, 5},
		{message.Audio{}, 0xffffffff, 6},
		{message.Command{}, 0xffffffff, 5},
	}
	for _, c := range cases {
		if got := message.ChunkStreamID(c.body, c.streamID); got != c.want {
			t.Errorf("%T on stream %d: chunk stream %d, want %d", c.body, c.streamID, got, c.want)
		}
	}
	fanOut := map[uint32]bool{
		message.FanOutAudioChunkStreamID: true,
		message.FanOutVideoChunkStreamID: true,
		message.FanOutDataChunkStreamID:  true,
	}
	for s := uint32(0); s < 100_000; s += 7 {
		for _, b := range []message.Body{message.Command{}, message.Audio{}, message.Video{}, message.StreamBegin{}} {
			id := message.ChunkStreamID(b, s)
			if id < chunk.MinChunkStreamID || id > 63 || fanOut[id] {
				t.Fatalf("%T on stream %d: chunk stream %d is outside the 1-byte ids or a fan-out id", b, s, id)
			}
		}
	}
}
