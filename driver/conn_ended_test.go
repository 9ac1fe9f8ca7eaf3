package driver

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

// closeRecorder hands out each connection once it is closed.
type closeRecorder struct{ closed chan *Conn }

func (closeRecorder) HandleEvent(*Conn, core.Event)  {}
func (h closeRecorder) HandleClose(c *Conn, _ error) { h.closed <- c }

// An application may keep a Conn after HandleClose and go on sending to
// it (a chat fan-out that learns late): nobody applies those inputs any
// more, so they must not pile up in the connection's inbox for ever.
func TestInputsToAnEndedConnAreDropped(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := closeRecorder{closed: make(chan *Conn, 1)}
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ln, h, Config{}) }()
	defer func() {
		cancel()
		<-served
	}()

	nc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	nc.Close()
	var c *Conn
	select {
	case c = <-h.closed:
	case <-time.After(5 * time.Second):
		t.Fatal("connection not closed")
	}
	for range 10000 {
		c.Send(0, message.Data{Values: []any{"late"}})
	}
	c.mu.Lock()
	n := len(c.inbox)
	c.mu.Unlock()
	if n != 0 {
		t.Errorf("ended connection holds %d inputs, want 0", n)
	}
}
