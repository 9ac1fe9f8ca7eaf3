package chunk_test

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gortmp/rtmp/codec/chunk"
)

// equateEmpty makes a nil payload equal an empty one: the decoder returns
// nil for zero-length messages.
var equateEmpty = cmpopts.EquateEmpty()

// decodePieces feeds wire to a fresh decoder in pieces of the given
// lengths (the rest in one piece) and returns what it produced.
func decodePieces(cfg chunk.DecoderConfig, wire []byte, pieces []int) ([]chunk.Message, error) {
	dec := chunk.NewDecoder(cfg)
	var msgs []chunk.Message
	var err error
	for _, n := range pieces {
		n = min(n, len(wire))
		if msgs, err = dec.Feed(msgs, wire[:n]); err != nil {
			return msgs, err
		}
		wire = wire[n:]
	}
	return dec.Feed(msgs, wire)
}

// decodeWhole feeds wire in one piece.
func decodeWhole(cfg chunk.DecoderConfig, wire []byte) ([]chunk.Message, error) {
	return decodePieces(cfg, wire, nil)
}

// decodeBytewise feeds wire one byte at a time.
func decodeBytewise(cfg chunk.DecoderConfig, wire []byte) ([]chunk.Message, error) {
	pieces := make([]int, len(wire))
	for i := range pieces {
		pieces[i] = 1
	}
	return decodePieces(cfg, wire, pieces)
}

// mustDecode decodes wire whole and byte by byte, requires both to succeed
// with the same messages, and returns them.
func mustDecode(t *testing.T, wire []byte) []chunk.Message {
	t.Helper()
	whole, err := decodeWhole(chunk.DecoderConfig{}, wire)
	if err != nil {
		t.Fatalf("decode whole: %v", err)
	}
	bytewise, err := decodeBytewise(chunk.DecoderConfig{}, wire)
	if err != nil {
		t.Fatalf("decode byte by byte: %v", err)
	}
	if diff := cmp.Diff(whole, bytewise, equateEmpty); diff != "" {
		t.Fatalf("whole and byte-by-byte decoding differ (-whole +bytewise):\n%s", diff)
	}
	return whole
}

// pattern returns n bytes that differ from position to position, so a
// misplaced header byte shows up in the payload.
func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i)*7 + seed
	}
	return b
}

// cat concatenates byte slices.
func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
