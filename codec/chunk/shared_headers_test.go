package chunk

import (
	"bytes"
	"testing"

	"pgregory.net/rapid"
)

// gather puts a message together as a gathering writer sends it: first,
// then the payload cut at size with cont before each later piece.
func gather(first, cont, payload []byte, size int) []byte {
	out := append([]byte(nil), first...)
	for i := 0; i < len(payload); i += size {
		if i > 0 {
			out = append(out, cont...)
		}
		out = append(out, payload[i:min(i+size, len(payload))]...)
	}
	return out
}

// TestSharedHeadersGatherToAppendShared: the headers with the payload
// between them are AppendShared's bytes, for any chunk stream, timestamp
// (extended ones included), size and chunk size.
func TestSharedHeadersGatherToAppendShared(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		csid := rapid.OneOf(rapid.Uint32Range(MinChunkStreamID, 70), rapid.Uint32Range(300, MaxChunkStreamID)).Draw(t, "csid")
		ts := rapid.OneOf(rapid.Uint32Range(0, 1000), rapid.Uint32Range(extendedMarker-2, extendedMarker+2), rapid.Uint32()).Draw(t, "ts")
		m := Message{
			Timestamp: ts,
			TypeID:    rapid.SampledFrom([]uint8{8, 9, 18}).Draw(t, "type"),
			StreamID:  rapid.Uint32().Draw(t, "stream"),
			Payload:   rapid.SliceOfN(rapid.Byte(), 0, 3000).Draw(t, "payload"),
		}
		size := rapid.Uint32Range(1, 700).Draw(t, "chunkSize")
		want, err := AppendShared(nil, csid, m, size)
		if err != nil {
			t.Fatal(err)
		}
		first, cont, err := AppendSharedHeaders(make([]byte, 0, MaxSharedHeaders), csid, m, size)
		if err != nil {
			t.Fatal(err)
		}
		if len(first)+len(cont) > MaxSharedHeaders {
			t.Fatalf("%d header bytes, more than MaxSharedHeaders", len(first)+len(cont))
		}
		if got := gather(first, cont, m.Payload, int(size)); !bytes.Equal(got, want.Bytes) {
			t.Fatalf("gathered\n%x\nAppendShared\n%x", got, want.Bytes)
		}
	})
}

func TestSharedHeadersRefuseWhatAppendSharedRefuses(t *testing.T) {
	m := Message{TypeID: 9, Payload: []byte{1}}
	if _, _, err := AppendSharedHeaders(nil, 1, m, 128); err == nil {
		t.Error("chunk stream 1 accepted")
	}
	if _, _, err := AppendSharedHeaders(nil, 6, m, 0); err == nil {
		t.Error("chunk size 0 accepted")
	}
	if _, _, err := AppendSharedHeaders(nil, 6, m, MaxChunkSize+1); err == nil {
		t.Error("chunk size past the maximum accepted")
	}
}
