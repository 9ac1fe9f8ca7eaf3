package chunk_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/chunk"
)

// The two chunking examples of the RTMP specification, section 5.3.2: the
// exact bytes our encoder writes, chunk by chunk, and what the decoder
// reads back.

func TestSpecExample1AudioMessages(t *testing.T) {
	// Four 32-byte audio messages (type 8) on message stream 12345, at
	// 1000, 1020, 1040 and 1060 ms, on chunk stream 3.
	var msgs []chunk.Message
	for i := range 4 {
		msgs = append(msgs, chunk.Message{
			Timestamp: 1000 + 20*uint32(i), TypeID: 8, StreamID: 12345, Payload: pattern(32, byte(i)),
		})
	}
	// The specification's table: chunk 1 is type 0 (44 bytes), chunk 2 is
	// type 2 with delta 20 (36 bytes), chunks 3 and 4 are type 3 (33 bytes).
	want := [][]byte{
		cat([]byte{0x03, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x20, 0x08, 0x39, 0x30, 0x00, 0x00}, msgs[0].Payload),
		cat([]byte{0x83, 0x00, 0x00, 0x14}, msgs[1].Payload),
		cat([]byte{0xc3}, msgs[2].Payload),
		cat([]byte{0xc3}, msgs[3].Payload),
	}
	wantSizes := []int{44, 36, 33, 33}

	var enc chunk.Encoder
	var wire []byte
	for i, m := range msgs {
		before := len(wire)
		var err error
		if wire, err = enc.Append(wire, 3, m); err != nil {
			t.Fatal(err)
		}
		got := wire[before:]
		if len(got) != wantSizes[i] {
			t.Errorf("chunk %d: %d bytes, the specification says %d", i+1, len(got), wantSizes[i])
		}
		if !bytes.Equal(got, want[i]) {
			t.Errorf("chunk %d:\n got % x\nwant % x", i+1, got, want[i])
		}
	}
	if diff := cmp.Diff(msgs, mustDecode(t, wire)); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
}

func TestSpecExample2MessageSplitIntoChunks(t *testing.T) {
	// One 307-byte video message (type 9) on message stream 12346 at
	// 1000 ms, chunk stream 4, chunk size 128.
	m := chunk.Message{Timestamp: 1000, TypeID: 9, StreamID: 12346, Payload: pattern(307, 1)}
	// Type 0 with 128 bytes (140 in all), type 3 with 128 (129), type 3
	// with 51 (52).
	want := cat(
		[]byte{0x04, 0x00, 0x03, 0xe8, 0x00, 0x01, 0x33, 0x09, 0x3a, 0x30, 0x00, 0x00}, m.Payload[:128],
		[]byte{0xc4}, m.Payload[128:256],
		[]byte{0xc4}, m.Payload[256:],
	)
	if len(want) != 140+129+52 {
		t.Fatalf("test vector is %d bytes", len(want))
	}
	var enc chunk.Encoder
	wire, err := enc.Append(nil, 4, m)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(wire, want) {
		t.Errorf("encoded:\n got % x\nwant % x", wire, want)
	}
	if diff := cmp.Diff([]chunk.Message{m}, mustDecode(t, want)); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
}
