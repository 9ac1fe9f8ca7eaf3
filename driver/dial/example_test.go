package dial_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/driver"
)

// A client publishes to a relay and plays its own stream back on the same
// connection: Dial, then Publish and Play by key, each on its own stream.
func ExampleDial() {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	go driver.Serve(ctx, ln, &live.Relay{}, driver.Config{Logger: slog.New(slog.DiscardHandler)})

	c, err := dial.Dial(ctx, "rtmp://"+ln.Addr().String()+"/live/demo")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	pub, err := c.Publish(ctx, "") // the key comes from the URL
	if err != nil {
		fmt.Println(err)
		return
	}
	play, err := c.Play(ctx, "demo")
	if err != nil {
		fmt.Println(err)
		return
	}
	// An AVC sequence header and a keyframe, as an encoder sends them.
	pub.WriteMessage(message.Message{Body: message.Video{Payload: []byte{0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f}}})
	pub.WriteMessage(message.Message{Timestamp: 40, Body: message.Video{Payload: []byte{0x17, 1, 0, 0, 0, 0xAA}}})
	for seen := 0; seen < 2; {
		m, err := play.ReadMessage(ctx)
		if err != nil {
			fmt.Println(err)
			return
		}
		// Data messages (|RtmpSampleAccess) come too; print the video.
		if v, ok := m.Body.(message.Video); ok {
			fmt.Printf("video at %d ms: % x\n", m.Timestamp, v.Payload[:2])
			seen++
		}
	}
	// Output:
	// video at 0 ms: 17 00
	// video at 40 ms: 17 01
}
