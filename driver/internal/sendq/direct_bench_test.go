package sendq

import (
	"io"
	"net"
	"testing"
)

// BenchmarkDirectWrite is the cost of one direct write of a 4 KiB message
// to a loopback TCP socket whose peer drains it: the system call and what
// the runtime adds around it.
func BenchmarkDirectWrite(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer client.Close()
	server, err := ln.Accept()
	if err != nil {
		b.Fatal(err)
	}
	defer server.Close()
	go io.Copy(io.Discard, client)
	d := newDirectWriter(server)
	msg := make([]byte, 4096)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		for rest := msg; len(rest) > 0; {
			rest = rest[d.write(rest):]
		}
	}
}
