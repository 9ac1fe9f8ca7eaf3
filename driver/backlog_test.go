package driver_test

import (
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/driver"
)

// connectHandler accepts connects and hands out each connection, then
// why it closed.
type connectHandler struct {
	conns  chan *driver.Conn
	closed chan error
}

func (h connectHandler) HandleEvent(c *driver.Conn, ev core.Event) {
	if r, ok := ev.(core.ConnectionRequested); ok {
		c.Accept(r.Request)
		h.conns <- c
	}
}

func (h connectHandler) HandleClose(_ *driver.Conn, err error) { h.closed <- err }

// sendConnect writes a connect command on a raw connection.
func sendConnect(t *testing.T, nc net.Conn) {
	t.Helper()
	raw, err := message.Encode(message.Message{Body: message.Command{
		Name: "connect", TransactionID: 1,
		Object: amf0.Object{{Key: "app", Value: "live"}, {Key: "tcUrl", Value: "rtmp://127.0.0.1/live"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := chunk.NewEncoder().Append(nil, 3, raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := nc.Write(b); err != nil {
		t.Fatal(err)
	}
}

// A peer that stops reading while the application keeps sending it
// messages through the session (which are never dropped, unlike relayed
// media): the connection must end once its backlog passes the bound,
// not hold everything until the write deadline.
func TestSessionOutputBacklogEndsTheConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := connectHandler{conns: make(chan *driver.Conn, 1), closed: make(chan error, 1)}
	const limit = 64 << 10
	addr := startServer(t, ln, h, driver.Config{
		Logger: testLogger(t), MaxQueuedBytes: limit, SocketWriteBuffer: 8 << 10, WriteTimeout: time.Minute,
	})
	nc := dialHandshake(t, addr)
	defer nc.Close()
	nc.(*net.TCPConn).SetReadBuffer(4 << 10)
	sendConnect(t, nc)
	var c *driver.Conn
	select {
	case c = <-h.conns:
	case <-time.After(5 * time.Second):
		t.Fatal("no connect")
	}

	big := strings.Repeat("x", 16<<10)
	maxQueued := 0
	deadline := time.After(10 * time.Second)
	for i := 0; ; i++ {
		if i < 2000 {
			c.Send(0, message.Data{Values: []amf0.Value{"onText", big}})
		}
		maxQueued = max(maxQueued, c.Queued())
		select {
		case err := <-h.closed:
			if !errors.Is(err, driver.ErrWriteBacklog) {
				t.Errorf("closed with %v, want ErrWriteBacklog", err)
			}
			if maxQueued > 3*limit {
				t.Errorf("queue reached %d bytes, bound %d", maxQueued, 3*limit)
			}
			return
		case <-deadline:
			t.Fatalf("connection still open, %d bytes queued (max %d)", c.Queued(), maxQueued)
		default:
		}
		if i >= 2000 {
			time.Sleep(time.Millisecond)
		}
	}
}
