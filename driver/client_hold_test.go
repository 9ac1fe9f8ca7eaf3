package driver_test

import (
	"context"
	"encoding/binary"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/handover"
	"github.com/gortmp/rtmp/driver"
)

// bigInterFrame is an inter frame of size bytes that carries seq.
func bigInterFrame(seq uint32, size int) []byte {
	p := binary.BigEndian.AppendUint32([]byte{0x27, 1, 0, 0, 0}, seq)
	return append(p, make([]byte, size-len(p))...)
}

// While a followed reconnect has lost its old server and the new one is
// not ready yet, a publication's writes are held for the new server up to
// a bound. Every write that returned nil reaches the new server, in order
// behind the keyframe they follow; a write past the bound fails with
// ErrHoldFull. Before, writes past the bound returned nil and the hold
// was thrown away: the new server got none of the gap's frames, and the
// publisher never knew.
func TestReconnectGapWritesReachTheNewServerOrFail(t *testing.T) {
	noLeakAtEnd(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a := reconnectServer{Relay: &live.Relay{}, conns: make(chan *driver.Conn, 4), errs: make(chan error, 4)}
	aAddr := startServer(t, nil, a, driver.Config{})
	// B accepts the publish once the test has written everything, so the
	// gap lasts however long the writes take (under the race detector
	// too).
	releaseB := make(chan struct{})
	releaseOnce := sync.OnceFunc(func() { close(releaseB) })
	defer releaseOnce()
	bAddr := startServer(t, nil, slowPublishServer{Relay: &live.Relay{}, release: releaseB}, driver.Config{})
	c, err := dial.Config{Reconnect: dial.ReconnectFollow}.Dial(ctx, rtmpURL(aAddr, "live/demo"))
	if err != nil {
		t.Fatal(err)
	}
	defer closeWithin(t, "Close", 2*time.Second, c.Close)
	pub, err := c.Publish(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	conn := receive(ctx, t, a.conns)
	onB := startPlayer(ctx, t, dial.Config{PlayQueueBytes: 256 << 20}, rtmpURL(bAddr, "live/demo"))
	keyA := []byte{0x17, 1, 0, 0, 0, 'A'}
	writeVideo(t, pub, 0, keyA)

	conn.Do(core.RequestReconnect{TCURL: rtmpURL(bAddr, "live")})
	conn.Close()
	waitFor(t, "the old server's loss", 5*time.Second, c.Holding)

	// 12 MiB of inter frames while there is no server: more than the
	// hold's 8 MiB.
	const frames, size = 48, 256 << 10
	var held []uint32
	refused := 0
	for seq := uint32(1); seq <= frames; seq++ {
		err := pub.WriteMessage(message.Message{Timestamp: seq, Body: message.Video{Payload: bigInterFrame(seq, size)}})
		switch {
		case err == nil:
			held = append(held, seq)
		case errors.Is(err, handover.ErrHoldFull):
			refused++
		default:
			t.Fatalf("write %d: %v", seq, err)
		}
	}
	if !c.Holding() {
		t.Fatal("the switch came before B accepted the publish")
	}
	releaseOnce()
	if refused == 0 {
		t.Errorf("no write failed with ErrHoldFull after %d MiB written without a server", frames*size>>20)
	}
	waitFor(t, "the switch to B", 10*time.Second, func() bool { return c.Reconnects() == 1 || c.Err() != nil })
	if err := c.Err(); err != nil {
		t.Fatalf("the connection ended: %v", err)
	}
	keyB := []byte{0x17, 1, 0, 0, 0, 'B'}
	writeVideo(t, pub, frames+1, keyB)

	// B's player: A's keyframe, every write that returned nil, in order,
	// then B's keyframe.
	var got []uint32
	sawKeyA := false
	for {
		m, err := onB.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("player on B: %v (got frames %v)", err, got)
		}
		v, ok := m.Body.(message.Video)
		if !ok {
			continue
		}
		if string(v.Payload) == string(keyA) {
			sawKeyA = true
			continue
		}
		if string(v.Payload) == string(keyB) {
			break
		}
		got = append(got, binary.BigEndian.Uint32(v.Payload[5:9]))
	}
	if !sawKeyA {
		t.Error("player on B: no keyframe before the held frames")
	}
	if len(got) != len(held) {
		t.Fatalf("player on B got %d of the %d frames whose write returned nil: %v", len(got), len(held), got)
	}
	for i := range got {
		if got[i] != held[i] {
			t.Fatalf("player on B got frame %d where frame %d was held", got[i], held[i])
		}
	}
	if dropped := onB.Dropped(); dropped != 0 {
		t.Errorf("player on B dropped %d messages", dropped)
	}
}
