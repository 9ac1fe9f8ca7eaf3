package message_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
)

// sub writes one aggregate sub-message: an FLV-tag-shaped header, the
// payload and the back pointer.
func sub(typ uint8, ts uint32, streamID uint32, payload []byte) []byte {
	n := len(payload)
	b := []byte{typ, byte(n >> 16), byte(n >> 8), byte(n), byte(ts >> 16), byte(ts >> 8), byte(ts), byte(ts >> 24),
		byte(streamID >> 16), byte(streamID >> 8), byte(streamID)}
	b = append(b, payload...)
	back := uint32(11 + n)
	return append(b, byte(back>>24), byte(back>>16), byte(back>>8), byte(back))
}

// split collects what AggregateParts yields.
func split(raw chunk.Message) ([]chunk.Message, error) {
	parts, err := message.AggregateParts(raw)
	if err != nil {
		return nil, err
	}
	var got []chunk.Message
	for part := range parts {
		got = append(got, part)
	}
	return got, nil
}

func TestAggregatePartsRebaseTimestamps(t *testing.T) {
	a1, v1, v2 := []byte{0xaf, 1, 2}, []byte{0x27, 1, 0, 0, 0, 9}, []byte{}
	var payload []byte
	payload = append(payload, sub(8, 100, 7, a1)...)
	payload = append(payload, sub(9, 120, 7, v1)...)
	payload = append(payload, sub(9, 0x01000010, 7, v2)...) // uses the high timestamp byte
	raw := chunk.Message{Timestamp: 5000, TypeID: 22, StreamID: 1, Payload: payload}
	got, err := split(raw)
	if err != nil {
		t.Fatal(err)
	}
	// The offset is aggregate time minus the first sub-message's time
	// (5000 - 100); every sub-message takes the aggregate's stream id.
	want := []chunk.Message{
		{Timestamp: 5000, TypeID: 8, StreamID: 1, Payload: a1},
		{Timestamp: 5020, TypeID: 9, StreamID: 1, Payload: v1},
		{Timestamp: 0x01000010 + 4900, TypeID: 9, StreamID: 1, Payload: v2},
	}
	if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
		t.Errorf("split (-want +got):\n%s", diff)
	}
	if &got[0].Payload[0] != &payload[11] {
		t.Error("sub-message payload was copied")
	}
	if cap(got[0].Payload) != len(a1) {
		t.Errorf("sub-message payload capacity %d reaches into the next sub-message", cap(got[0].Payload))
	}

	// An aggregate stamped before its first sub-message moves the
	// sub-messages back, wrapping at 2^32.
	raw.Timestamp = 50
	got, err = split(raw)
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Timestamp != 50 || got[1].Timestamp != 70 || got[2].Timestamp != 0x01000010-50 {
		t.Errorf("rebased backwards: %d, %d, %#x", got[0].Timestamp, got[1].Timestamp, got[2].Timestamp)
	}
}

func TestAggregatePartsRefuseMalformedSizes(t *testing.T) {
	good := sub(9, 0, 1, []byte{1, 2, 3})
	overrun := sub(9, 0, 1, []byte{1, 2, 3})
	overrun[3] = 200 // declares 200 bytes
	badBack := sub(9, 0, 1, []byte{1, 2, 3})
	badBack[len(badBack)-1]++
	cases := map[string][]byte{
		"truncated header":      append(append([]byte(nil), good...), 9, 0, 0),
		"payload overruns":      overrun,
		"missing back pointer":  good[:len(good)-2],
		"back pointer mismatch": badBack,
	}
	for name, p := range cases {
		_, err := split(chunk.Message{TypeID: 22, Payload: p})
		var fe *message.FormatError
		if !errors.As(err, &fe) || fe.Type != message.TypeAggregate {
			t.Errorf("%s: err %v, want a FormatError", name, err)
		}
	}
	if subs, err := split(chunk.Message{TypeID: 22}); err != nil || len(subs) != 0 {
		t.Errorf("empty aggregate: %v, %v", subs, err)
	}
}

// nestAggregate wraps inner in depth aggregate sub-message headers, the
// shape that once made a recursive reader's stack grow with the depth.
func nestAggregate(inner []byte, depth int) []byte {
	for range depth {
		inner = sub(22, 0, 0, inner)
	}
	return inner
}

func TestAggregatePartsRefuseNestedAggregates(t *testing.T) {
	video := sub(9, 0, 1, []byte{0x17, 1})
	for _, depth := range []int{1, 2, 1000} {
		payload := append(append([]byte(nil), video...), nestAggregate(video, depth)...)
		parts, err := message.AggregateParts(chunk.Message{TypeID: 22, Payload: payload})
		var fe *message.FormatError
		if !errors.Is(err, message.ErrNestedAggregate) || !errors.As(err, &fe) || fe.Type != message.TypeAggregate {
			t.Errorf("depth %d: err %v, want a FormatError wrapping ErrNestedAggregate", depth, err)
		}
		if parts != nil {
			t.Errorf("depth %d: parts returned along with the error", depth)
		}
	}
}

func TestAggregatePartsStopWhenTheReaderStops(t *testing.T) {
	var payload []byte
	for ts := range uint32(5) {
		payload = append(payload, sub(8, ts, 1, []byte{0xaf, 1})...)
	}
	parts, err := message.AggregateParts(chunk.Message{TypeID: 22, Payload: payload})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for range parts {
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Errorf("read %d parts, want 2", n)
	}
}

// Splitting allocates nothing in proportion to the aggregate: the parts of
// a 10,000-part aggregate cost what those of a 1-part one do.
func TestAggregatePartsAllocateNothingPerPart(t *testing.T) {
	allocs := func(parts int) float64 {
		var payload []byte
		for range parts {
			payload = append(payload, sub(9, 0, 1, []byte{0x27, 1})...)
		}
		raw := chunk.Message{TypeID: 22, Payload: payload}
		return testing.AllocsPerRun(20, func() {
			seq, err := message.AggregateParts(raw)
			if err != nil {
				t.Fatal(err)
			}
			for range seq {
			}
		})
	}
	if one, many := allocs(1), allocs(10_000); many > one {
		t.Errorf("%v allocations for 10,000 parts, %v for one", many, one)
	}
}

func TestLimitsBoundAMFDepthAndElements(t *testing.T) {
	// A data message of one strict array of 10 nulls, inside 3 levels of
	// strict arrays: depth 4, 14 elements.
	inner := []byte{0x0a, 0, 0, 0, 10, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}
	payload := inner
	for range 3 {
		payload = append([]byte{0x0a, 0, 0, 0, 1}, payload...)
	}
	raw := chunk.Message{TypeID: uint8(message.TypeDataAMF0), Payload: payload}
	cases := []struct {
		limits message.Limits
		ok     bool
	}{
		{message.Limits{}, true},
		{message.Limits{MaxDepth: 4, MaxElements: 14}, true},
		{message.Limits{MaxDepth: 3}, false},
		{message.Limits{MaxElements: 13}, false},
	}
	for _, c := range cases {
		_, err := c.limits.Decode(raw)
		var fe *message.FormatError
		if c.ok && err != nil {
			t.Errorf("%+v: %v", c.limits, err)
		}
		if !c.ok && !errors.As(err, &fe) {
			t.Errorf("%+v: err %v, want a FormatError", c.limits, err)
		}
	}
}
