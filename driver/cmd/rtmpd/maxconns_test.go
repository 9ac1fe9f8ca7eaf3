package main

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/handshake"
)

// TestRunMaxConns serves with -max-conns 2: two connections complete the
// handshake, a third is closed at once, and once one of the two leaves a
// new one is served again.
func TestRunMaxConns(t *testing.T) {
	o, err := parseFlags([]string{"-listen", "127.0.0.1:0", "-max-conns", "2", "-log-level", "error"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	r := startRunning(t, o)
	addr := r.addrs[addrRTMP].String()
	first, err := shakeHands(addr)
	if err != nil {
		t.Fatalf("first connection: %v", err)
	}
	defer first.Close()
	second, err := shakeHands(addr)
	if err != nil {
		t.Fatalf("second connection: %v", err)
	}
	defer second.Close()
	if c, err := shakeHands(addr); err == nil {
		c.Close()
		t.Fatal("a third connection was served with -max-conns 2")
	}
	first.Close()
	// The server notices the close with its next read, then forgets it.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		c, err := shakeHands(addr)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no connection served after one of two left: %v", err)
		}
	}
}

// shakeHands dials addr and completes the RTMP handshake as a client.
func shakeHands(addr string) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	c.SetDeadline(time.Now().Add(5 * time.Second))
	hs := handshake.NewClient(handshake.ClientConfig{Random: []byte("max-conns test")})
	if _, err := c.Write(hs.Hello()); err != nil {
		c.Close()
		return nil, err
	}
	buf := make([]byte, 4096)
	for hs.State() == handshake.Waiting {
		n, err := c.Read(buf)
		if err != nil {
			c.Close()
			return nil, err
		}
		out, err := hs.Feed(buf[:n])
		if err != nil {
			c.Close()
			return nil, err
		}
		if _, err := c.Write(out.Send); err != nil {
			c.Close()
			return nil, err
		}
	}
	if hs.State() != handshake.Done {
		c.Close()
		return nil, errors.New("handshake did not complete")
	}
	c.SetDeadline(time.Time{})
	return c, nil
}
