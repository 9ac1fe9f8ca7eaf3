package message_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/amf3"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
)

// roundTrip encodes a message and decodes it again.
func roundTrip(t *testing.T, b message.Body) message.Body {
	t.Helper()
	raw, err := message.Encode(message.Message{Body: b})
	if err != nil {
		t.Fatalf("encode %#v: %v", b, err)
	}
	m, err := message.Decode(raw)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return m.Body
}

// A command and a data message written for an AMF3 peer travel as types
// 17 and 15 and read back, normalized, as the AMF0 originals.
func TestInAMF3ReadsBackTheSame(t *testing.T) {
	cmd := message.Command{Name: "onStatus", TransactionID: 0, Args: []amf0.Value{amf0.Object{
		{Key: "level", Value: "status"}, {Key: "code", Value: "NetStream.Play.Start"}, {Key: "clientid", Value: 42.0},
	}}}
	got := roundTrip(t, cmd.InAMF3())
	if got.Type() != message.TypeCommandAMF3 {
		t.Fatalf("command type %d, want 17", got.Type())
	}
	if _, switched := got.(message.Command).Args[0].(amf0.AVMPlus); !switched {
		t.Fatalf("the info object is not behind the AVM+ switch: %#v", got)
	}
	back := got.(message.Command).Normalized()
	back.AMF3 = false
	if diff := cmp.Diff(cmd, back, equateEmpty); diff != "" {
		t.Errorf("command (-sent +read):\n%s", diff)
	}

	data := message.Data{Values: []amf0.Value{"onMetaData", amf0.ECMAArray{{Key: "width", Value: 640.0}, {Key: "framerate", Value: 29.97}}}}
	gotData := roundTrip(t, data.InAMF3()).(message.Data)
	if !gotData.AMF3 || gotData.Values[0] != "onMetaData" {
		t.Fatalf("data: %#v", gotData)
	}
	backData := gotData.Normalized()
	backData.AMF3 = false
	if diff := cmp.Diff(data, backData, equateEmpty); diff != "" {
		t.Errorf("data (-sent +read):\n%s", diff)
	}
}

// DataPayloadInAMF3 makes the type-15 payload of a relayed type-18 one:
// the format byte, the handler name in AMF0, the rest switched.
func TestDataPayloadInAMF3(t *testing.T) {
	p, err := amf0.Append(nil, "onMetaData", amf0.ECMAArray{{Key: "width", Value: 640.0}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := message.DataPayloadInAMF3(p)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte{0x00, 0x02, 0x00, 0x0a}, "onMetaData"...)
	want = append(want, 0x11) // AVM+
	want, _ = amf3.Append(want, amf3.Array{Associative: []amf3.Property{{Key: "width", Value: int32(640)}}})
	if !bytes.Equal(got, want) {
		t.Fatalf("payload\n got %x\nwant %x", got, want)
	}
	m, err := message.Decode(chunk.Message{TypeID: uint8(message.TypeDataAMF3), Payload: got})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]amf0.Value{"onMetaData", amf0.ECMAArray{{Key: "width", Value: 640.0}}}, m.Body.(message.Data).Normalized().Values); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}

	var fe *message.FormatError
	if _, err := message.DataPayloadInAMF3([]byte{0x02, 0x00}); !errors.As(err, &fe) {
		t.Fatalf("a truncated payload gave %v, want a *FormatError", err)
	}
}

// A name and transaction id some AMF3 writers put behind the switch too
// read as plain ones.
func TestCommandNameBehindTheSwitch(t *testing.T) {
	p := []byte{0x00, 0x11, 0x06, 0x09}
	p = append(p, "play"...)
	p = append(p, 0x11, 0x04, 0x05, 0x05) // AVM+ integer 5, then null
	m, err := message.Decode(chunk.Message{TypeID: uint8(message.TypeCommandAMF3), Payload: p})
	if err != nil {
		t.Fatal(err)
	}
	c := m.Body.(message.Command)
	if c.Name != "play" || c.TransactionID != 5 || !c.AMF3 {
		t.Fatalf("read %#v", c)
	}
}
