package driver_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
)

// TestPlaybackQueueBoundedInBytes: a player that does not read while the
// server sends large messages holds at most DialConfig.PlayQueueBytes of
// them, far fewer than PlayQueue messages, and counts the rest as
// dropped.
func TestPlaybackQueueBoundedInBytes(t *testing.T) {
	const (
		size      = 256 << 10
		sent      = 40
		byteBound = 1 << 20
	)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// The relay must pass every message on to a player whose socket the
	// client drains at once.
	r := &live.Relay{Limits: relay.Config{MaxQueueBytes: 64 << 20, HardQueueBytes: 128 << 20}}
	addr := startServer(t, nil, r, driver.Config{})
	url := rtmpURL(addr, "live/big")

	pc, err := dial.Config{}.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	pub, err := pc.Publish(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	vc, err := dial.Config{PlayQueue: 1024, PlayQueueBytes: byteBound}.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer vc.Close()
	pb, err := vc.Play(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for i := range sent {
		data := make([]byte, size)
		data[0], data[1] = 0x27, 1 // an H.264 inter frame
		if i == 0 {
			data[0] = 0x17 // a keyframe, which starts the player
		}
		if err := pub.WriteTag(flv.Tag{Type: flv.TagVideo, Timestamp: uint32(i * 40), Data: data}); err != nil {
			t.Fatal(err)
		}
	}
	// Every message reached the player: queued or dropped.
	deadline := time.Now().Add(10 * time.Second)
	for pb.Dropped() < sent-byteBound/size && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	got, bytes := 0, 0
	for {
		rctx, rcancel := context.WithTimeout(ctx, 300*time.Millisecond)
		m, err := pb.ReadMessage(rctx)
		rcancel()
		if errors.Is(err, context.DeadlineExceeded) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if v, ok := m.Body.(message.Video); ok {
			got++
			bytes += len(v.Payload)
		}
	}
	if bytes > byteBound || got == 0 {
		t.Errorf("the queue held %d video messages, %d bytes; want some, at most %d bytes", got, bytes, byteBound)
	}
	if want := uint64(sent - got); pb.Dropped() < want {
		t.Errorf("dropped %d, want at least %d of %d sent", pb.Dropped(), want, sent)
	}
}
