package fuzz

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
)

// FuzzMessages decodes the input as a message of the given type. It either
// fails with a *message.FormatError or gives a body that encodes and
// decodes back to itself. The input is also split as an Aggregate, which
// either fails with a *message.FormatError or accounts for every byte with
// sub-messages that lie inside it.
func FuzzMessages(f *testing.F) {
	f.Fuzz(func(t *testing.T, typ uint8, payload []byte) {
		raw := chunk.Message{Timestamp: 1000, TypeID: typ, StreamID: 1, Payload: payload}
		m, err := message.Decode(raw)
		var fe *message.FormatError
		if err != nil {
			if !errors.As(err, &fe) {
				t.Fatalf("decode error of type %T: %v", err, err)
			}
		} else {
			if got := m.Body.Type(); got != message.TypeID(typ) {
				t.Fatalf("type %d decoded to a body of type %d", typ, got)
			}
			again, err := message.Encode(m)
			if err != nil {
				t.Fatalf("encode %#v: %v", m.Body, err)
			}
			back, err := message.Decode(again)
			if err != nil {
				t.Fatalf("decode of our own encoding % x: %v", again.Payload, err)
			}
			if diff := cmp.Diff(m, back, cmpopts.EquateEmpty(), cmp.Comparer(messageFloatEqual)); diff != "" {
				t.Fatalf("re-encoded body differs (-first +second):\n%s", diff)
			}
			if id := message.ChunkStreamID(m.Body, m.StreamID); id < chunk.MinChunkStreamID || id > chunk.MaxChunkStreamID {
				t.Fatalf("chunk stream id %d out of range", id)
			}
		}

		parts, err := message.AggregateParts(raw)
		if err != nil {
			if !errors.As(err, &fe) {
				t.Fatalf("split error of type %T: %v", err, err)
			}
			return
		}
		total, n := 0, 0
		for s := range parts {
			total += message.AggregateOverhead + len(s.Payload)
			if s.StreamID != raw.StreamID {
				t.Fatalf("sub-message on stream %d, aggregate on %d", s.StreamID, raw.StreamID)
			}
			if message.TypeID(s.TypeID) == message.TypeAggregate {
				t.Fatal("a nested aggregate was yielded")
			}
			if n == 0 && s.Timestamp != raw.Timestamp {
				t.Fatalf("first sub-message at %d, aggregate at %d", s.Timestamp, raw.Timestamp)
			}
			n++
		}
		if total != len(payload) {
			t.Fatalf("sub-messages account for %d of %d bytes", total, len(payload))
		}
	})
}

// messageFloatEqual treats NaNs as equal: a round trip keeps them NaN.
func messageFloatEqual(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }
