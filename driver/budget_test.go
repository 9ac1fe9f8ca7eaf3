package driver_test

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/serverconn"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/internal/testdial"
)

// closeRecorder is a Relay that also hands every connection's end to ends.
type closeRecorder struct {
	*live.Relay
	ends chan error
}

func (h closeRecorder) HandleClose(c *driver.Conn, err error) {
	h.Relay.HandleClose(c, err)
	h.ends <- err
}

// sendPartialVideo sets the chunk size to 1 MiB, pings the server and
// reads until the answer, so that everything the server had to say is
// written (its send queue holds nothing), then sends the header and first
// byte of a video message of n bytes, which the server counts in full.
func sendPartialVideo(t *testing.T, c net.Conn, n int) {
	t.Helper()
	var enc chunk.Encoder
	var out []byte
	for _, m := range []message.Message{{Body: message.SetChunkSize{Size: 1 << 20}}, {Body: message.PingRequest{Timestamp: 7}}} {
		raw, err := message.Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		if out, err = enc.Append(out, 2, raw); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Write(out); err != nil {
		t.Fatal(err)
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	dec := chunk.NewDecoder(chunk.DecoderConfig{})
	buf := make([]byte, 4096)
	var raws []chunk.Message
	for answered := false; !answered; {
		k, err := c.Read(buf)
		if err != nil {
			t.Fatalf("waiting for the ping's answer: %v", err)
		}
		if raws, err = dec.Feed(raws[:0], buf[:k]); err != nil {
			t.Fatal(err)
		}
		for _, r := range raws {
			m, err := message.Decode(r)
			answered = answered || err == nil && m.Body == message.PingResponse{Timestamp: 7}
		}
	}
	video, err := enc.Append(nil, 6, chunk.Message{TypeID: uint8(message.TypeVideo), StreamID: 1, Payload: make([]byte, n)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write(video[:len(video)-n+1]); err != nil {
		t.Fatal(err)
	}
}

// Over a real socket, a peer holding exactly its budget (before its
// connect) stays, one byte more is closed with ErrMemoryBudget, and the
// server's stats say so.
func TestBudgetEdgeOverSocket(t *testing.T) {
	const budget = 50_000
	stats := new(driver.ServerStats)
	h := closeRecorder{&live.Relay{}, make(chan error, 2)}
	addr := startServer(t, nil, h, driver.Config{
		Budget: serverconn.Budget{Max: 4 * budget, BeforeConnect: budget},
		Stats:  stats,
	})

	exact, err := testdial.Handshaken(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer exact.Close()
	sendPartialVideo(t, exact, budget)
	waitFor(t, "the server to hold the budget", 10*time.Second, func() bool { return stats.Counts().MemoryHeld == budget })

	over, err := testdial.Handshaken(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer over.Close()
	sendPartialVideo(t, over, budget+1)
	select {
	case err := <-h.ends:
		var be *serverconn.BudgetError
		if !errors.Is(err, driver.ErrMemoryBudget) || !errors.As(err, &be) || be.Held != budget+1 {
			t.Fatalf("the connection over its budget ended with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the connection over its budget is still open")
	}
	// The handler hears of the end before the server has finished closing
	// the connection, so the counts settle a moment later.
	settled := func() bool {
		c := stats.Counts()
		return c.OverBudget == 1 && c.Open == 1 && c.MemoryHeld == budget
	}
	waitFor(t, "the counts to show one connection over its budget", 10*time.Second, settled)

	exact.Close()
	if err := <-h.ends; errors.Is(err, driver.ErrMemoryBudget) {
		t.Errorf("the connection at its budget ended with %v", err)
	}
	waitFor(t, "the held bytes to be released", 10*time.Second, func() bool { return stats.Counts().MemoryHeld == 0 })
}
