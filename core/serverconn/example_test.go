package serverconn_test

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/serverconn"
)

// A client connects; the application accepts; the reply decodes.
func Example() {
	srv := serverconn.New(serverconn.Config{Handshake: handshake.ServerConfig{Random: []byte("seed")}})
	cli := handshake.NewClient(handshake.ClientConfig{Random: []byte("client")})

	// Handshake: C0+C1 in, S0+S1+S2 out, C2 in.
	srv.Feed(cli.Hello())
	out, _ := cli.Feed(srv.TakeOutput(nil))
	srv.Feed(out.Send)
	fmt.Println("server:", srv.State())

	// connect, chunked by the client's encoder.
	var enc chunk.Encoder
	raw, _ := message.Encode(message.Message{Body: message.Command{
		Name: "connect", TransactionID: 1, Object: amf0.Object{{Key: "app", Value: "live"}},
	}})
	b, _ := enc.Append(nil, 3, raw)
	for _, e := range srv.Feed(b) {
		if req, ok := e.(core.ConnectionRequested); ok {
			fmt.Println("connect to", req.App)
			srv.Step(core.Accept{Request: req.Request})
		}
	}

	// Everything the server sent after S2 decodes with our own decoder.
	dec := chunk.NewDecoder(chunk.DecoderConfig{})
	raws, _ := dec.Feed(nil, srv.TakeOutput(nil))
	for _, r := range raws {
		m, _ := message.Decode(r)
		if c, ok := m.Body.(message.Command); ok {
			fmt.Println(c.Name)
		}
	}
	// Output:
	// server: open
	// connect to live
	// onBWDone
	// _result
}
