package fuzz

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gortmp/rtmp/codec/chunk"
)

// fuzzChunkConfig keeps the fuzzer's memory small while leaving every
// limit reachable.
var fuzzChunkConfig = chunk.DecoderConfig{
	MaxMessageSize:     1 << 20,
	MaxChunkSize:       1 << 20,
	MaxBuffered:        2 << 20,
	MaxPartialMessages: 8,
	MaxChunkStreams:    32,
}

// decodeChunks feeds in to a fresh decoder in pieces of at most step
// bytes (all at once when step is 0).
func decodeChunks(in []byte, step int) ([]chunk.Message, error) {
	dec := chunk.NewDecoder(fuzzChunkConfig)
	if step == 0 {
		return dec.Feed(nil, in)
	}
	var msgs []chunk.Message
	for len(in) > 0 {
		n := min(step, len(in))
		var err error
		if msgs, err = dec.Feed(msgs, in[:n]); err != nil {
			return msgs, err
		}
		in = in[n:]
	}
	return msgs, nil
}

// decodeByMessage feeds in to a fresh decoder with FeedMessage, one
// message at a time, as serverconn does.
func decodeByMessage(in []byte) ([]chunk.Message, error) {
	dec := chunk.NewDecoder(fuzzChunkConfig)
	var msgs []chunk.Message
	for len(in) > 0 {
		before := len(msgs)
		var n int
		var err error
		msgs, n, err = dec.FeedMessage(msgs, in)
		if err != nil {
			return msgs, err
		}
		if len(msgs) > before+1 || n == 0 || (n < len(in) && len(msgs) == before) {
			return msgs, fmt.Errorf("FeedMessage took %d of %d bytes for %d messages", n, len(in), len(msgs)-before)
		}
		in = in[n:]
	}
	return msgs, nil
}

// FuzzChunkDecoder feeds the input as a chunk stream, once whole, once a
// byte at a time, once in 7-byte pieces and once message by message
// (FeedMessage). All four must give the same messages and the same error, and the error must be a *chunk.LimitError
// or a *chunk.ProtocolError.
func FuzzChunkDecoder(f *testing.F) {
	f.Fuzz(func(t *testing.T, in []byte) {
		whole, err := decodeChunks(in, 0)
		for _, step := range []int{1, 7} {
			split, splitErr := decodeChunks(in, step)
			if fmt.Sprint(err) != fmt.Sprint(splitErr) {
				t.Fatalf("whole: %v; in %d-byte pieces: %v", err, step, splitErr)
			}
			if diff := cmp.Diff(whole, split, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("whole and %d-byte pieces differ (-whole +pieces):\n%s", step, diff)
			}
		}
		byMessage, byMessageErr := decodeByMessage(in)
		if fmt.Sprint(err) != fmt.Sprint(byMessageErr) {
			t.Fatalf("whole: %v; message by message: %v", err, byMessageErr)
		}
		if diff := cmp.Diff(whole, byMessage, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("whole and message by message differ (-whole +by message):\n%s", diff)
		}
		var le *chunk.LimitError
		var pe *chunk.ProtocolError
		if err != nil && !errors.As(err, &le) && !errors.As(err, &pe) {
			t.Fatalf("error of type %T: %v", err, err)
		}
		for _, m := range whole {
			if len(m.Payload) > int(fuzzChunkConfig.MaxMessageSize) {
				t.Fatalf("a %d-byte message passed the %d limit", len(m.Payload), fuzzChunkConfig.MaxMessageSize)
			}
		}
	})
}
