package driver_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
)

// A server that is shutting down sends the reconnect request and closes
// its socket at once. The client that follows the request must not end
// with the old connection: the reconnect goes on, and the playback goes on
// with what the new server plays.
func TestReconnectOldServerClosesPlaying(t *testing.T) {
	noLeakAtEnd(t)
	a := reconnectServer{Relay: &live.Relay{}, conns: make(chan *driver.Conn, 4), errs: make(chan error, 4)}
	aAddr := startServer(t, nil, a, driver.Config{})
	b := newRelayServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	md := amf0.ECMAArray{{Key: "width", Value: 320.0}}
	onA := startPublisher(ctx, t, rtmpURL(aAddr, "live/demo"), md)
	onB := startPublisher(ctx, t, rtmpURL(b.addr, "live/demo"), md)
	receive(ctx, t, a.conns) // the publisher's

	c, err := dial.Config{Reconnect: dial.ReconnectFollow}.Dial(ctx, rtmpURL(aAddr, "live/demo"))
	if err != nil {
		t.Fatal(err)
	}
	defer closeWithin(t, "Close", 2*time.Second, c.Close)
	pb, err := c.Play(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	conn := receive(ctx, t, a.conns)
	keyA := []byte{0x17, 1, 0, 0, 0, 'A'}
	writeVideo(t, onA, 0, keyA)
	if got := readVideo(ctx, t, "player on A", pb, 1); string(got.video[0]) != string(keyA) {
		t.Fatalf("player on A got % x", got.video[0])
	}

	conn.Do(core.RequestReconnect{TCURL: rtmpURL(b.addr, "live")})
	conn.Close()
	waitFor(t, "the switch to B", 5*time.Second, func() bool { return c.Reconnects() == 1 })
	keyB := []byte{0x17, 1, 0, 0, 0, 'B'}
	writeVideo(t, onB, 40, keyB)
	if got := readVideo(ctx, t, "player moved to B", pb, 1); string(got.video[0]) != string(keyB) {
		t.Fatalf("player moved to B got % x, want % x", got.video[0], keyB)
	}
	select {
	case <-c.Done():
		t.Fatalf("the connection ended: %v", c.Err())
	default:
	}
	if err := c.Err(); err != nil {
		t.Errorf("Err() = %v; want nil", err)
	}
	if got := c.Target().Addr; got != b.addr {
		t.Errorf("Target().Addr %s, want %s", got, b.addr)
	}
}

// The same for a publication. The old server closes right after the
// request (or, in the second case, once the new server carries the
// stream and the switch waits for a keyframe): with the old connection
// dead there is no boundary to wait for, so the client switches as soon
// as the new server is ready, without a keyframe. Writes meanwhile do not
// fail, and the new server gets the metadata and decoder configuration
// and then what is written after the switch.
func TestReconnectOldServerClosesPublishing(t *testing.T) {
	for _, tc := range []struct {
		name string
		// ready: the old server closes once the switch is pending.
		ready bool
	}{{"at once", false}, {"switch pending", true}} {
		t.Run(tc.name, func(t *testing.T) {
			noLeakAtEnd(t)
			a := reconnectServer{Relay: &live.Relay{}, conns: make(chan *driver.Conn, 4), errs: make(chan error, 4)}
			aAddr := startServer(t, nil, a, driver.Config{})
			b := newRelayServer(t)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			player := startPlayer(ctx, t, legacyPlayer, rtmpURL(b.addr, "live/demo"))

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
			if err := pub.SetMetaData(amf0.ECMAArray{{Key: "width", Value: 320.0}}); err != nil {
				t.Fatal(err)
			}
			header := []byte{0x17, 0, 0, 0, 0, 'H'}
			writeVideo(t, pub, 0, header)
			writeVideo(t, pub, 0, []byte{0x17, 1, 0, 0, 0, 'A'})

			// Inter frames only, across the whole reconnect: none of
			// them is a boundary to switch on.
			stop := make(chan struct{})
			var wg sync.WaitGroup
			var werr error
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ts := uint32(1); ; ts++ {
					err := pub.WriteMessage(message.Message{Timestamp: ts, Body: message.Video{Payload: []byte{0x27, 1, 0, 0, 0}}})
					if err != nil {
						werr = err
						return
					}
					select {
					case <-stop:
						return
					case <-time.After(2 * time.Millisecond):
					}
				}
			}()

			conn.Do(core.RequestReconnect{TCURL: rtmpURL(b.addr, "live")})
			if tc.ready {
				waitFor(t, "the switch to be pending", 3*time.Second, c.SwitchPending)
			}
			conn.Close()
			// Well within reconnectBoundaryWait (5 s): the switch does
			// not wait for a keyframe.
			waitFor(t, "the switch to B", 3*time.Second, func() bool { return c.Reconnects() == 1 || c.Err() != nil })
			if err := c.Err(); err != nil {
				t.Fatalf("the connection ended: %v", err)
			}
			close(stop)
			wg.Wait()
			if werr != nil {
				t.Fatalf("a write across the reconnect failed: %v", werr)
			}
			keyB := []byte{0x17, 1, 0, 0, 0, 'B'}
			writeVideo(t, pub, 1000, keyB)

			var sawHeader, sawMetaData bool
			for {
				m, err := player.ReadMessage(ctx)
				if err != nil {
					t.Fatalf("player on B: %v", err)
				}
				switch body := m.Body.(type) {
				case message.Video:
					sawHeader = sawHeader || string(body.Payload) == string(header)
				case message.Data:
					sawMetaData = sawMetaData || len(body.Values) > 0 && body.Values[0] == "onMetaData"
				}
				if v, ok := m.Body.(message.Video); ok && string(v.Payload) == string(keyB) {
					break
				}
			}
			if !sawHeader || !sawMetaData {
				t.Errorf("player on B: decoder configuration %v, metadata %v before the keyframe; want both", sawHeader, sawMetaData)
			}
			if err := c.Err(); err != nil {
				t.Errorf("Err() = %v; want nil", err)
			}
			if got := c.Target().Addr; got != b.addr {
				t.Errorf("Target().Addr %s, want %s", got, b.addr)
			}
		})
	}
}

// blackhole accepts connections and never answers: a reconnect target
// whose handshake never completes.
func blackhole(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		conns []net.Conn
		wg    sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return ln.Addr().String()
}

// The old server closes right after the request and the new one cannot be
// reached (the port refuses) or never answers: the connection ends with a
// *ReconnectError within ReconnectTimeout, and nothing waits forever.
func TestReconnectOldServerClosesTargetUnreachable(t *testing.T) {
	for _, tc := range []struct {
		name    string
		target  func(t *testing.T) string
		publish bool
	}{
		{"refused play", freeLoopbackAddr, false},
		{"refused publish", freeLoopbackAddr, true},
		{"silent play", blackhole, false},
		{"silent publish", blackhole, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noLeakAtEnd(t)
			a := reconnectServer{Relay: &live.Relay{}, conns: make(chan *driver.Conn, 4), errs: make(chan error, 4)}
			aAddr := startServer(t, nil, a, driver.Config{})
			bAddr := tc.target(t)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			const timeout = 500 * time.Millisecond
			c, err := dial.Config{Reconnect: dial.ReconnectFollow, ReconnectTimeout: timeout}.Dial(ctx, rtmpURL(aAddr, "live/demo"))
			if err != nil {
				t.Fatal(err)
			}
			defer closeWithin(t, "Close", 2*time.Second, c.Close)
			var (
				pub *dial.Publication
				pb  *dial.Playback
			)
			if tc.publish {
				pub, err = c.Publish(ctx, "")
			} else {
				pb, err = c.Play(ctx, "")
			}
			if err != nil {
				t.Fatal(err)
			}
			conn := receive(ctx, t, a.conns)
			start := time.Now()
			conn.Do(core.RequestReconnect{TCURL: rtmpURL(bAddr, "live")})
			conn.Close()
			select {
			case <-c.Done():
			case <-time.After(timeout + 2*time.Second):
				t.Fatalf("the connection did not end; Err %v, Reconnects %d", c.Err(), c.Reconnects())
			}
			if d := time.Since(start); d > timeout+time.Second {
				t.Errorf("the connection ended after %v; ReconnectTimeout is %v", d, timeout)
			}
			var re *dial.ReconnectError
			if err := c.Err(); !errors.As(err, &re) {
				t.Fatalf("Err() = %v; want a *ReconnectError", err)
			}
			if re.TCURL != rtmpURL(bAddr, "live") {
				t.Errorf("ReconnectError.TCURL %s, want %s", re.TCURL, rtmpURL(bAddr, "live"))
			}
			if pub != nil {
				err := pub.WriteMessage(message.Message{Body: message.Video{Payload: []byte{0x17, 1, 0, 0, 0}}})
				if !errors.Is(err, dial.ErrClosed) || !errors.As(err, &re) {
					t.Errorf("WriteMessage after the failed reconnect: %v", err)
				}
			}
			if pb != nil {
				rctx, rcancel := context.WithTimeout(ctx, 2*time.Second)
				defer rcancel()
				for {
					_, err := pb.ReadMessage(rctx)
					if err == nil {
						continue
					}
					if !errors.As(err, &re) {
						t.Errorf("ReadMessage after the failed reconnect: %v; want the *ReconnectError", err)
					}
					break
				}
			}
		})
	}
}

// Close while the old server is gone and the new one has not answered
// yet returns at once; the connection then ends as closed, not failed.
func TestReconnectOldServerClosesThenClose(t *testing.T) {
	noLeakAtEnd(t)
	a := reconnectServer{Relay: &live.Relay{}, conns: make(chan *driver.Conn, 4), errs: make(chan error, 4)}
	aAddr := startServer(t, nil, a, driver.Config{})
	bAddr := blackhole(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, err := dial.Config{Reconnect: dial.ReconnectFollow, ReconnectTimeout: 10 * time.Second}.Dial(ctx, rtmpURL(aAddr, "live/demo"))
	if err != nil {
		t.Fatal(err)
	}
	pb, err := c.Play(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	conn := receive(ctx, t, a.conns)
	conn.Do(core.RequestReconnect{TCURL: rtmpURL(bAddr, "live")})
	conn.Close()
	waitFor(t, "the old server to let go", 5*time.Second, func() bool {
		return a.Players(relay.Path{App: "live", Key: "demo"}) == 0
	})
	// The client's read loop sees the close a moment after the server.
	select {
	case <-c.Done():
		t.Fatalf("the connection ended with the old server: %v", c.Err())
	case <-time.After(100 * time.Millisecond):
	}
	// What was queued (the play's data messages), then nothing: the
	// playback waits for the new server.
	rctx, rcancel := context.WithTimeout(ctx, 100*time.Millisecond)
	for {
		if _, err := pb.ReadMessage(rctx); err != nil {
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("ReadMessage during the reconnect: %v; want the context's deadline", err)
			}
			break
		}
	}
	rcancel()

	closeWithin(t, "Close", 2*time.Second, c.Close)
	select {
	case <-c.Done():
	default:
		t.Fatal("Done is open after Close")
	}
	if err := c.Err(); err != nil {
		t.Errorf("Err() after Close = %v; want nil", err)
	}
	rctx, rcancel = context.WithTimeout(ctx, 2*time.Second)
	defer rcancel()
	for {
		if _, err := pb.ReadMessage(rctx); err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				t.Error("the playback did not end with its connection")
			}
			break
		}
	}
}

// The old server sends the request and closes while the publisher writes
// and with its writes unread, so the close resets the connection: the
// client's write fails, possibly before its read loop has read the
// request. It must still read the request and follow it.
func TestReconnectOldServerResetsPublishing(t *testing.T) {
	noLeakAtEnd(t)
	b := newRelayServer(t)
	a := startScriptServer(t, func(sc *scriptConn) {
		if sc.accept() != nil {
			return
		}
		_, sid, err := sc.await("publish")
		if err != nil || sc.send(statusMsg(sid, "NetStream.Publish.Start")) != nil {
			return
		}
		// Media arrives; let more of it wait unread.
		if _, err := sc.conn.Read(sc.buf); err != nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
		sc.send(message.Message{Body: message.Command{Name: "onStatus", Args: []amf0.Value{amf0.Object{
			{Key: "level", Value: "status"}, {Key: "code", Value: "NetConnection.Connect.ReconnectRequest"},
			{Key: "tcUrl", Value: rtmpURL(b.addr, "live")},
		}}}})
		sc.conn.Close()
	})
	for i := range 3 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		key := fmt.Sprintf("demo%d", i)
		c, err := dial.Config{Reconnect: dial.ReconnectFollow}.Dial(ctx, a.url("live/"+key))
		if err != nil {
			t.Fatal(err)
		}
		pub, err := c.Publish(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 1)
		go func() {
			for ts := uint32(0); ; ts++ {
				if err := pub.WriteMessage(message.Message{Timestamp: ts, Body: message.Video{Payload: []byte{0x27, 1, 0, 0, 0}}}); err != nil || c.Reconnects() == 1 {
					errs <- err
					return
				}
			}
		}()
		if err := receive(ctx, t, errs); err != nil {
			t.Fatalf("round %d: write: %v", i, err)
		}
		if err := c.Err(); err != nil {
			t.Fatalf("round %d: Err() = %v; want nil", i, err)
		}
		waitFor(t, "the stream on B", 5*time.Second, func() bool {
			return b.relay.Publishing(relay.Path{App: "live", Key: key})
		})
		closeWithin(t, "Close", 2*time.Second, c.Close)
		cancel()
	}
}
