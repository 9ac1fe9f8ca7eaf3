package message_test

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
)

// A typed message goes out through the chunk encoder on its conventional
// chunk stream and comes back typed from the chunk decoder.
func Example() {
	out := []message.Message{
		{Body: message.SetChunkSize{Size: 4096}},
		{Body: message.StreamBegin{StreamID: 1}},
		{Timestamp: 40, StreamID: 1, Body: message.Video{Payload: []byte{0x17, 0x01, 0, 0, 0}}},
		{Body: message.UnknownUserControl{Event: 31, Data: []byte{0, 0, 0, 1}}},
	}
	var enc chunk.Encoder
	var wire []byte
	for _, m := range out {
		raw, err := message.Encode(m)
		if err != nil {
			fmt.Println(err)
			return
		}
		if wire, err = enc.Append(wire, message.ChunkStreamID(m.Body, m.StreamID), raw); err != nil {
			fmt.Println(err)
			return
		}
	}

	raws, err := chunk.NewDecoder(chunk.DecoderConfig{}).Feed(nil, wire)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, raw := range raws {
		m, err := message.Decode(raw)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%d ms, stream %d: %#v\n", m.Timestamp, m.StreamID, m.Body)
	}
	// Output:
	// 0 ms, stream 0: message.SetChunkSize{Size:0x1000}
	// 0 ms, stream 0: message.StreamBegin{StreamID:0x1}
	// 40 ms, stream 1: message.Video{Payload:[]uint8{0x17, 0x1, 0x0, 0x0, 0x0}}
	// 0 ms, stream 0: message.UnknownUserControl{Event:0x1f, Data:[]uint8{0x0, 0x0, 0x0, 0x1}}
}
