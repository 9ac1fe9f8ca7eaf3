package chunk_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/chunk"
)

// One test per chunk-layer fault of the seed and of the peers listed in the
// design notes.

// The seed read the 2-byte form as byte-64 and the 3-byte form as
// big-endian-64, and wrote a 15-bit field for the 3-byte form.
func TestFaultTwoAndThreeByteChunkStreamIDs(t *testing.T) {
	cases := []struct {
		csid  uint32
		basic []byte // type-0 basic header
		cont  []byte // type-3 basic header
	}{
		{63, []byte{0x3f}, []byte{0xff}},
		{64, []byte{0x00, 0x00}, []byte{0xc0, 0x00}},
		{319, []byte{0x00, 0xff}, []byte{0xc0, 0xff}},
		{320, []byte{0x01, 0x00, 0x01}, []byte{0xc1, 0x00, 0x01}},
		{1000, []byte{0x01, 0xa8, 0x03}, []byte{0xc1, 0xa8, 0x03}}, // 1000-64 = 0x03a8, little-endian
		{65599, []byte{0x01, 0xff, 0xff}, []byte{0xc1, 0xff, 0xff}},
	}
	for _, c := range cases {
		m := chunk.Message{Timestamp: 5, TypeID: 9, StreamID: 1, Payload: pattern(130, byte(c.csid))}
		want := cat(c.basic, []byte{0, 0, 5, 0, 0, 130, 9, 1, 0, 0, 0}, m.Payload[:128], c.cont, m.Payload[128:])
		var enc chunk.Encoder
		got, err := enc.Append(nil, c.csid, m)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("csid %d encoded:\n got % x\nwant % x", c.csid, got, want)
		}
		if diff := cmp.Diff([]chunk.Message{m}, mustDecode(t, want)); diff != "" {
			t.Errorf("csid %d decoded (-want +got):\n%s", c.csid, diff)
		}
	}
	// Two chunk streams whose ids a wrong reading would mix up (64 and 320
	// both become 0 under the seed's formulas) keep their own state.
	a := chunk.Message{Timestamp: 1, TypeID: 8, StreamID: 1, Payload: pattern(10, 1)}
	b := chunk.Message{Timestamp: 2, TypeID: 9, StreamID: 1, Payload: pattern(20, 2)}
	var enc chunk.Encoder
	wire, _ := enc.Append(nil, 64, a)
	wire, _ = enc.Append(wire, 320, b)
	a.Timestamp, b.Timestamp = 11, 22
	wire, _ = enc.Append(wire, 64, a) // type 2 on csid 64
	wire, _ = enc.Append(wire, 320, b)
	want := []chunk.Message{
		{Timestamp: 1, TypeID: 8, StreamID: 1, Payload: a.Payload},
		{Timestamp: 2, TypeID: 9, StreamID: 1, Payload: b.Payload},
		a, b,
	}
	if diff := cmp.Diff(want, mustDecode(t, wire)); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
}

// The seed never read an extended timestamp on a type-3 chunk: it took the
// four bytes for payload.
func TestFaultType3ChunkExtendedTimestamp(t *testing.T) {
	const ts = 0x01020304
	payload := pattern(200, 9)
	wire := cat(
		[]byte{0x06, 0xff, 0xff, 0xff, 0x00, 0x00, 200, 0x09, 0x01, 0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04}, payload[:128],
		[]byte{0xc6, 0x01, 0x02, 0x03, 0x04}, payload[128:],
		// A type-3 header that starts a new message after a type-0 header
		// with an extended timestamp: the delta is the extended value.
		[]byte{0xc6, 0x01, 0x02, 0x03, 0x04}, payload[:128],
		[]byte{0xc6, 0x01, 0x02, 0x03, 0x04}, payload[128:],
	)
	want := []chunk.Message{
		{Timestamp: ts, TypeID: 9, StreamID: 1, Payload: payload},
		{Timestamp: 2 * ts, TypeID: 9, StreamID: 1, Payload: payload},
	}
	if diff := cmp.Diff(want, mustDecode(t, wire)); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
}

// The seed never wrote an extended timestamp: it truncated to 24 bits.
func TestFaultExtendedTimestampWritten(t *testing.T) {
	var enc chunk.Encoder
	m := chunk.Message{Timestamp: 0xffffff, TypeID: 8, StreamID: 1, Payload: pattern(130, 3)}
	got, _ := enc.Append(nil, 4, m)
	want := cat(
		[]byte{0x04, 0xff, 0xff, 0xff, 0, 0, 130, 8, 1, 0, 0, 0, 0x00, 0xff, 0xff, 0xff}, m.Payload[:128],
		[]byte{0xc4, 0x00, 0xff, 0xff, 0xff}, m.Payload[128:],
	)
	if !bytes.Equal(got, want) {
		t.Errorf("type 0 at 0xffffff:\n got % x\nwant % x", got, want)
	}
	// A delta of 0xffffff or more goes in the extended field of a type-2
	// header, and the type-3 chunks repeat it.
	m2 := m
	m2.Timestamp = 0xffffff + 0x01000000
	got, _ = enc.Append(nil, 4, m2)
	want = cat(
		[]byte{0x84, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00}, m.Payload[:128],
		[]byte{0xc4, 0x01, 0x00, 0x00, 0x00}, m.Payload[128:],
	)
	if !bytes.Equal(got, want) {
		t.Errorf("type 2 with an extended delta:\n got % x\nwant % x", got, want)
	}
	// Below the marker there is no extended field.
	var enc2 chunk.Encoder
	got, _ = enc2.Append(nil, 4, chunk.Message{Timestamp: 0xfffffe, TypeID: 8, Payload: []byte{1}})
	if want := []byte{0x04, 0xff, 0xff, 0xfe, 0, 0, 1, 8, 0, 0, 0, 0, 1}; !bytes.Equal(got, want) {
		t.Errorf("type 0 at 0xfffffe:\n got % x\nwant % x", got, want)
	}
}

// The seed kept one partial message per connection, so chunks of two
// chunk streams interleaved mid-message broke it.
func TestFaultOnePartialMessagePerChunkStream(t *testing.T) {
	audio := pattern(200, 1)
	video := pattern(300, 2)
	wire := cat(
		[]byte{0x04, 0, 0, 10, 0, 0, 200, 8, 1, 0, 0, 0}, audio[:128],
		[]byte{0x05, 0, 0, 20, 0, 0x01, 0x2c, 9, 1, 0, 0, 0}, video[:128],
		[]byte{0xc5}, video[128:256],
		[]byte{0xc4}, audio[128:],
		[]byte{0xc5}, video[256:],
	)
	want := []chunk.Message{
		{Timestamp: 10, TypeID: 8, StreamID: 1, Payload: audio},
		{Timestamp: 20, TypeID: 9, StreamID: 1, Payload: video},
	}
	if diff := cmp.Diff(want, mustDecode(t, wire)); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
}

// The seed compressed continuation chunks like first chunks, so the second
// chunk of a message with a non-zero delta went out as type 2 with delta 0.
func TestFaultContinuationChunksAreType3(t *testing.T) {
	var enc chunk.Encoder
	first := chunk.Message{Timestamp: 0, TypeID: 9, StreamID: 1, Payload: pattern(400, 1)}
	second := chunk.Message{Timestamp: 40, TypeID: 9, StreamID: 1, Payload: pattern(400, 2)}
	enc.Append(nil, 6, first)
	got, _ := enc.Append(nil, 6, second)
	want := cat(
		[]byte{0x86, 0, 0, 40}, second.Payload[:128],
		[]byte{0xc6}, second.Payload[128:256],
		[]byte{0xc6}, second.Payload[256:384],
		[]byte{0xc6}, second.Payload[384:],
	)
	if !bytes.Equal(got, want) {
		t.Errorf("encoded:\n got % x\nwant % x", got, want)
	}
}

// Zero-length messages complete at their header: there is no chunk
// payload to wait for.
func TestFaultZeroLengthMessages(t *testing.T) {
	wire := []byte{
		0x03, 0, 0, 1, 0, 0, 0, 18, 0, 0, 0, 0, // type 0, length 0
		0xc3,                                  // type 3: another, at 1+1
		0x03, 0, 0, 5, 0, 0, 1, 8, 0, 0, 0, 0, // a one-byte audio message after them
		0x7f,
	}
	want := []chunk.Message{
		{Timestamp: 1, TypeID: 18},
		{Timestamp: 2, TypeID: 18},
		{Timestamp: 5, TypeID: 8, Payload: []byte{0x7f}},
	}
	got := mustDecode(t, wire)
	if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	if got[0].Payload != nil {
		t.Errorf("empty payload is %#v, want nil (no allocation)", got[0].Payload)
	}
	var enc chunk.Encoder
	out, _ := enc.Append(nil, 3, chunk.Message{Timestamp: 1, TypeID: 18})
	if want := wire[:12]; !bytes.Equal(out, want) {
		t.Errorf("encoded empty message: % x, want % x", out, want)
	}
}

// Message types the chunk layer does not know travel untouched.
func TestFaultUnknownMessageTypesPass(t *testing.T) {
	var enc chunk.Encoder
	var wire []byte
	var want []chunk.Message
	for _, typ := range []uint8{0, 7, 10, 23, 255} {
		m := chunk.Message{Timestamp: uint32(typ), TypeID: typ, StreamID: 3, Payload: pattern(int(typ)+1, typ)}
		wire, _ = enc.Append(wire, 9, m)
		want = append(want, m)
	}
	if diff := cmp.Diff(want, mustDecode(t, wire)); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
}

// A type-1, 2 or 3 header on a chunk stream that never had a type-0 one
// has nothing to build on; the seed raised, we return a protocol error.
func TestCompressedHeaderWithoutTypeZero(t *testing.T) {
	for _, first := range []byte{0x45, 0x85, 0xc5} {
		_, err := decodeWhole(chunk.DecoderConfig{}, []byte{first, 0, 0, 0, 0, 0, 1, 8, 0})
		var pe *chunk.ProtocolError
		if !errors.As(err, &pe) || pe.ChunkStreamID != 5 {
			t.Errorf("header %#x: err %v, want a ProtocolError on chunk stream 5", first, err)
		}
	}
}

// Continuation chunks must be type 3; anything else mid-message is refused
// rather than guessed at.
func TestNonType3HeaderMidMessage(t *testing.T) {
	wire := cat([]byte{0x04, 0, 0, 0, 0, 0, 200, 8, 0, 0, 0, 0}, pattern(128, 0), []byte{0x84, 0, 0, 1})
	msgs, err := decodeWhole(chunk.DecoderConfig{}, wire)
	var pe *chunk.ProtocolError
	if !errors.As(err, &pe) || len(msgs) != 0 {
		t.Errorf("got %d messages, err %v; want a ProtocolError", len(msgs), err)
	}
}

// Timestamp deltas wrap at 2^32 on the way in and out.
func TestTimestampWrapAround(t *testing.T) {
	var enc chunk.Encoder
	msgs := []chunk.Message{
		{Timestamp: 0xfffffff0, TypeID: 9, StreamID: 1, Payload: []byte{1}},
		{Timestamp: 0xfffffffa, TypeID: 9, StreamID: 1, Payload: []byte{2}},
		{Timestamp: 0x00000004, TypeID: 9, StreamID: 1, Payload: []byte{3}}, // wrapped: type 0
	}
	var wire []byte
	for _, m := range msgs {
		wire, _ = enc.Append(wire, 6, m)
	}
	if diff := cmp.Diff(msgs, mustDecode(t, wire)); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	// A peer that expresses the wrap as a delta is read the same way.
	raw := []byte{
		0x06, 0xff, 0xff, 0xff, 0, 0, 1, 9, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xf0, 1,
		0x86, 0, 0, 0x14, 2, // +20 wraps to 4
	}
	want := []chunk.Message{msgs[0], {Timestamp: 4, TypeID: 9, StreamID: 1, Payload: []byte{2}}}
	if diff := cmp.Diff(want, mustDecode(t, raw)); diff != "" {
		t.Errorf("decoded delta wrap (-want +got):\n%s", diff)
	}
}

// A type-3 header that starts a new message right after a type-0 header
// adds the type-0 timestamp (section 5.3.1.2.4). The decoder follows the
// rule; the encoder never depends on it and sends an explicit type 2, so a
// peer that gets the rule wrong still reads the right time.
func TestType3AfterType0Rule(t *testing.T) {
	wire := []byte{
		0x05, 0, 0x03, 0xe8, 0, 0, 1, 8, 1, 0, 0, 0, 0xaa, // type 0 at 1000
		0xc5, 0xbb, // type 3: a new message at 1000 + 1000
		0xc5, 0xcc, // and again at 3000
	}
	want := []chunk.Message{
		{Timestamp: 1000, TypeID: 8, StreamID: 1, Payload: []byte{0xaa}},
		{Timestamp: 2000, TypeID: 8, StreamID: 1, Payload: []byte{0xbb}},
		{Timestamp: 3000, TypeID: 8, StreamID: 1, Payload: []byte{0xcc}},
	}
	if diff := cmp.Diff(want, mustDecode(t, wire)); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	var enc chunk.Encoder
	var got []byte
	for _, m := range want {
		got, _ = enc.Append(got, 5, m)
	}
	wantWire := []byte{
		0x05, 0, 0x03, 0xe8, 0, 0, 1, 8, 1, 0, 0, 0, 0xaa,
		0x85, 0, 0x03, 0xe8, 0xbb, // explicit delta
		0xc5, 0xcc, // now the delta is explicit, type 3 is safe
	}
	if !bytes.Equal(got, wantWire) {
		t.Errorf("encoded:\n got % x\nwant % x", got, wantWire)
	}
}
