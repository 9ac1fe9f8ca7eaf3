package clientconn_test

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/clientconn"
	"github.com/gortmp/rtmp/core/serverconn"
)

// A client connection talking to a server connection with no sockets:
// each side's pending output is the other's input.
func Example() {
	c := clientconn.New(clientconn.Config{Handshake: handshake.ClientConfig{Random: []byte("client seed")}})
	s := serverconn.New(serverconn.Config{Handshake: handshake.ServerConfig{Random: []byte("server seed")}})
	c.Step(client.Connect{App: "live", TCURL: "rtmp://example/live"}) // goes out after C2
	for round := 0; round < 10 && (len(c.Pending()) > 0 || len(s.Pending()) > 0); round++ {
		for _, e := range s.Feed(c.TakeOutput(nil)) {
			if r, ok := e.(core.ConnectionRequested); ok {
				s.Step(core.Accept{Request: r.Request})
			}
		}
		for _, e := range c.Feed(s.TakeOutput(nil)) {
			if _, ok := e.(client.Connected); ok {
				fmt.Println("connected; client", c.State())
			}
		}
	}
	// Output: connected; client open
}
