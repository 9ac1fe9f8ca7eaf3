package driver

import (
	"net"
	"syscall"
	"testing"
)

// noDelay reads TCP_NODELAY from a TCP connection's socket.
func noDelay(t *testing.T, c *net.TCPConn) bool {
	t.Helper()
	rc, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var v int
	var gerr error
	if err := rc.Control(func(fd uintptr) {
		v, gerr = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_NODELAY)
	}); err != nil {
		t.Fatal(err)
	}
	if gerr != nil {
		t.Fatal(gerr)
	}
	return v != 0
}

func TestSetNoDelayTurnsNagleOnAndOff(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	tc := server.(*net.TCPConn)
	if !noDelay(t, tc) {
		t.Fatal("Go's default should be TCP_NODELAY on")
	}
	setNoDelay(server, false)
	if noDelay(t, tc) {
		t.Error("Nagle still off after setNoDelay(false)")
	}
	setNoDelay(server, true)
	if !noDelay(t, tc) {
		t.Error("Nagle still on after setNoDelay(true)")
	}
}
