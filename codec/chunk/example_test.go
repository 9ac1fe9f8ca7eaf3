package chunk_test

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/chunk"
)

// A sender's Encoder and a receiver's Decoder: the receiver gets the same
// messages however the bytes are split on the way.
func Example() {
	var enc chunk.Encoder
	var wire []byte
	wire, _ = enc.Append(wire, 2, chunk.Message{TypeID: 1, Payload: []byte{0, 0, 16, 0}}) // Set Chunk Size 4096
	wire, _ = enc.Append(wire, 6, chunk.Message{Timestamp: 40, TypeID: 9, StreamID: 1, Payload: make([]byte, 5000)})
	wire, _ = enc.Append(wire, 6, chunk.Message{Timestamp: 80, TypeID: 9, StreamID: 1, Payload: make([]byte, 300)})

	dec := chunk.NewDecoder(chunk.DecoderConfig{})
	var msgs []chunk.Message
	for len(wire) > 0 { // as if the network delivered 1000 bytes at a time
		n := min(len(wire), 1000)
		var err error
		if msgs, err = dec.Feed(msgs, wire[:n]); err != nil {
			fmt.Println(err)
			return
		}
		wire = wire[n:]
	}
	for _, m := range msgs {
		fmt.Printf("type %d at %d ms: %d bytes\n", m.TypeID, m.Timestamp, len(m.Payload))
	}
	fmt.Println("chunk size in:", dec.ChunkSize(), "out:", enc.ChunkSize())
	// Output:
	// type 1 at 0 ms: 4 bytes
	// type 9 at 40 ms: 5000 bytes
	// type 9 at 80 ms: 300 bytes
	// chunk size in: 4096 out: 4096
}

// A relay encodes a media message once and writes the same bytes to every
// player whose outgoing chunk size matches; each player's encoder records
// what was sent so its own later messages compress correctly.
func ExampleAppendShared() {
	players := []*chunk.Encoder{chunk.NewEncoder(), chunk.NewEncoder(), chunk.NewEncoder()}
	// The third player was switched to 4096-byte chunks earlier.
	players[2].Append(nil, 2, chunk.Message{TypeID: 1, Payload: []byte{0, 0, 16, 0}})

	frame := chunk.Message{Timestamp: 40, TypeID: 9, StreamID: 1, Payload: make([]byte, 1000)}
	shared, err := chunk.AppendShared(nil, 8, frame, chunk.DefaultChunkSize)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, enc := range players {
		if err := enc.Sent(shared); err == nil {
			fmt.Printf("player %d: %d shared bytes\n", i, len(shared.Bytes))
			continue
		}
		own, _ := enc.Append(nil, 8, frame)
		fmt.Printf("player %d: %d bytes of its own\n", i, len(own))
	}
	// Output:
	// player 0: 1019 shared bytes
	// player 1: 1019 shared bytes
	// player 2: 1012 bytes of its own
}
