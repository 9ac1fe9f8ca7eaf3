package driver

import (
	"bytes"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/driver/internal/sendq"
)

// The application may change a player's outbound chunk size at any time
// (Send of a Set Chunk Size) while a publisher's goroutine fans media out
// to it. Every frame must be cut at the chunk size in effect where it
// lands in the queue: one cut at the old size but queued after the Set
// Chunk Size message garbles the stream for the player.
func TestFramesFollowChunkSizeChanges(t *testing.T) {
	const frames = 3000
	c := &Conn{queue: sendq.New(1 << 30)}
	c.chunkSize.Store(128)

	payload := bytes.Repeat([]byte{0x17, 1, 2, 3, 4, 5, 6, 7}, 40) // 320 bytes: several chunks at 128
	var wg sync.WaitGroup
	wg.Go(func() { // the publisher's goroutine
		for i := range frames {
			f := NewFrame(message.TypeVideo, uint32(i), payload)
			if !c.QueueFrame(f, 1, len(payload), nil) {
				t.Error("frame refused")
				return
			}
		}
	})
	wg.Go(func() { // the connection's loop, told to switch sizes
		sizes := []uint32{4096, 128}
		for i := range frames / 3 {
			size := sizes[i%2]
			raw, err := message.Encode(message.Message{Body: message.SetChunkSize{Size: size}})
			if err != nil {
				t.Error(err)
				return
			}
			s, err := chunk.AppendShared(nil, 2, raw, c.ChunkSize())
			if err != nil {
				t.Error(err)
				return
			}
			c.pushOutput(s.Bytes, size)
		}
	})
	wg.Wait()

	// Closed, the queue's writer drains everything queued and stops.
	c.queue.Close()
	w, r := net.Pipe()
	go func() {
		sendq.WriteLoop(w, c.queue, 10*time.Second)
		w.Close()
	}()
	wire, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := chunk.NewDecoder(chunk.DecoderConfig{}).Feed(nil, wire)
	if err != nil {
		t.Fatalf("the player cannot decode its stream: %v", err)
	}
	got := 0
	for _, m := range msgs {
		if message.TypeID(m.TypeID) != message.TypeVideo {
			continue
		}
		if !bytes.Equal(m.Payload, payload) || m.Timestamp != uint32(got) {
			t.Fatalf("video message %d garbled: %d bytes at %d", got, len(m.Payload), m.Timestamp)
		}
		got++
	}
	if got != frames {
		t.Fatalf("decoded %d video messages, want %d", got, frames)
	}
}
