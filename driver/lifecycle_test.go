package driver_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/internal/testcert"
	"github.com/gortmp/rtmp/driver/internal/testdial"
)

// dialHandshake connects and completes a client handshake.
func dialHandshake(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := testdial.Handshaken(addr)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestShutdownLeavesNoGoroutine cancels a server holding stalled,
// garbage-sending and handshaken connections: Serve returns within the
// grace period and every goroutine it started is gone.
func TestShutdownLeavesNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	stats := new(driver.ServerStats)
	go func() {
		done <- driver.Serve(ctx, ln, &live.Relay{}, driver.Config{Logger: testLogger(t), ShutdownGrace: time.Second, Stats: stats})
	}()
	addr := ln.Addr().String()

	var clients []net.Conn
	for range 3 {
		c, err := net.Dial("tcp", addr) // stalls in the handshake
		if err != nil {
			t.Fatal(err)
		}
		clients = append(clients, c)
	}
	garbage, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	garbage.Write([]byte("GET / HTTP/1.1\r\n\r\n"))
	clients = append(clients, garbage, dialHandshake(t, addr), dialHandshake(t, addr))
	// The shutdown must find every one of them in service, and the server
	// must have read what they sent (the garbage and two C0+C1+C2): a
	// socket closed with bytes unread resets the connection, which the
	// client would take for an error.
	const sent = len("GET / HTTP/1.1\r\n\r\n") + 2*(1537+1536)
	waitFor(t, "the server to take all six connections and read what they sent", 10*time.Second, func() bool {
		c := stats.Counts()
		return c.Accepted == 6 && c.BytesReceived == uint64(sent)
	})

	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("shutdown took %v, grace is 1s", d)
	}
	for _, c := range clients {
		c.SetReadDeadline(time.Now().Add(2 * time.Second))
		if _, err := io.Copy(io.Discard, c); err != nil {
			t.Errorf("client not disconnected: %v", err)
		}
		c.Close()
	}
	checkNoLeak(t, before)
}

// TestHandshakeDeadline closes a connection that never completes its
// handshake, and a garbage one at once.
func TestHandshakeDeadline(t *testing.T) {
	addr := startServer(t, nil, &live.Relay{}, driver.Config{HandshakeTimeout: 300 * time.Millisecond})
	expectStalledClosed(t, "stalled handshake", addr)

	garbage, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer garbage.Close()
	start := time.Now()
	garbage.Write(make([]byte, 1537)) // version 0
	garbage.SetReadDeadline(time.Now().Add(5 * time.Second))
	io.Copy(io.Discard, garbage)
	if d := time.Since(start); d > 250*time.Millisecond {
		t.Errorf("garbage handshake closed after %v, want at once", d)
	}
}

// TestMaxConns refuses connections beyond the limit at once.
func TestMaxConns(t *testing.T) {
	stats := new(driver.ServerStats)
	addr := startServer(t, nil, &live.Relay{}, driver.Config{MaxConns: 2, Stats: stats})
	var held []net.Conn
	for range 2 {
		held = append(held, dialHandshake(t, addr))
	}
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	extra, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer extra.Close()
	extra.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := extra.Read(make([]byte, 1))
	if err != io.EOF || n != 0 {
		t.Fatalf("connection over the limit: read %d, %v; want EOF", n, err)
	}
	held[0].Close()
	waitFor(t, "the server to let the closed connection go", 10*time.Second, func() bool { return stats.Counts().Open == 1 })
	held[0] = dialHandshake(t, addr) // a slot is free again
}

// TestTLSHandshakeDeadline closes a connection to an RTMPS listener that
// never starts its TLS handshake within HandshakeTimeout, as a plain one.
func TestTLSHandshakeDeadline(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tlsLn := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{testcert.New(t)}})
	h := connectHandler{conns: make(chan *driver.Conn, 1), closed: make(chan error, 1)}
	addr := startServer(t, tlsLn, h, driver.Config{HandshakeTimeout: 300 * time.Millisecond})
	expectStalledClosed(t, "stalled TLS handshake", addr)
	if err := <-h.closed; !errors.Is(err, driver.ErrHandshakeTimeout) {
		t.Errorf("closed with %v, want ErrHandshakeTimeout", err)
	}
}

// expectStalledClosed dials addr, sends nothing, and expects the server to
// close the connection at its 300 ms handshake deadline.
func expectStalledClosed(t *testing.T, what, addr string) {
	t.Helper()
	stalled, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer stalled.Close()
	start := time.Now()
	stalled.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.Copy(io.Discard, stalled); err != nil {
		t.Fatalf("%s not closed: %v", what, err)
	}
	if d := time.Since(start); d < 250*time.Millisecond || d > 3*time.Second {
		t.Errorf("%s closed after %v, deadline 300ms", what, d)
	}
}
