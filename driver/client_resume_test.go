package driver_test

import (
	"context"
	"encoding/binary"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/driver"
)

// slowPublishServer is a relay that takes delay to accept a publisher:
// a reconnect target that keeps a client without a server for a while.
type slowPublishServer struct {
	*live.Relay
	delay time.Duration
	// release, if not nil, holds each publish until it is closed (at most
	// ten seconds) instead of for delay.
	release <-chan struct{}
}

func (h slowPublishServer) HandleEvent(c *driver.Conn, ev core.Event) {
	if _, ok := ev.(core.PublishStreamRequested); ok {
		if h.release != nil {
			select {
			case <-h.release:
			case <-time.After(10 * time.Second):
			}
		} else {
			time.Sleep(h.delay)
		}
	}
	h.Relay.HandleEvent(c, ev)
}

// interFrame is a video inter frame that carries its sequence number.
func interFrame(seq uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{0x27, 1, 0, 0, 0}, seq)
}

// interSeq returns the sequence number of an interFrame.
func interSeq(payload []byte) (uint32, bool) {
	if len(payload) != 9 || payload[0] != 0x27 {
		return 0, false
	}
	return binary.BigEndian.Uint32(payload[5:]), true
}

// When the old server hangs up right after its reconnect request and the
// new one takes a while to accept the stream, the new server still gets
// the stream without a hole: at the switch the client sends it the
// metadata and decoder configuration, the last keyframe and every frame
// written since, including those written while there was no server and
// those the old server's socket swallowed as it closed. Before, the new
// server got only what was written after the switch: frames that refer to
// a keyframe it never saw, which its relay dropped.
func TestReconnectResumesFromTheLastKeyframe(t *testing.T) {
	noLeakAtEnd(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a := reconnectServer{Relay: &live.Relay{}, conns: make(chan *driver.Conn, 4), errs: make(chan error, 4)}
	aAddr := startServer(t, nil, a, driver.Config{})
	const delay = 300 * time.Millisecond
	bAddr := startServer(t, nil, slowPublishServer{Relay: &live.Relay{}, delay: delay}, driver.Config{})
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
	onA := startPlayer(ctx, t, legacyPlayer, rtmpURL(aAddr, "live/demo"))
	onB := startPlayer(ctx, t, legacyPlayer, rtmpURL(bAddr, "live/demo"))
	if err := pub.SetMetaData(amf0.ECMAArray{{Key: "width", Value: 320.0}}); err != nil {
		t.Fatal(err)
	}
	header := []byte{0x17, 0, 0, 0, 0, 'H'}
	writeVideo(t, pub, 0, header)
	writeVideo(t, pub, 0, []byte{0x17, 1, 0, 0, 0, 'A'})

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var werr error
	var written uint32
	wg.Add(1)
	go func() {
		defer wg.Done()
		for seq := uint32(1); ; seq++ {
			if werr = pub.WriteMessage(message.Message{Timestamp: seq, Body: message.Video{Payload: interFrame(seq)}}); werr != nil {
				return
			}
			written = seq
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	// Some inter frames reach A's player (past the metadata, the decoder
	// configuration and keyframe A).
	waitFor(t, "frames on A", 10*time.Second, func() bool { return sentToPlayers(a.Relay, "live", "demo") > 5 })
	conn.Do(core.RequestReconnect{TCURL: rtmpURL(bAddr, "live")})
	conn.Close()
	waitFor(t, "the switch to B", 5*time.Second, func() bool { return c.Reconnects() == 1 || c.Err() != nil })
	if err := c.Err(); err != nil {
		t.Fatalf("the connection ended: %v", err)
	}
	time.Sleep(20 * time.Millisecond) // some frames go to B after the switch
	close(stop)
	wg.Wait()
	if werr != nil {
		t.Fatalf("a write across the reconnect failed: %v", werr)
	}
	keyB := []byte{0x17, 1, 0, 0, 0, 'B'}
	writeVideo(t, pub, written+1, keyB)

	// The last frame A's player got.
	var lastA uint32
	actx, acancel := context.WithTimeout(ctx, time.Second)
	defer acancel()
	for {
		m, err := onA.ReadMessage(actx)
		if err != nil {
			break
		}
		if v, ok := m.Body.(message.Video); ok {
			if seq, ok := interSeq(v.Payload); ok {
				lastA = seq
			}
		}
	}
	if lastA == 0 {
		t.Fatal("A's player got no inter frame")
	}

	// B's player: decoder configuration and metadata, the keyframe A's
	// player started from, every frame written since, and the keyframe
	// written last.
	var sawHeader, sawMetaData, sawKeyA bool
	var prevB uint32
	keyA := []byte{0x17, 1, 0, 0, 0, 'A'}
	for {
		m, err := onB.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("player on B: %v", err)
		}
		switch body := m.Body.(type) {
		case message.Data:
			sawMetaData = sawMetaData || len(body.Values) > 0 && body.Values[0] == "onMetaData"
			continue
		case message.Video:
			switch string(body.Payload) {
			case string(header):
				sawHeader = true
				continue
			case string(keyA):
				if !sawHeader || !sawMetaData {
					t.Errorf("player on B: decoder configuration %v, metadata %v before the keyframe; want both", sawHeader, sawMetaData)
				}
				sawKeyA = true
				continue
			case string(keyB):
			default:
				seq, ok := interSeq(body.Payload)
				if !ok {
					t.Fatalf("player on B: unexpected video %x", body.Payload)
				}
				if !sawKeyA || seq != prevB+1 {
					t.Fatalf("player on B: frame %d after frame %d (keyframe seen: %v); want every frame from the keyframe on", seq, prevB, sawKeyA)
				}
				prevB = seq
				continue
			}
		default:
			continue
		}
		break
	}
	t.Logf("A's player stopped at frame %d; B's got the keyframe and frames 1 to %d of %d written", lastA, prevB, written)
	if prevB != written {
		t.Errorf("B's player got frames up to %d, want %d", prevB, written)
	}
}
