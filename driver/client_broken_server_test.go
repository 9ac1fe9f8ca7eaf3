package driver_test

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/driver"
)

// scriptServer is an RTMP server written by hand from the codec packages,
// for servers that misbehave in ways no real one can be made to: each
// accepted connection runs the script after the handshake.
type scriptServer struct {
	ln    net.Listener
	wg    sync.WaitGroup
	mu    sync.Mutex
	conns []net.Conn
}

func startScriptServer(t *testing.T, script func(sc *scriptConn)) *scriptServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &scriptServer{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.mu.Unlock()
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				sc := &scriptConn{conn: c, dec: chunk.NewDecoder(chunk.DecoderConfig{}), buf: make([]byte, 64<<10)}
				c.SetDeadline(time.Now().Add(20 * time.Second))
				if sc.handshake() != nil {
					return
				}
				script(sc)
			}()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for _, c := range s.conns {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *scriptServer) url(path string) string { return rtmpURL(s.ln.Addr().String(), path) }

// scriptConn is one connection of a scriptServer.
type scriptConn struct {
	conn    net.Conn
	enc     chunk.Encoder
	dec     *chunk.Decoder
	buf     []byte
	pending []message.Message
}

func (sc *scriptConn) handshake() error {
	hs := handshake.NewServer(handshake.ServerConfig{Random: []byte("script server")})
	for {
		n, err := sc.conn.Read(sc.buf)
		if err != nil {
			return err
		}
		out, err := hs.Feed(sc.buf[:n])
		if err != nil {
			return err
		}
		if len(out.Send) > 0 {
			if _, err := sc.conn.Write(out.Send); err != nil {
				return err
			}
		}
		if out.State == handshake.Done {
			return sc.feed(out.Rest)
		}
	}
}

func (sc *scriptConn) feed(b []byte) error {
	raws, err := sc.dec.Feed(nil, b)
	if err != nil {
		return err
	}
	for _, raw := range raws {
		m, err := message.Decode(raw)
		if err != nil {
			return err
		}
		sc.pending = append(sc.pending, m)
	}
	return nil
}

// command returns the next command the client sent.
func (sc *scriptConn) command() (message.Command, uint32, error) {
	for {
		for len(sc.pending) > 0 {
			m := sc.pending[0]
			sc.pending = sc.pending[1:]
			if cmd, ok := m.Body.(message.Command); ok {
				return cmd, m.StreamID, nil
			}
		}
		n, err := sc.conn.Read(sc.buf)
		if err != nil {
			return message.Command{}, 0, err
		}
		if err := sc.feed(sc.buf[:n]); err != nil {
			return message.Command{}, 0, err
		}
	}
}

// await reads commands until one named name.
func (sc *scriptConn) await(name string) (message.Command, uint32, error) {
	for {
		cmd, sid, err := sc.command()
		if err != nil || cmd.Name == name {
			return cmd, sid, err
		}
	}
}

// encode appends messages as chunks.
func (sc *scriptConn) encode(dst []byte, ms ...message.Message) []byte {
	for _, m := range ms {
		raw, err := message.Encode(m)
		if err != nil {
			panic(err)
		}
		if dst, err = sc.enc.Append(dst, message.ChunkStreamID(m.Body, m.StreamID), raw); err != nil {
			panic(err)
		}
	}
	return dst
}

func (sc *scriptConn) send(ms ...message.Message) error {
	_, err := sc.conn.Write(sc.encode(nil, ms...))
	return err
}

func resultMsg(tx float64, args ...amf0.Value) message.Message {
	return message.Message{Body: message.Command{Name: "_result", TransactionID: tx, Args: args}}
}

func statusMsg(streamID uint32, code string) message.Message {
	return message.Message{StreamID: streamID, Body: message.Command{Name: "onStatus", Args: []amf0.Value{
		amf0.Object{{Key: "level", Value: "status"}, {Key: "code", Value: code}},
	}}}
}

// accept answers connect and the first createStream (stream 1).
func (sc *scriptConn) accept() error {
	cmd, _, err := sc.await("connect")
	if err != nil {
		return err
	}
	if err := sc.send(resultMsg(cmd.TransactionID, amf0.Object{{Key: "level", Value: "status"}, {Key: "code", Value: "NetConnection.Connect.Success"}})); err != nil {
		return err
	}
	cmd, _, err = sc.await("createStream")
	if err != nil {
		return err
	}
	return sc.send(resultMsg(cmd.TransactionID, 1.0))
}

// closeWithin checks that fn, a Close, returns in time.
func closeWithin(t *testing.T, what string, d time.Duration, fn func() error) {
	t.Helper()
	done := make(chan struct{})
	go func() { fn(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s did not return within %v", what, d)
	}
}

// A followed reconnect whose new server starts the play and then breaks
// the connection must end the dial.Conn with a *ReconnectError: the
// links must not switch to the dead one, which would leave a connection
// that never ends, a Playback that never returns and a Close that hangs.
func TestReconnectToBrokenServer(t *testing.T) {
	noLeakAtEnd(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a := reconnectServer{Relay: &live.Relay{}, conns: make(chan *driver.Conn, 4), errs: make(chan error, 4)}
	aAddr := startServer(t, nil, a, driver.Config{})
	b := startScriptServer(t, func(sc *scriptConn) {
		if sc.accept() != nil {
			return
		}
		_, sid, err := sc.await("play")
		if err != nil {
			return
		}
		// Play.Start and, in the same write, a message that does not
		// decode (an Acknowledgement of two bytes): the client's read
		// loop answers the play and fails the link in one go.
		out := sc.encode(nil, statusMsg(sid, "NetStream.Play.Start"))
		out, _ = sc.enc.Append(out, 2, chunk.Message{TypeID: uint8(message.TypeAcknowledgement), Payload: []byte{0, 1}})
		sc.conn.Write(out)
		sc.command() // until the client hangs up
	})

	c, err := dial.Config{Reconnect: dial.ReconnectFollow}.Dial(ctx, rtmpURL(aAddr, "live/demo"))
	if err != nil {
		t.Fatal(err)
	}
	pb, err := c.Play(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	receive(ctx, t, a.conns).Do(core.RequestReconnect{TCURL: b.url("live")})

	select {
	case <-c.Done():
	case <-time.After(5 * time.Second):
		closeWithin(t, "Close", 2*time.Second, c.Close)
		t.Fatalf("the connection did not end; Err %v, Reconnects %d", c.Err(), c.Reconnects())
	}
	var re *dial.ReconnectError
	if err := c.Err(); !errors.As(err, &re) {
		t.Errorf("Err() = %v; want a *ReconnectError", err)
	}
	rctx, rcancel := context.WithTimeout(ctx, 2*time.Second)
	defer rcancel()
	for {
		if _, err := pb.ReadMessage(rctx); err != nil {
			if errors.Is(err, context.DeadlineExceeded) {
				t.Error("the playback did not end with its connection")
			}
			break
		}
	}
	closeWithin(t, "Close", 2*time.Second, c.Close)
}

// The same for a publication: the new server starts the publish, the
// switch waits for a keyframe, and meanwhile the new server breaks the
// link. Whichever comes first, the connection ends: with a
// *ReconnectError, or with the new link's error when a keyframe switched
// before the link broke. (TestSendSkipsBrokenNextLink pins the narrow
// case in between, a keyframe after the break, that switched to the dead
// link.)
func TestReconnectToBrokenServerPublishing(t *testing.T) {
	noLeakAtEnd(t)
	a := reconnectServer{Relay: &live.Relay{}, conns: make(chan *driver.Conn, 4), errs: make(chan error, 4)}
	aAddr := startServer(t, nil, a, driver.Config{})
	broke := make(chan struct{}, 1)
	b := startScriptServer(t, func(sc *scriptConn) {
		if sc.accept() != nil {
			return
		}
		_, sid, err := sc.await("publish")
		if err != nil || sc.send(statusMsg(sid, "NetStream.Publish.Start")) != nil {
			return
		}
		// Let the client see the stream started on both servers.
		time.Sleep(5 * time.Millisecond)
		out, _ := sc.enc.Append(nil, 2, chunk.Message{TypeID: uint8(message.TypeAcknowledgement), Payload: []byte{0, 1}})
		sc.conn.Write(out)
		broke <- struct{}{}
		sc.command()
	})
	for i := range 5 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		c, err := dial.Config{Reconnect: dial.ReconnectFollow}.Dial(ctx, rtmpURL(aAddr, "live/demo"))
		if err != nil {
			t.Fatal(err)
		}
		pub, err := c.Publish(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		key := message.Message{Body: message.Video{Payload: []byte{0x17, 1, 0, 0, 0, 0}}}
		receive(ctx, t, a.conns).Do(core.RequestReconnect{TCURL: b.url("live")})
		receive(ctx, t, broke)
		for ts := uint32(0); pub.WriteMessage(key) == nil; ts++ {
			key.Timestamp = ts
			select {
			case <-c.Done():
			case <-ctx.Done():
			default:
				continue
			}
			break
		}
		select {
		case <-c.Done():
		case <-time.After(5 * time.Second):
			closeWithin(t, "Close", 2*time.Second, c.Close)
			t.Fatalf("round %d: the connection did not end; Err %v, Reconnects %d", i, c.Err(), c.Reconnects())
		}
		closeWithin(t, "Close", 2*time.Second, c.Close)
		cancel()
	}
}
