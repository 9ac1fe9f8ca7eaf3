package driver_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
)

// slowStart is a relay whose handler is slow to take PlayStreamStarted, as
// a connection's goroutine that the scheduler sets aside for a while.
type slowStart struct {
	*live.Relay
	handled atomic.Bool
}

func (s *slowStart) HandleEvent(c *driver.Conn, ev core.Event) {
	if _, ok := ev.(core.PlayStreamStarted); ok {
		time.Sleep(100 * time.Millisecond)
		defer s.handled.Store(true)
	}
	s.Relay.HandleEvent(c, ev)
}

// TestPeerSeesOutputAfterTheHandler: the replies of a step reach the
// client only once the handler has taken the step's events. A player that
// has read NetStream.Play.Start is on the relay's stream, so whatever is
// published from then on reaches it; before, a publisher that stopped
// between the reply and the handler's turn left the player with nothing of
// its stream and no notice that it ended.
func TestPeerSeesOutputAfterTheHandler(t *testing.T) {
	h := &slowStart{Relay: &live.Relay{}}
	addr := startServer(t, nil, h, driver.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := dial.Dial(ctx, rtmpURL(addr, "live/held"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Play(ctx, "held"); err != nil {
		t.Fatal(err)
	}
	if !h.handled.Load() {
		t.Fatal("the client read NetStream.Play.Start before the handler took PlayStreamStarted")
	}
	if n := h.Relay.Players(relay.Path{App: "live", Key: "held"}); n != 1 {
		t.Fatalf("the relay has %d players once Play returned, want 1", n)
	}
}
