package handshake_test

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/handshake"
)

// A server and a client handshake talking through memory. A driver does
// the same with a socket: feed each read, write Output.Send, and once the
// state is Done hand Output.Rest to the chunk decoder.
func Example() {
	server := handshake.NewServer(handshake.ServerConfig{Epoch: 1000, Random: []byte("server seed")})
	client := handshake.NewClient(handshake.ClientConfig{Epoch: 42, Random: []byte("client seed")})

	// The client opens with C0+C1; the server answers S0+S1+S2.
	toClient, err := server.Feed(client.Hello())
	if err != nil {
		panic(err)
	}
	// The client answers C2 and, here, sends its first chunk bytes with it.
	fromServer, err := client.Feed(toClient.Send)
	if err != nil {
		panic(err)
	}
	firstChunks := []byte{0x03, 0x00, 0x00, 0x00}
	done, err := server.Feed(append(fromServer.Send, firstChunks...))
	if err != nil {
		panic(err)
	}

	r := server.Result()
	fmt.Println(done.State, r.Form, r.Scheme, r.PeerEpoch, r.Verified)
	fmt.Printf("chunk stream starts with % x\n", done.Rest)
	fmt.Println(client.State(), client.Result().PeerEpoch)
	// Output:
	// done digest scheme1 42 true
	// chunk stream starts with 03 00 00 00
	// done 1000
}
