package message_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
	"pgregory.net/rapid"
)

// AMF0 building blocks for hand-written vectors.
func str(s string) []byte { return append([]byte{0x02, byte(len(s) >> 8), byte(len(s))}, s...) }
func key(s string) []byte { return append([]byte{byte(len(s) >> 8), byte(len(s))}, s...) }
func num(f float64) []byte {
	return binary.BigEndian.AppendUint64([]byte{0x00}, math.Float64bits(f))
}

var objectEnd = []byte{0, 0, 9}

func TestCommandVectors(t *testing.T) {
	connect := bytes.Join([][]byte{
		str("connect"), num(1),
		{0x03}, key("app"), str("live"), objectEnd,
	}, nil)
	play := bytes.Join([][]byte{str("play"), num(4), {0x05}, str("demo"), num(-2)}, nil)
	setDataFrame := bytes.Join([][]byte{
		str("@setDataFrame"), str("onMetaData"),
		{0x08, 0, 0, 0, 1}, key("duration"), num(4), objectEnd,
	}, nil)
	cases := []struct {
		name string
		typ  uint8
		wire []byte
		body message.Body
	}{
		{"connect", 20, connect, message.Command{Name: "connect", TransactionID: 1, Object: amf0.Object{{Key: "app", Value: "live"}}}},
		{"connect as AMF3 command", 17, append([]byte{0}, connect...), message.Command{Name: "connect", TransactionID: 1, Object: amf0.Object{{Key: "app", Value: "live"}}, AMF3: true}},
		{"play with arguments", 20, play, message.Command{Name: "play", TransactionID: 4, Object: nil, Args: []amf0.Value{"demo", -2.0}}},
		{"name only", 20, str("onBWDone"), message.Command{Name: "onBWDone"}},
		{"@setDataFrame", 18, setDataFrame, message.Data{Values: []amf0.Value{"@setDataFrame", "onMetaData", amf0.ECMAArray{{Key: "duration", Value: 4.0}}}}},
		{"AMF3 data", 15, append([]byte{0}, str("onTextData")...), message.Data{Values: []amf0.Value{"onTextData"}, AMF3: true}},
		{"empty data", 18, nil, message.Data{}},
	}
	for _, c := range cases {
		m, err := message.Decode(chunk.Message{TypeID: c.typ, StreamID: 1, Payload: c.wire})
		if err != nil {
			t.Errorf("%s: decode: %v", c.name, err)
			continue
		}
		if diff := cmp.Diff(c.body, m.Body, equateEmpty); diff != "" {
			t.Errorf("%s: decoded (-want +got):\n%s", c.name, diff)
		}
		if c.name == "name only" {
			continue // re-encoding adds the transaction id and null object
		}
		raw, err := message.Encode(message.Message{StreamID: 1, Body: c.body})
		if err != nil {
			t.Errorf("%s: encode: %v", c.name, err)
			continue
		}
		if raw.TypeID != c.typ || !bytes.Equal(raw.Payload, c.wire) {
			t.Errorf("%s: encoded type %d\n% x\nwant type %d\n% x", c.name, raw.TypeID, raw.Payload, c.typ, c.wire)
		}
	}
}

func TestCommandMalformed(t *testing.T) {
	cases := map[string][]byte{
		"empty":                    nil,
		"name is a number":         num(1),
		"transaction id is string": append(str("connect"), str("1")...),
		"truncated AMF":            str("connect")[:5],
	}
	for name, p := range cases {
		_, err := message.Decode(chunk.Message{TypeID: 20, Payload: p})
		var fe *message.FormatError
		if !errors.As(err, &fe) || fe.Type != message.TypeCommandAMF0 {
			t.Errorf("%s: err %v, want a FormatError", name, err)
		}
	}
}

// genValue draws AMF0 values of the kinds commands carry.
func genValue(t *rapid.T, depth int) amf0.Value {
	kinds := 5
	if depth < 2 {
		kinds = 7
	}
	switch rapid.IntRange(0, kinds-1).Draw(t, "kind") {
	case 0:
		return rapid.Float64().Draw(t, "number")
	case 1:
		return rapid.Bool().Draw(t, "bool")
	case 2:
		return rapid.String().Draw(t, "string")
	case 3:
		return nil
	case 4:
		return amf0.Undefined{}
	case 5:
		var o amf0.Object
		for range rapid.IntRange(0, 3).Draw(t, "props") {
			o = append(o, amf0.Property{Key: rapid.StringMatching(`[a-zA-Z]{1,8}`).Draw(t, "key"), Value: genValue(t, depth+1)})
		}
		return o
	default:
		var a amf0.StrictArray
		for range rapid.IntRange(0, 3).Draw(t, "items") {
			a = append(a, genValue(t, depth+1))
		}
		return a
	}
}

func TestCommandAndDataRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var body message.Body
		if rapid.Bool().Draw(t, "command") {
			c := message.Command{
				Name:          rapid.StringMatching(`[a-zA-Z_@|]{1,16}`).Draw(t, "name"),
				TransactionID: float64(rapid.IntRange(0, 1000).Draw(t, "tx")),
				Object:        genValue(t, 0),
				AMF3:          rapid.Bool().Draw(t, "amf3"),
			}
			for range rapid.IntRange(0, 3).Draw(t, "args") {
				c.Args = append(c.Args, genValue(t, 0))
			}
			body = c
		} else {
			d := message.Data{AMF3: rapid.Bool().Draw(t, "amf3")}
			d.Values = append(d.Values, rapid.StringMatching(`[a-zA-Z@]{1,16}`).Draw(t, "first"))
			for range rapid.IntRange(0, 3).Draw(t, "values") {
				d.Values = append(d.Values, genValue(t, 0))
			}
			body = d
		}
		m := message.Message{Timestamp: rapid.Uint32().Draw(t, "ts"), StreamID: rapid.Uint32().Draw(t, "stream"), Body: body}
		raw, err := message.Encode(m)
		if err != nil {
			t.Fatalf("encode: %v", err)
		}
		back, err := message.Decode(raw)
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		if diff := cmp.Diff(m, back, equateEmpty, cmp.Comparer(sameFloat)); diff != "" {
			t.Fatalf("round trip (-sent +decoded):\n%s", diff)
		}
	})
}

// sameFloat treats NaNs as equal: the round trip keeps the bits.
func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
