// Package testkit holds helpers that tests of several of the driver's
// packages share: loopback TCP connections and memory measurements.
package testkit

import (
	"net"
	"runtime"
	"testing"
)

// LoopbackPair returns both ends of a TCP connection on 127.0.0.1.
func LoopbackPair(t testing.TB) (net.Conn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	a, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	b, err := ln.Accept()
	if err != nil {
		a.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

// MemStats returns the memory statistics after a full collection.
func MemStats() runtime.MemStats {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m
}

// SmallBufferPair connects a socket to ln and returns the accepted end,
// whose send buffer is small, and the dialled end, whose receive buffer is
// small: writes fall short as soon as the peer stops reading.
func SmallBufferPair(t interface{ Fatal(...any) }, ln net.Listener) (conn, peer net.Conn) {
	peer, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	conn, err = ln.Accept()
	if err != nil {
		peer.Close()
		t.Fatal(err)
	}
	conn.(*net.TCPConn).SetWriteBuffer(4096)
	peer.(*net.TCPConn).SetReadBuffer(4096)
	return conn, peer
}
