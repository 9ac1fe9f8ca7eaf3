package driver_test

import (
	"context"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/driver"
)

// countingConn counts the bytes a client wrote and read.
type countingConn struct {
	net.Conn
	read, written atomic.Uint64
}

func (c *countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.read.Add(uint64(n))
	return n, err
}

func (c *countingConn) Write(b []byte) (int, error) {
	n, err := c.Conn.Write(b)
	c.written.Add(uint64(n))
	return n, err
}

// Config.Stats counts a server's connections, those refused beyond
// MaxConns and those that ended before their handshake, and its bytes,
// exactly what the clients wrote and read.
func TestServerStats(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stats := &driver.ServerStats{}
	h := connectHandler{conns: make(chan *driver.Conn, 1), closed: make(chan error, 4)}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() {
		served <- driver.Serve(ctx, ln, h, driver.Config{Logger: testLogger(t), MaxConns: 2, HandshakeTimeout: 300 * time.Millisecond, Stats: stats})
	}()
	addr := ln.Addr().String()
	dial := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}

	raw := dial()
	player := &countingConn{Conn: raw}
	c := handshakeClient(t, player)
	c.command(0, "connect", amf0.Object{{Key: "app", Value: "live"}, {Key: "tcUrl", Value: "rtmp://127.0.0.1/live"}})
	<-h.conns
	stalled := dial() // sends nothing: its handshake times out
	waitFor(t, "two open connections", 5*time.Second, func() bool { return stats.Counts().Open == 2 })
	refused := dial()
	refused.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := refused.Read(make([]byte, 1)); n != 0 || err != io.EOF {
		t.Fatalf("a connection past MaxConns read %d bytes, %v; want it closed", n, err)
	}
	waitFor(t, "the stalled handshake to end", 5*time.Second, func() bool { return stats.Counts().HandshakeFailed == 1 })
	garbage := &countingConn{Conn: dial()}
	garbage.Write([]byte{6, 1, 2}) // not RTMP version 3
	waitFor(t, "the garbage to end", 5*time.Second, func() bool { return stats.Counts().HandshakeFailed == 2 })
	io.Copy(io.Discard, garbage)
	stalled.Close()

	cancel() // the player hears the end of its session, then EOF
	raw.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.Copy(io.Discard, player); err != nil {
		t.Fatalf("the player's end: %v", err)
	}
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	want := driver.ServerCounts{
		Accepted: 3, Open: 0, Refused: 1, HandshakeFailed: 2,
		BytesReceived: player.written.Load() + garbage.written.Load(),
		BytesSent:     player.read.Load() + garbage.read.Load(),
	}
	if got := stats.Counts(); got != want {
		t.Errorf("counts %+v, want %+v", got, want)
	}
}
