package serverconn_test

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/serverconn"
	"github.com/gortmp/rtmp/core/sim"
)

// budgetConfig has budgets small enough to reach in a test.
func budgetConfig() serverconn.Config {
	cfg := captureConfig
	cfg.Budget = serverconn.Budget{Max: 200_000, BeforeConnect: 50_000}
	return cfg
}

// withLargeChunks returns a handshaken connection, and the client's
// encoder, after a Set Chunk Size to 1 MiB: then a message's whole
// payload counts once its header arrives.
func withLargeChunks(t *testing.T, cfg serverconn.Config) (*serverconn.Conn, *chunk.Encoder) {
	t.Helper()
	c := handshaken(t, cfg)
	enc := new(chunk.Encoder)
	if fx := c.Feed(encode(t, enc, message.Message{Body: message.SetChunkSize{Size: 1 << 20}})); c.State() != serverconn.Open {
		t.Fatalf("Set Chunk Size gave %v", fx)
	}
	return c, enc
}

// connected is withLargeChunks after a connect that was accepted, its
// replies taken.
func connected(t *testing.T, cfg serverconn.Config) (*serverconn.Conn, *chunk.Encoder) {
	t.Helper()
	c, enc := withLargeChunks(t, cfg)
	r := feedAll(c, [][]byte{encode(t, enc, sim.Connect("live", 1))})
	if c.State() != serverconn.Open || !c.Session().Connected() {
		t.Fatalf("connect not accepted: %v", r.Effects)
	}
	c.TakeOutput(nil)
	return c, enc
}

// partialVideo is the start of a video message of n bytes: its header
// and one byte, which make the decoder count all n.
func partialVideo(t *testing.T, enc *chunk.Encoder, n int) []byte {
	t.Helper()
	b := encode(t, enc, message.Message{StreamID: 1, Body: message.Video{Payload: make([]byte, n)}})
	return b[:len(b)-n+1]
}

func budgetErr(t *testing.T, fx []core.Effect) *serverconn.BudgetError {
	t.Helper()
	err := lastDisconnect(t, fx)
	var be *serverconn.BudgetError
	if !errors.As(err, &be) || !errors.Is(err, serverconn.ErrMemoryBudget) {
		t.Fatalf("got %v, want a BudgetError", err)
	}
	return be
}

// A peer holding exactly its budget in a partial message stays; one byte
// more ends the connection, before the connect and after it.
func TestBudgetEdgePartialMessage(t *testing.T) {
	cfg := budgetConfig()
	for _, tc := range []struct {
		name   string
		open   func(*testing.T, serverconn.Config) (*serverconn.Conn, *chunk.Encoder)
		budget int
	}{
		{"before connect", withLargeChunks, cfg.Budget.BeforeConnect},
		{"connected", connected, cfg.Budget.Max},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, enc := tc.open(t, cfg)
			if got := c.Limits().Memory; got != tc.budget {
				t.Fatalf("budget in effect %d, want %d", got, tc.budget)
			}
			if fx := c.Feed(partialVideo(t, enc, tc.budget)); len(fx) != 0 || c.State() != serverconn.Open {
				t.Fatalf("holding exactly the budget: %v, state %v", fx, c.State())
			}
			if b := c.Buffered(); b.Total() != tc.budget {
				t.Fatalf("holding %+v, want %d in all", b, tc.budget)
			}

			c, enc = tc.open(t, cfg)
			be := budgetErr(t, c.Feed(partialVideo(t, enc, tc.budget+1)))
			if be.Held != tc.budget+1 || be.Budget != tc.budget || be.Connected != (tc.name == "connected") {
				t.Errorf("budget error %+v", be)
			}
			var le *chunk.LimitError
			if !errors.As(be, &le) {
				t.Errorf("budget error %v does not carry the decoder's limit", be)
			}
			if b := c.Buffered(); b.Total() != 0 {
				t.Errorf("a closed connection still holds %+v", b)
			}
		})
	}
}

// What the caller holds counts with the connection's own: the edge is
// the same.
func TestBudgetEdgeAccount(t *testing.T) {
	cfg := budgetConfig()
	c, enc := connected(t, cfg)
	if fx := c.Feed(partialVideo(t, enc, 1000)); len(fx) != 0 {
		t.Fatal(fx)
	}
	if fx := c.Account(cfg.Budget.Max - 1000); len(fx) != 0 || c.State() != serverconn.Open {
		t.Fatalf("exactly the budget: %v", fx)
	}
	be := budgetErr(t, c.Account(cfg.Budget.Max-999))
	if be.Held != cfg.Budget.Max+1 {
		t.Errorf("held %d, want %d", be.Held, cfg.Budget.Max+1)
	}
}

// The rest of a message, once whole, counts the same: a complete video
// message of exactly the budget is handled; the AMF values a data
// message decodes to count too, before they are decoded.
func TestBudgetEdgeWholeMessages(t *testing.T) {
	cfg := budgetConfig()
	c, enc := connected(t, cfg)
	fx := c.Feed(encode(t, enc, message.Message{StreamID: 1, Body: message.Video{Payload: make([]byte, cfg.Budget.Max)}}))
	if c.State() != serverconn.Open {
		t.Fatalf("a whole message of the budget: %v", fx)
	}

	// A data message of n bytes may build n bytes of strings and n values:
	// 50 bytes a byte with the payload, so 4000 bytes fit in 200,000 and
	// 4001 do not.
	for n, fits := range map[int]bool{4000: true, 4001: false} {
		c, enc := connected(t, cfg)
		payload := make([]byte, n)
		for i := range payload {
			payload[i] = 5 // AMF0 null
		}
		b, err := enc.Append(nil, 5, chunk.Message{TypeID: uint8(message.TypeDataAMF0), StreamID: 1, Payload: payload})
		if err != nil {
			t.Fatal(err)
		}
		fx := c.Feed(b)
		if fits {
			if c.State() != serverconn.Open {
				t.Errorf("%d bytes of AMF: %v", n, fx)
			}
			continue
		}
		if be := budgetErr(t, fx); be.Held != cfg.Budget.Max+50 {
			t.Errorf("%d bytes of AMF: held %d", n, be.Held)
		}
	}
}

// The AMF limits come from the configuration.
func TestAMFLimitsConfigurable(t *testing.T) {
	cfg := budgetConfig()
	cfg.AMF = message.Limits{MaxElements: 20}
	c, enc := connected(t, cfg)
	fx := c.Feed(encode(t, enc, message.Message{StreamID: 1, Body: message.Data{Values: make([]any, 21)}}))
	var pe *serverconn.PeerError
	if err := lastDisconnect(t, fx); !errors.As(err, &pe) || pe.Layer != serverconn.LayerMessage {
		t.Fatalf("got %v, want a message PeerError", err)
	}
}

// nestedAggregate is depth aggregates, each the only part of the one
// around it, around inner (an aggregate's payload): 15 bytes a level,
// written in one pass.
func nestedAggregate(inner []byte, depth int) []byte {
	total := len(inner) + depth*message.AggregateOverhead
	b := make([]byte, total)
	copy(b[depth*11:], inner)
	for i := range depth {
		size := len(inner) + (depth-1-i)*message.AggregateOverhead
		h := b[i*11:]
		h[0] = byte(message.TypeAggregate)
		h[1], h[2], h[3] = byte(size>>16), byte(size>>8), byte(size)
		binary.BigEndian.PutUint32(b[total-(i+1)*4:], uint32(11+size))
	}
	return b
}

// An aggregate nested a million deep, near the largest message, is
// refused at the first level, before the connect: once its bytes are
// accepted by a large enough budget, it is a protocol error, never a
// recursion.
func TestNestedAggregateRefused(t *testing.T) {
	cfg := budgetConfig()
	cfg.Budget = serverconn.Budget{Max: 32 << 20, BeforeConnect: 32 << 20}
	c, enc := withLargeChunks(t, cfg)
	video := []byte{9, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0x17, 1, 0, 0, 0, 13}
	payload := nestedAggregate(video, 1_000_000)
	if len(payload) > chunk.MaxMessageLength {
		t.Fatalf("%d bytes, more than a message holds", len(payload))
	}
	b, err := enc.Append(nil, 6, chunk.Message{TypeID: uint8(message.TypeAggregate), StreamID: 1, Payload: payload})
	if err != nil {
		t.Fatal(err)
	}
	err = lastDisconnect(t, c.Feed(b))
	var pe *serverconn.PeerError
	if !errors.As(err, &pe) || pe.Layer != serverconn.LayerMessage || !errors.Is(err, message.ErrNestedAggregate) {
		t.Fatalf("got %v, want a PeerError wrapping ErrNestedAggregate", err)
	}

	// With the default budget the message is refused long before it is
	// whole.
	c, enc = withLargeChunks(t, captureConfig)
	b, err = enc.Append(nil, 6, chunk.Message{TypeID: uint8(message.TypeAggregate), StreamID: 1, Payload: payload})
	if err != nil {
		t.Fatal(err)
	}
	// The first chunk of 1 MiB fills the budget; the second one's header
	// passes it.
	budgetErr(t, c.Feed(b[:2<<20]))
}

// An aggregate of media after the connect is split into its parts.
func TestAggregateDeliversItsParts(t *testing.T) {
	c, enc := connected(t, budgetConfig())
	r := feedAll(c, [][]byte{
		encode(t, enc, sim.Command(0, "createStream", 2, nil)),
		encode(t, enc, sim.Command(1, "publish", 3, nil, "k")),
	})
	started := false
	for _, e := range r.Effects {
		_, ok := e.(core.PublishingStarted)
		started = started || ok
	}
	if !started {
		t.Fatalf("publish did not start: %v", r.Effects)
	}
	part := []byte{9, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0x27, 1, 0, 0, 0, 13}
	payload := append(append([]byte(nil), part...), part...)
	b, err := enc.Append(nil, 6, chunk.Message{TypeID: uint8(message.TypeAggregate), StreamID: 1, Payload: payload})
	if err != nil {
		t.Fatal(err)
	}
	media := 0
	for _, e := range c.Feed(b) {
		if _, ok := e.(core.AudioVideoDataReceived); ok {
			media++
		} else {
			t.Errorf("unexpected %T", e)
		}
	}
	if media != 2 {
		t.Errorf("%d media messages, want 2", media)
	}
}

// Commands that wait for the connect to be accepted count against the
// budget until they run: a client cannot park more than its budget in
// them, and once the connect is accepted they are no longer counted.
func TestBudgetCountsHeldCommands(t *testing.T) {
	cfg := budgetConfig()
	// Each command carries a 300-byte string: its payload and AMF
	// cost together are what the connection counts while it waits.
	bulky := func(txid float64) message.Message {
		return sim.Command(0, "getStreamLength", txid, nil, string(make([]byte, 300)))
	}
	c, enc := withLargeChunks(t, cfg)
	fx := c.Feed(encode(t, enc, sim.Connect("live", 1)))
	var request core.RequestID
	for _, e := range fx {
		if id, ok := sim.RequestOf(e); ok {
			request = id
		}
	}
	if request == 0 {
		t.Fatalf("no connect request in %v", fx)
	}
	held := 0
	for i := 0; ; i++ {
		fx := c.Feed(encode(t, enc, bulky(float64(2+i))))
		if c.State() != serverconn.Open {
			be := budgetErr(t, fx)
			// The next command and its values would not fit beside the
			// held ones: without them counted it would.
			if be.Connected || be.Held <= cfg.Budget.BeforeConnect || be.Held-held > cfg.Budget.BeforeConnect {
				t.Fatalf("budget error %+v with %d held", be, held)
			}
			if held == 0 {
				t.Fatal("the first held command already passed the budget")
			}
			break
		}
		b := c.Buffered()
		if b.HeldCommands <= held || b.Total() > cfg.Budget.BeforeConnect {
			t.Fatalf("after %d held commands: %+v (held before %d)", i+1, b, held)
		}
		held = b.HeldCommands
		if i > 10 {
			t.Fatalf("still open holding %+v", b)
		}
	}

	// Accepted, the held commands run and nothing stays counted.
	c, enc = withLargeChunks(t, cfg)
	fx = c.Feed(encode(t, enc, sim.Connect("live", 1)))
	c.Feed(encode(t, enc, bulky(2)))
	if c.Buffered().HeldCommands == 0 {
		t.Fatal("a command waiting for the connect is not counted")
	}
	for _, e := range fx {
		if id, ok := sim.RequestOf(e); ok {
			c.Step(core.Accept{Request: id})
		}
	}
	if b := c.Buffered(); b.HeldCommands != 0 || !c.Session().Connected() {
		t.Errorf("after the accept: %+v, connected %v", b, c.Session().Connected())
	}
}
