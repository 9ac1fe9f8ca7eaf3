package driver_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/driver"
)

// BenchmarkClientMedia measures the client's media path against a relay
// in the same process: a publication's WriteMessage alone, and the same
// with a playback reading each message back. Allocations include the
// relay's, which this benchmark does not change.
func BenchmarkClientMedia(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go driver.Serve(ctx, ln, &live.Relay{}, driver.Config{})
	url := "rtmp://" + ln.Addr().String() + "/live/bench"
	payload := make([]byte, 4096)
	payload[0], payload[1] = 0x27, 1 // an AVC inter frame
	keyframe := []byte{0x17, 1, 0, 0, 0, 0xAA}

	b.Run("write", func(b *testing.B) {
		conn, err := dial.Dial(ctx, url)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close()
		pub, err := conn.Publish(ctx, "")
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.SetBytes(int64(len(payload)))
		b.ResetTimer()
		for i := range b.N {
			if err := pub.WriteMessage(message.Message{Timestamp: uint32(i), Body: message.Video{Payload: payload}}); err != nil {
				b.Fatal(err)
			}
		}
	})

	b.Run("write-read", func(b *testing.B) {
		pconn, err := dial.Dial(ctx, url+"2")
		if err != nil {
			b.Fatal(err)
		}
		defer pconn.Close()
		pub, err := pconn.Publish(ctx, "")
		if err != nil {
			b.Fatal(err)
		}
		if err := pub.WriteMessage(message.Message{Body: message.Video{Payload: keyframe}}); err != nil {
			b.Fatal(err)
		}
		cconn, err := dial.Dial(ctx, url+"2")
		if err != nil {
			b.Fatal(err)
		}
		defer cconn.Close()
		play, err := cconn.Play(ctx, "")
		if err != nil {
			b.Fatal(err)
		}
		rctx, rcancel := context.WithTimeout(ctx, time.Minute)
		defer rcancel()
		// Read past what the relay sends a new player first.
		for {
			m, err := play.ReadMessage(rctx)
			if err != nil {
				b.Fatal(err)
			}
			if v, ok := m.Body.(message.Video); ok && len(v.Payload) == len(keyframe) {
				break
			}
		}
		b.ReportAllocs()
		b.SetBytes(int64(len(payload)))
		b.ResetTimer()
		for i := range b.N {
			if err := pub.WriteMessage(message.Message{Timestamp: uint32(i + 1), Body: message.Video{Payload: payload}}); err != nil {
				b.Fatal(err)
			}
			for {
				m, err := play.ReadMessage(rctx)
				if err != nil {
					b.Fatal(err)
				}
				if v, ok := m.Body.(message.Video); ok && len(v.Payload) == len(payload) {
					break
				}
			}
		}
	})
}
