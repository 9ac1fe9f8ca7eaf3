package main

import (
	"io"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/internal/testdial"
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
	first, err := testdial.Handshaken(addr)
	if err != nil {
		t.Fatalf("first connection: %v", err)
	}
	defer first.Close()
	second, err := testdial.Handshaken(addr)
	if err != nil {
		t.Fatalf("second connection: %v", err)
	}
	defer second.Close()
	if c, err := testdial.Handshaken(addr); err == nil {
		c.Close()
		t.Fatal("a third connection was served with -max-conns 2")
	}
	first.Close()
	// The server notices the close with its next read, then forgets it.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		c, err := testdial.Handshaken(addr)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no connection served after one of two left: %v", err)
		}
	}
}
