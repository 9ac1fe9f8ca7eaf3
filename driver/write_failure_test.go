package driver_test

import (
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/driver"
)

// stallingHandler counts the media a connection publishes, and stalls on
// the first message until the test lets it go.
type stallingHandler struct {
	stalled, resume chan struct{}
	once            sync.Once

	mu    sync.Mutex
	media int
}

func (h *stallingHandler) HandleEvent(c *driver.Conn, ev core.Event) {
	switch ev := ev.(type) {
	case core.ConnectionRequested:
		c.Accept(ev.Request)
	case core.PublishStreamRequested:
		c.Accept(ev.Request)
	case core.AudioVideoDataReceived:
		h.mu.Lock()
		h.media++
		h.mu.Unlock()
		h.once.Do(func() {
			close(h.stalled)
			<-h.resume
			// The peer is gone: a write fails now, and the writer ends.
			f := driver.NewFrame(message.TypeVideo, 0, []byte{0x17, 1, 0, 0, 0})
			for range 5 {
				c.QueueFrame(f, ev.StreamID, 5, nil)
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

func (h *stallingHandler) HandleClose(*driver.Conn, error) {}

func (h *stallingHandler) received() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.media
}

// TestBytesReadAfterAWriteFails: a publisher that sends its last frames
// and resets the connection makes the server's next write fail, often
// before the server has read those frames. They were delivered all the
// same: the server reads what is left before it ends the connection.
func TestBytesReadAfterAWriteFails(t *testing.T) {
	h := &stallingHandler{stalled: make(chan struct{}), resume: make(chan struct{})}
	addr := startServer(t, nil, h, driver.Config{})
	c := dialClient(t, addr, 0)
	id := c.connect("live")
	if code := c.publish(id, "last"); code != "NetStream.Publish.Start" {
		t.Fatalf("publish: %s", code)
	}
	frame := func(ts uint32) message.Message {
		return message.Message{StreamID: id, Timestamp: ts, Body: message.Video{Payload: []byte{0x27, 1, 0, 0, 0, byte(ts)}}}
	}
	c.send(6, frame(0))
	<-h.stalled
	// The server's loop is busy with the first frame: these wait in its
	// socket, and the reset comes right behind them.
	const last = 4
	for ts := uint32(1); ts <= last; ts++ {
		c.send(6, frame(ts))
	}
	c.conn.(*net.TCPConn).SetLinger(0)
	c.conn.Close()
	close(h.resume)
	waitFor(t, "the frames sent before the reset", 5*time.Second, func() bool { return h.received() == 1+last })
}
