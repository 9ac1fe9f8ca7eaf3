package chunk_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/chunk"
)

func setChunkSize(size uint32) chunk.Message {
	return chunk.Message{TypeID: 1, Payload: []byte{byte(size >> 24), byte(size >> 16), byte(size >> 8), byte(size)}}
}

// Set Chunk Size takes effect for the very next chunk, on the way in and on
// the way out, and is still handed up.
func TestSetChunkSizeAppliedImmediately(t *testing.T) {
	var enc chunk.Encoder
	big := chunk.Message{Timestamp: 7, TypeID: 9, StreamID: 1, Payload: pattern(1000, 4)}
	wire, _ := enc.Append(nil, 2, setChunkSize(1000))
	if len(wire) != 12+4 {
		t.Fatalf("Set Chunk Size encoded in %d bytes", len(wire))
	}
	if enc.ChunkSize() != 1000 {
		t.Fatalf("encoder chunk size %d after Set Chunk Size", enc.ChunkSize())
	}
	wire, _ = enc.Append(wire, 6, big)
	if got := len(wire) - 16; got != 12+1000 {
		t.Errorf("1000-byte message at chunk size 1000 took %d bytes, want one chunk of 1012", got)
	}
	got := mustDecode(t, wire)
	if diff := cmp.Diff([]chunk.Message{setChunkSize(1000), big}, got); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
}

func TestSetChunkSizeRefused(t *testing.T) {
	cases := []struct {
		name    string
		payload []byte
		limit   string // "" for a protocol error
	}{
		{"zero", []byte{0, 0, 0, 0}, ""},
		{"top bit set", []byte{0x80, 0, 0, 1}, ""},
		{"short", []byte{0, 1}, ""},
		{"above the cap", []byte{0x01, 0x00, 0x00, 0x01}, chunk.LimitChunkSize},
	}
	for _, c := range cases {
		wire := cat([]byte{0x02, 0, 0, 0, 0, 0, byte(len(c.payload)), 1, 0, 0, 0, 0}, c.payload)
		msgs, err := decodeWhole(chunk.DecoderConfig{}, wire)
		if len(msgs) != 0 {
			t.Errorf("%s: %d messages returned", c.name, len(msgs))
		}
		var le *chunk.LimitError
		var pe *chunk.ProtocolError
		switch {
		case c.limit != "" && (!errors.As(err, &le) || le.Limit != c.limit):
			t.Errorf("%s: err %v, want a LimitError on %s", c.name, err, c.limit)
		case c.limit == "" && !errors.As(err, &pe):
			t.Errorf("%s: err %v, want a ProtocolError", c.name, err)
		}
	}
	// The encoder refuses to send what the decoder refuses to read.
	var enc chunk.Encoder
	for _, p := range [][]byte{{0, 0, 0, 0}, {0x80, 0, 0, 0}, {0, 1}} {
		if _, err := enc.Append(nil, 2, chunk.Message{TypeID: 1, Payload: p}); !errors.Is(err, chunk.ErrSetChunkSize) {
			t.Errorf("encode Set Chunk Size % x: err %v", p, err)
		}
	}
	if enc.ChunkSize() != 128 {
		t.Errorf("refused Set Chunk Size changed the chunk size to %d", enc.ChunkSize())
	}
}

// Abort drops the partial message of its chunk stream; the next message on
// that chunk stream starts afresh.
func TestAbortDiscardsPartialMessage(t *testing.T) {
	dec := chunk.NewDecoder(chunk.DecoderConfig{})
	part := cat([]byte{0x06, 0, 0, 10, 0, 1, 0, 9, 1, 0, 0, 0}, pattern(128, 1)) // 256-byte message, half sent
	msgs, err := dec.Feed(nil, part)
	if err != nil || len(msgs) != 0 {
		t.Fatalf("first half: %v, %d messages", err, len(msgs))
	}
	if dec.Buffered() != 128 {
		t.Errorf("Buffered %d with half a message in, want 128", dec.Buffered())
	}
	abort := []byte{0x02, 0, 0, 0, 0, 0, 4, 2, 0, 0, 0, 0, 0, 0, 0, 6}
	next := cat([]byte{0x46, 0, 0, 5, 0, 0, 3, 9}, []byte{7, 8, 9}) // type 1: a new message, delta 5
	msgs, err = dec.Feed(nil, cat(abort, next))
	if err != nil {
		t.Fatal(err)
	}
	want := []chunk.Message{
		{TypeID: 2, Payload: []byte{0, 0, 0, 6}},
		{Timestamp: 15, TypeID: 9, StreamID: 1, Payload: []byte{7, 8, 9}},
	}
	if diff := cmp.Diff(want, msgs); diff != "" {
		t.Errorf("after Abort (-want +got):\n%s", diff)
	}
	if dec.Buffered() != 0 {
		t.Errorf("Buffered %d after Abort, want 0", dec.Buffered())
	}
}

// Every limit, when exceeded, is an error that names it, and comes before
// any allocation for the request.
func TestLimitsNamed(t *testing.T) {
	videoHeader := func(csid byte, length uint32) []byte {
		return []byte{csid, 0, 0, 0, byte(length >> 16), byte(length >> 8), byte(length), 9, 1, 0, 0, 0}
	}
	many := func(n int, length uint32) []byte { // n chunk streams, each starting a message
		var b []byte
		for i := range n {
			csid := uint32(64 + i)
			b = append(b, 0x00, byte(csid-64))
			b = append(b, videoHeader(0, length)[1:]...)
			b = append(b, pattern(min(int(length), 128), byte(i))...)
		}
		return b
	}
	cases := []struct {
		name  string
		cfg   chunk.DecoderConfig
		wire  []byte
		limit string
	}{
		{"message size", chunk.DecoderConfig{MaxMessageSize: 1000}, videoHeader(4, 1001), chunk.LimitMessageSize},
		{"message size at the 24-bit ceiling", chunk.DecoderConfig{MaxMessageSize: 100}, videoHeader(4, 0xffffff), chunk.LimitMessageSize},
		{"chunk size", chunk.DecoderConfig{MaxChunkSize: 4096}, cat([]byte{2, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0}, []byte{0, 0, 0x10, 0x01}), chunk.LimitChunkSize},
		{"partial messages", chunk.DecoderConfig{MaxPartialMessages: 3}, many(4, 1000), chunk.LimitPartialMessages},
		{"buffered", chunk.DecoderConfig{MaxBuffered: 300}, many(3, 1000), chunk.LimitBuffered},
		{"chunk streams", chunk.DecoderConfig{MaxChunkStreams: 5}, many(6, 0), chunk.LimitChunkStreams},
	}
	for _, c := range cases {
		for _, split := range []string{"whole", "bytewise"} {
			var err error
			if split == "whole" {
				_, err = decodeWhole(c.cfg, c.wire)
			} else {
				_, err = decodeBytewise(c.cfg, c.wire)
			}
			var le *chunk.LimitError
			if !errors.As(err, &le) || le.Limit != c.limit || !strings.Contains(err.Error(), c.limit) {
				t.Errorf("%s (%s): err %v, want a LimitError naming %s", c.name, split, err, c.limit)
			}
		}
	}
	// Within the limits the same inputs decode.
	if _, err := decodeWhole(chunk.DecoderConfig{MaxPartialMessages: 4}, many(4, 1000)); err != nil {
		t.Errorf("4 partial messages under a limit of 4: %v", err)
	}
	if _, err := decodeWhole(chunk.DecoderConfig{MaxChunkStreams: 6}, many(6, 0)); err != nil {
		t.Errorf("6 chunk streams under a limit of 6: %v", err)
	}
}

// A terminal decoder keeps returning its error and nothing else.
func TestDecoderTerminalAfterError(t *testing.T) {
	dec := chunk.NewDecoder(chunk.DecoderConfig{})
	_, err := dec.Feed(nil, []byte{0xc7})
	if err == nil {
		t.Fatal("no error for a type-3 header on a fresh chunk stream")
	}
	msgs, err2 := dec.Feed(nil, []byte{0x03, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0})
	if err2 != err || len(msgs) != 0 || dec.Err() != err {
		t.Errorf("after the error: %d messages, err %v, Err %v; want none and %v", len(msgs), err2, dec.Err(), err)
	}
}

func TestEncoderRefusesWhatTheWireCannotCarry(t *testing.T) {
	var enc chunk.Encoder
	for _, csid := range []uint32{0, 1, 65600} {
		if _, err := enc.Append(nil, csid, chunk.Message{TypeID: 8}); !errors.Is(err, chunk.ErrChunkStreamID) {
			t.Errorf("csid %d: err %v", csid, err)
		}
	}
	if _, err := enc.Append(nil, 4, chunk.Message{TypeID: 9, Payload: make([]byte, 1<<24)}); !errors.Is(err, chunk.ErrMessageTooLong) {
		t.Errorf("16 MiB message: err %v", err)
	}
}
