package driver_test

import (
	"context"
	"fmt"
	"net"

	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/driver"
)

// A relay server on a loopback port: a client handshakes with it, then the
// server shuts down and Serve returns.
func Example() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error)
	go func() { served <- driver.Serve(ctx, ln, &live.Relay{}, driver.Config{}) }()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		panic(err)
	}
	defer conn.Close()
	client := handshake.NewClient(handshake.ClientConfig{Random: []byte("example")})
	conn.Write(client.Hello())
	buf := make([]byte, 4096)
	for client.State() == handshake.Waiting {
		n, err := conn.Read(buf)
		if err != nil {
			panic(err)
		}
		out, _ := client.Feed(buf[:n])
		conn.Write(out.Send)
	}
	fmt.Println("handshake:", client.State())

	cancel()
	fmt.Println("Serve returned:", <-served)
	// Output:
	// handshake: done
	// Serve returned: <nil>
}
