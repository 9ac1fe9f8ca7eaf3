package driver_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

// connRecorder is a Relay that remembers which connection published and
// which played.
type connRecorder struct {
	*live.Relay
	mu                sync.Mutex
	publisher, player *driver.Conn
}

func (h *connRecorder) HandleEvent(c *driver.Conn, ev core.Event) {
	h.mu.Lock()
	switch ev.(type) {
	case core.PublishStreamRequested:
		h.publisher = c
	case core.PlayStreamStarted:
		h.player = c
	}
	h.mu.Unlock()
	h.Relay.HandleEvent(c, ev)
}

func (h *connRecorder) conns() (publisher, player *driver.Conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.publisher, h.player
}

// TestNagleGoesOnAfterFastStart: with Config.Nagle, connections start with
// TCP_NODELAY, so a publisher's exchanges and a player's fast start leave
// at once, and a player's socket has Nagle's algorithm on once its fast
// start (here a keyframe) is written; the publisher's never does.
func TestNagleGoesOnAfterFastStart(t *testing.T) {
	for _, nagle := range []bool{true, false} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		h := &connRecorder{Relay: &live.Relay{}}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		served := make(chan error, 1)
		go func() {
			served <- driver.Serve(ctx, ln, h, driver.Config{Nagle: nagle, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		}()
		url := "rtmp://" + ln.Addr().String() + "/live/nagle"

		pc, err := dial.Config{}.Dial(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := pc.Publish(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		keyframe := flv.Tag{Type: flv.TagVideo, Data: []byte{0x17, 1, 0, 0, 0, 0x65, 0x88}}
		if err := pub.WriteTag(keyframe); err != nil {
			t.Fatal(err)
		}
		vc, err := dial.Config{}.Dial(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		pb, err := vc.Play(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		for got := false; !got; {
			m, err := pb.ReadMessage(ctx)
			if err != nil {
				t.Fatalf("nagle=%v: no fast start: %v", nagle, err)
			}
			_, got = m.Body.(message.Video)
		}
		pubConn, playConn := h.conns()
		if pubConn == nil || playConn == nil {
			t.Fatalf("nagle=%v: publisher %v, player %v", nagle, pubConn, playConn)
		}
		playTCP, pubTCP := driver.NetConn(playConn).(*net.TCPConn), driver.NetConn(pubConn).(*net.TCPConn)
		if nagle {
			deadline := time.Now().Add(5 * time.Second)
			for driver.NoDelay(t, playTCP) && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
		}
		if got := driver.NoDelay(t, playTCP); got == nagle {
			t.Errorf("nagle=%v: player's TCP_NODELAY is %v after its fast start", nagle, got)
		}
		if !driver.NoDelay(t, pubTCP) {
			t.Errorf("nagle=%v: the publisher's connection has Nagle on", nagle)
		}
		vc.Close()
		pc.Close()
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}
}
