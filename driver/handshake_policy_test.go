package driver_test

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/driver"
)

// TestC2ThatEchoesNothing sends a simple-form C0+C1 and then a C2 that
// answers neither S1 nor its digest. By default the server goes on (it
// opens the connection with its stream-zero messages, as nginx-rtmp would);
// with StrictHandshake it closes the connection without a byte more.
func TestC2ThatEchoesNothing(t *testing.T) {
	for _, strict := range []bool{false, true} {
		addr := startServer(t, nil, &live.Relay{}, driver.Config{StrictHandshake: strict})
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c0c1 := make([]byte, 1+handshake.PacketSize)
		c0c1[0] = 3
		if _, err := c.Write(c0c1); err != nil {
			t.Fatal(err)
		}
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.ReadFull(c, make([]byte, 1+2*handshake.PacketSize)); err != nil {
			t.Fatalf("strict=%v: reading S0+S1+S2: %v", strict, err)
		}
		if _, err := c.Write(bytes.Repeat([]byte{0xab}, handshake.PacketSize)); err != nil {
			t.Fatal(err)
		}
		after, err := io.ReadAll(io.LimitReader(c, 1))
		c.Close()
		switch {
		case !strict && len(after) == 0:
			t.Errorf("lenient: connection closed after a C2 that echoes nothing (%v)", err)
		case strict && len(after) != 0:
			t.Errorf("strict: server went on after a C2 that echoes nothing")
		}
	}
}
