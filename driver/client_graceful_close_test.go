package driver_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/driver"
)

// chattyStall is a server that keeps sending the publisher small frames,
// so that the client always has bytes on their way to it, and stops
// reading for a while at the first media message. It counts the media.
type chattyStall struct {
	mu    sync.Mutex
	media int
	once  sync.Once
}

func (h *chattyStall) HandleEvent(c *driver.Conn, ev core.Event) {
	switch ev := ev.(type) {
	case core.ConnectionRequested:
		c.Accept(ev.Request)
	case core.PublishStreamRequested:
		c.Accept(ev.Request)
		go func() {
			f := driver.NewFrame(message.TypeAudio, 0, []byte{0xAF, 1, 0})
			for c.Context().Err() == nil {
				c.QueueFrame(f, ev.StreamID, 3, nil)
				time.Sleep(time.Millisecond)
			}
		}()
	case core.AudioVideoDataReceived:
		h.once.Do(func() { time.Sleep(300 * time.Millisecond) })
		h.mu.Lock()
		h.media++
		h.mu.Unlock()
	}
}

func (h *chattyStall) HandleClose(*driver.Conn, error) {}

func (h *chattyStall) received() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.media
}

// TestClientCloseDeliversEverything: a publication closed right after its
// last write reaches the server whole, even when the server is behind and
// the client has bytes from it still unread. Closing a socket with unread
// bytes resets the connection and throws away what was not sent yet.
func TestClientCloseDeliversEverything(t *testing.T) {
	h := &chattyStall{}
	addr := startServer(t, nil, h, driver.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := dial.Dial(ctx, rtmpURL(addr, "live/whole"))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := c.Publish(ctx, "whole")
	if err != nil {
		t.Fatal(err)
	}
	const frames = 100
	for i := range frames {
		payload := make([]byte, 8<<10)
		payload[0], payload[1] = 0x27, 1
		if err := pub.WriteMessage(message.Message{Timestamp: uint32(i), Body: message.Video{Payload: payload}}); err != nil {
			t.Fatal(err)
		}
	}
	c.Close()
	waitFor(t, "every frame at the server", 5*time.Second, func() bool { return h.received() == frames })
}
