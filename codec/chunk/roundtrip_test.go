package chunk_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/chunk"
	"pgregory.net/rapid"
)

// sent is one step of a generated conversation: a message on a chunk
// stream, and how the encoder is asked to write it.
type sent struct {
	csid uint32
	m    chunk.Message
	how  int // 0 Append, 1 AppendAbsolute, 2 AppendShared + Sent
}

// genCSID draws from all three basic-header forms.
func genCSID(t *rapid.T) uint32 {
	switch rapid.IntRange(0, 3).Draw(t, "csidForm") {
	case 0:
		return rapid.Uint32Range(2, 7).Draw(t, "csid") // few: lots of compression
	case 1:
		return rapid.Uint32Range(2, 63).Draw(t, "csid")
	case 2:
		return rapid.Uint32Range(64, 319).Draw(t, "csid")
	default:
		return rapid.Uint32Range(320, chunk.MaxChunkStreamID).Draw(t, "csid")
	}
}

// genTimestamp draws a timestamp near the previous one on the chunk
// stream, or near the places where encoders break: 0xFFFFFF and 2^32.
func genTimestamp(t *rapid.T, prev uint32) uint32 {
	switch rapid.IntRange(0, 5).Draw(t, "tsKind") {
	case 0:
		return prev + rapid.Uint32Range(0, 100).Draw(t, "delta")
	case 1:
		return 0xffffff + rapid.Uint32Range(0, 4).Draw(t, "off") - 2
	case 2:
		return 0xfffffff0 + rapid.Uint32Range(0, 0x20).Draw(t, "off") // wraps
	case 3:
		return prev + 0xfffffe + rapid.Uint32Range(0, 3).Draw(t, "delta") // delta around the marker
	case 4:
		return prev
	default:
		return rapid.Uint32().Draw(t, "ts")
	}
}

// genConversation draws messages, including Set Chunk Size changes and
// repeats that let the encoder use type-2 and type-3 headers.
func genConversation(t *rapid.T) []sent {
	n := rapid.IntRange(1, 40).Draw(t, "n")
	last := map[uint32]sent{}
	var out []sent
	for range n {
		how := rapid.IntRange(0, 2).Draw(t, "how")
		if rapid.IntRange(0, 9).Draw(t, "setChunkSize") == 0 {
			size := rapid.SampledFrom([]uint32{1, 2, 3, 50, 128, 129, 4096, 65536, 1 << 24}).Draw(t, "size")
			out = append(out, sent{2, setChunkSize(size), how})
			continue
		}
		csid := genCSID(t)
		if prev, ok := last[csid]; ok && rapid.Bool().Draw(t, "repeat") {
			// The same shape again, with the same delta or a new one.
			next := prev
			next.how = how
			next.m.Timestamp = genTimestamp(t, prev.m.Timestamp)
			next.m.Payload = rapid.SliceOfN(rapid.Byte(), len(prev.m.Payload), len(prev.m.Payload)).Draw(t, "payload")
			out = append(out, next)
			last[csid] = next
			continue
		}
		typ := rapid.SampledFrom([]uint8{3, 4, 5, 6, 8, 9, 15, 17, 18, 20, 22, 0, 7, 200}).Draw(t, "type")
		maxLen := rapid.SampledFrom([]int{0, 5, 300, 3000}).Draw(t, "maxLen")
		s := sent{csid: csid, how: how, m: chunk.Message{
			Timestamp: genTimestamp(t, last[csid].m.Timestamp),
			TypeID:    typ,
			StreamID:  rapid.SampledFrom([]uint32{0, 1, 2, 0xffffffff}).Draw(t, "streamID"),
			Payload:   rapid.SliceOfN(rapid.Byte(), 0, maxLen).Draw(t, "payload"),
		}}
		out = append(out, s)
		last[csid] = s
	}
	return out
}

// encodeConversation writes the conversation with one encoder.
func encodeConversation(t *rapid.T, conv []sent) ([]byte, *chunk.Encoder) {
	enc := chunk.NewEncoder()
	var wire []byte
	for _, s := range conv {
		var err error
		switch s.how {
		case 0:
			wire, err = enc.Append(wire, s.csid, s.m)
		case 1:
			wire, err = enc.AppendAbsolute(wire, s.csid, s.m)
		default:
			var sh chunk.Shared
			if sh, err = chunk.AppendShared(nil, s.csid, s.m, enc.ChunkSize()); err == nil {
				wire = append(wire, sh.Bytes...)
				err = enc.Sent(sh)
			}
		}
		if err != nil {
			t.Fatalf("encode %+v: %v", s, err)
		}
	}
	return wire, enc
}

// Whatever is encoded decodes to the same messages, however the bytes are
// split on the way: random pieces, and one byte at a time.
func TestRoundTripAnySplit(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		conv := genConversation(t)
		wire, enc := encodeConversation(t, conv)
		want := make([]chunk.Message, len(conv))
		for i, s := range conv {
			want[i] = s.m
		}

		var pieces []int
		for rest := len(wire); rest > 0; {
			n := rapid.IntRange(1, max(1, min(rest, 2000))).Draw(t, "piece")
			pieces = append(pieces, n)
			rest -= n
		}
		dec := chunk.NewDecoder(chunk.DecoderConfig{})
		var got []chunk.Message
		rest := wire
		for _, n := range pieces {
			var err error
			if got, err = dec.Feed(got, rest[:n]); err != nil {
				t.Fatalf("decode: %v", err)
			}
			rest = rest[n:]
		}
		if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
			t.Fatalf("random pieces (-sent +decoded):\n%s", diff)
		}
		if dec.ChunkSize() != enc.ChunkSize() || dec.Buffered() != 0 {
			t.Fatalf("decoder chunk size %d (encoder %d), %d bytes still buffered", dec.ChunkSize(), enc.ChunkSize(), dec.Buffered())
		}
		if len(wire) <= 20000 {
			got, err := decodeBytewise(chunk.DecoderConfig{}, wire)
			if err != nil {
				t.Fatalf("decode byte by byte: %v", err)
			}
			if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
				t.Fatalf("byte by byte (-sent +decoded):\n%s", diff)
			}
		}
	})
}

// A shared encoding followed by Sent leaves a receiver's encoder exactly
// where encoding the message itself with a type-0 header would have: the
// bytes are the same, and so is everything encoded afterwards.
func TestSharedKeepsEncoderInStep(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		shared, after := genConversation(t), genConversation(t)
		a, b := chunk.NewEncoder(), chunk.NewEncoder()
		for i, s := range shared {
			wa, err := a.AppendAbsolute(nil, s.csid, s.m)
			if err != nil {
				t.Fatal(err)
			}
			sh, err := chunk.AppendShared(nil, s.csid, s.m, b.ChunkSize())
			if err != nil {
				t.Fatal(err)
			}
			if err := b.Sent(sh); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wa, sh.Bytes, equateEmpty); diff != "" {
				t.Fatalf("message %d: shared bytes differ from a type-0 encoding:\n%s", i, diff)
			}
		}
		for i, s := range after {
			wa, _ := a.Append(nil, s.csid, s.m)
			wb, _ := b.Append(nil, s.csid, s.m)
			if diff := cmp.Diff(wa, wb, equateEmpty); diff != "" {
				t.Fatalf("message %d after the shared ones encodes differently:\n%s", i, diff)
			}
		}
	})
}

func TestSentRefusesOtherChunkSize(t *testing.T) {
	sh, err := chunk.AppendShared(nil, 6, chunk.Message{TypeID: 9, Payload: make([]byte, 300)}, 4096)
	if err != nil {
		t.Fatal(err)
	}
	var enc chunk.Encoder
	if err := enc.Sent(sh); err == nil {
		t.Error("Sent accepted bytes cut at 4096 for an encoder at 128")
	}
}
