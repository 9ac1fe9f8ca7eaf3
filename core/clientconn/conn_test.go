package clientconn_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/clientconn"
)

func lastDisconnect(t *testing.T, fx []client.Effect) error {
	t.Helper()
	if len(fx) == 0 {
		t.Fatal("no effects")
	}
	d, ok := fx[len(fx)-1].(client.Disconnect)
	if !ok {
		t.Fatalf("last effect %T, want Disconnect", fx[len(fx)-1])
	}
	return d.Err
}

// handshaken returns a connection past a plain handshake with its output
// taken, and the server that answered it.
func handshaken(t *testing.T, cfg clientconn.Config) (*clientconn.Conn, *scriptServer) {
	t.Helper()
	c := clientconn.New(cfg)
	s := newScriptServer(goldenServer)
	if _, err := s.read(c.TakeOutput(nil)); err != nil {
		t.Fatal(err)
	}
	if fx := c.Feed(s.answer()); len(fx) != 0 {
		t.Fatalf("handshake gave %v", fx)
	}
	if _, err := s.read(c.TakeOutput(nil)); err != nil {
		t.Fatal(err)
	}
	if c.State() != clientconn.Open || !c.Handshaken() || c.Deadline() != clientconn.Never {
		t.Fatalf("state %v, handshaken %v, deadline %v after the handshake", c.State(), c.Handshaken(), c.Deadline())
	}
	return c, s
}

// A chunk limit is a chunk-layer PeerError; after it the connection is
// terminal.
func TestChunkLimitDisconnects(t *testing.T) {
	cfg := clientconn.Config{Decoder: chunk.DecoderConfig{MaxMessageSize: 1000}}
	c, s := handshaken(t, cfg)
	err := lastDisconnect(t, c.Feed(s.chunks(msg(1, message.Video{Payload: make([]byte, 1001)}))))
	var pe *clientconn.PeerError
	var le *chunk.LimitError
	if !errors.As(err, &pe) || pe.Layer != clientconn.LayerChunk || !errors.As(err, &le) {
		t.Fatalf("got %v, want a chunk-layer PeerError with a LimitError", err)
	}
	if c.State() != clientconn.Closed || c.Err() != err {
		t.Fatalf("state %v, err %v", c.State(), c.Err())
	}
	if fx := c.Feed([]byte{1, 2, 3}); fx != nil {
		t.Fatalf("closed conn answered a feed with %v", fx)
	}
	if fx := c.Step(connectInput()); fx != nil {
		t.Fatalf("closed conn answered a step with %v", fx)
	}
	if fx := c.Tick(clientconn.DefaultHandshakeTimeout); fx != nil {
		t.Fatalf("closed conn answered a tick with %v", fx)
	}
}

// Output nobody takes is bounded, the messages held for the handshake
// included: past MaxOutput the connection ends and drops it.
func TestOutputBound(t *testing.T) {
	big := connectInput()
	big.Extra = amf0.Object{{Key: "pad", Value: strings.Repeat("x", 3000)}}
	cfg := clientconn.Config{MaxOutput: clientconn.HelloLen + 500}
	held := clientconn.New(cfg)
	open, _ := handshaken(t, cfg)
	for name, c := range map[string]*clientconn.Conn{"held": held, "open": open} {
		if err := lastDisconnect(t, c.Step(big)); err != clientconn.ErrOutputFull {
			t.Fatalf("%s: got %v, want ErrOutputFull", name, err)
		}
		if b := c.Buffered(); b.Output != 0 || c.Produced() != c.Sent()+uint64(len(c.Pending())) || len(c.Pending()) != 0 {
			t.Fatalf("%s: after overflow: %+v, produced %d, sent %d", name, b, c.Produced(), c.Sent())
		}
	}
}

// The counters agree with what is taken, and the drained buffer of the
// handshake is let go.
func TestAdvanceCounters(t *testing.T) {
	c := clientconn.New(clientconn.Config{})
	if c.Produced() != clientconn.HelloLen || len(c.Pending()) != clientconn.HelloLen {
		t.Fatalf("produced %d, pending %d; want C0+C1", c.Produced(), len(c.Pending()))
	}
	c.Advance(100)
	c.Advance(-5)
	if c.Sent() != 100 || len(c.Pending()) != clientconn.HelloLen-100 {
		t.Fatalf("sent %d, pending %d", c.Sent(), len(c.Pending()))
	}
	c.Advance(1 << 20)
	if c.Sent() != clientconn.HelloLen || len(c.Pending()) != 0 {
		t.Fatalf("sent %d, pending %d after taking all", c.Sent(), len(c.Pending()))
	}
	d, _ := handshaken(t, clientconn.Config{})
	if n := cap(d.Pending()); n > 1<<10 {
		t.Errorf("after the handshake the output keeps %d bytes", n)
	}
}

// A server that answers an RTMPE C0 with a plain S0 fails the handshake.
func TestRTMPERefused(t *testing.T) {
	c := clientconn.New(clientconn.Config{Handshake: handshake.ClientConfig{Encryption: true}})
	s := newScriptServer(handshake.ServerConfig{Encryption: true})
	s.read(c.TakeOutput(nil))
	reply := s.answer()
	reply[0] = handshake.Version
	err := lastDisconnect(t, c.Feed(reply))
	var pe *clientconn.PeerError
	if !errors.As(err, &pe) || pe.Layer != clientconn.LayerHandshake || c.Encrypted() {
		t.Fatalf("got %v (encrypted %v), want a handshake-layer PeerError", err, c.Encrypted())
	}
}
