package driver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// ErrClientClosed is returned by calls on a ClientConn that has ended.
var ErrClientClosed = errors.New("rtmp: client connection closed")

// ClientConn is a client connection to an RTMP server, made by Dial. One
// connection can publish and play several streams at once. Its methods
// are safe for concurrent use.
//
// A goroutine reads from the server and steps the session; calls of the
// application step it too. Both hold one lock while they step and write,
// so messages leave in the order the session produced them.
type ClientConn struct {
	netc   net.Conn
	target Target
	cfg    DialConfig

	mu      sync.Mutex
	sess    client.Session
	enc     chunk.Encoder
	out     []byte
	nextReq client.RequestID
	// waiters get the answer to a pending request: connect (key 0),
	// createStream (by request) and publish or play (by stream id).
	waiters map[waitKey]chan client.Effect
	plays   map[uint32]*Playback
	err     error // why the connection ended, once it has

	received uint64 // touched by the read loop only
	done     chan struct{}
}

type waitKey struct {
	kind uint8 // 0 connect, 1 createStream, 2 stream answer
	id   uint32
}

func newClientConn(netc net.Conn, t Target, cfg DialConfig) *ClientConn {
	return &ClientConn{
		netc:    netc,
		target:  t,
		cfg:     cfg,
		sess:    client.New(cfg.Session),
		waiters: map[waitKey]chan client.Effect{},
		plays:   map[uint32]*Playback{},
		done:    make(chan struct{}),
	}
}

// Target is the parsed URL the connection was dialled with.
func (c *ClientConn) Target() Target { return c.target }

// Done is closed when the connection has ended.
func (c *ClientConn) Done() <-chan struct{} { return c.done }

// Err says why the connection ended: nil while it runs and after Close,
// otherwise the read error or the server's refusal.
func (c *ClientConn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if errors.Is(c.err, ErrClientClosed) {
		return nil
	}
	return c.err
}

// Close ends the connection: started streams finish and the socket closes.
func (c *ClientConn) Close() error {
	c.mu.Lock()
	c.step(client.Close{})
	c.mu.Unlock()
	<-c.done
	return nil
}

// connect sends connect and waits for the answer.
func (c *ClientConn) connect(ctx context.Context) error {
	ans, err := c.request(ctx, waitKey{}, client.Connect{
		App: c.target.App, TCURL: c.target.TCURL, Extra: c.cfg.ConnectExtra,
	})
	if err != nil {
		return err
	}
	if f, ok := ans.(client.ConnectFailed); ok {
		return fmt.Errorf("rtmp: connect to %s refused: %s %s", c.target.TCURL, f.Code, f.Description)
	}
	return nil
}

// request steps an input that the session answers with one event, and
// waits for that event.
func (c *ClientConn) request(ctx context.Context, key waitKey, in client.Input) (client.Effect, error) {
	ch := make(chan client.Effect, 1)
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return nil, c.closedErr()
	}
	c.waiters[key] = ch
	if err := c.step(in); err != nil {
		delete(c.waiters, key)
		c.mu.Unlock()
		return nil, err
	}
	c.mu.Unlock()
	select {
	case ans := <-ch:
		return ans, nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.waiters, key)
		c.mu.Unlock()
		return nil, ctx.Err()
	case <-c.done:
		// The session answers every request before it ends.
		select {
		case ans := <-ch:
			return ans, nil
		default:
			return nil, c.closedErr()
		}
	}
}

func (c *ClientConn) closedErr() error {
	if c.err == nil || errors.Is(c.err, ErrClientClosed) {
		return ErrClientClosed
	}
	return fmt.Errorf("%w: %w", ErrClientClosed, c.err)
}

// step applies one input and carries out its effects; c.mu is held. It
// returns the caller error the session reported, if any.
func (c *ClientConn) step(in client.Input) error {
	var fx []client.Effect
	c.sess, fx = c.sess.Step(in)
	var misuse error
	for _, e := range fx {
		if ce, ok := e.(client.CallerError); ok {
			misuse = ce.Err
		}
		c.apply(e)
	}
	c.flush()
	return misuse
}

// apply carries out one effect; c.mu is held.
func (c *ClientConn) apply(e client.Effect) {
	switch e := e.(type) {
	case client.Send:
		raw, err := message.Encode(e.Message)
		if err == nil {
			// Encoding a Set Chunk Size changes the encoder's chunk size
			// after it, so ChangeChunkSize needs nothing more.
			c.out, err = c.enc.Append(c.out, e.ChunkStreamID, raw)
		}
		if err != nil {
			c.cfg.Logger.Debug("rtmp client: cannot encode", "message", client.DescribeEffect(e), "err", err)
		}
		return
	case client.ChangeChunkSize, client.CallerError:
		return
	case client.Disconnect:
		c.flush()
		c.end(e.Err)
		return
	}
	if c.cfg.OnEvent != nil {
		c.cfg.OnEvent(e)
	}
	switch e := e.(type) {
	case client.Connected, client.ConnectFailed:
		c.answer(waitKey{}, e)
	case client.StreamCreated:
		c.answer(waitKey{1, uint32(e.Request)}, e)
	case client.CreateStreamFailed:
		c.answer(waitKey{1, uint32(e.Request)}, e)
	case client.PublishStarted:
		c.answer(waitKey{2, e.StreamID}, e)
	case client.PublishFailed:
		c.answer(waitKey{2, e.StreamID}, e)
	case client.PlayStarted:
		c.answer(waitKey{2, e.StreamID}, e)
	case client.PlayFailed:
		c.answer(waitKey{2, e.StreamID}, e)
	case client.MediaReceived:
		t := message.TypeAudio
		if e.Kind == client.KindVideo {
			t = message.TypeVideo
		}
		c.deliver(e.StreamID, mediaMessage(t, e.Timestamp, e.StreamID, e.Data))
	case client.MetaDataReceived:
		c.deliver(e.StreamID, message.Message{Timestamp: e.Timestamp, StreamID: e.StreamID,
			Body: message.Data{Values: []any{"onMetaData", e.MetaData}}})
	case client.DataReceived:
		c.deliver(e.StreamID, message.Message{Timestamp: e.Timestamp, StreamID: e.StreamID, Body: message.Data{Values: e.Values}})
	case client.PlayFinished:
		if p := c.plays[e.StreamID]; p != nil {
			p.finish()
			delete(c.plays, e.StreamID)
		}
	}
}

func mediaMessage(t message.TypeID, ts, streamID uint32, data []byte) message.Message {
	var body message.Body = message.Audio{Payload: data}
	if t == message.TypeVideo {
		body = message.Video{Payload: data}
	}
	return message.Message{Timestamp: ts, StreamID: streamID, Body: body}
}

func (c *ClientConn) answer(key waitKey, e client.Effect) {
	if ch, ok := c.waiters[key]; ok {
		delete(c.waiters, key)
		ch <- e
	}
}

func (c *ClientConn) deliver(streamID uint32, m message.Message) {
	if p := c.plays[streamID]; p != nil {
		p.offer(m)
	}
}

// flush writes what the session produced; a failed write ends the
// connection. c.mu is held.
func (c *ClientConn) flush() {
	if len(c.out) == 0 || c.err != nil {
		c.out = c.out[:0]
		return
	}
	c.netc.SetWriteDeadline(time.Now().Add(c.cfg.WriteTimeout))
	_, err := c.netc.Write(c.out)
	c.out = c.out[:0]
	if err != nil {
		c.fail(err)
	}
}

// fail ends the connection for err: the session closes (pending requests
// fail, streams finish) and the socket closes. c.mu is held.
func (c *ClientConn) fail(err error) {
	if c.err != nil {
		return
	}
	c.err = err
	c.step(client.Close{})
	c.end(err)
}

// end records why the connection ended and closes the socket, which stops
// the read loop; c.mu is held.
func (c *ClientConn) end(err error) {
	if c.err == nil {
		c.err = err
		if err == nil {
			c.err = ErrClientClosed
		}
	}
	c.netc.Close()
	for id, p := range c.plays {
		p.finish()
		delete(c.plays, id)
	}
}

// readLoop reads the server's bytes until the connection ends, starting
// with those that came with the handshake.
func (c *ClientConn) readLoop(first []byte) {
	defer close(c.done)
	dec := chunk.NewDecoder(chunk.DecoderConfig{})
	buf := make([]byte, c.cfg.ReadBuffer)
	var raws []chunk.Message
	pending := first
	for {
		if len(pending) > 0 {
			var derr error
			raws, derr = dec.Feed(raws[:0], pending)
			c.received += uint64(len(pending))
			if !c.receive(raws, derr) {
				return
			}
		}
		n, err := c.netc.Read(buf)
		pending = buf[:n]
		if err != nil {
			if n > 0 {
				raws, _ = dec.Feed(raws[:0], pending)
				c.receive(raws, nil)
			}
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			c.mu.Lock()
			c.fail(err)
			c.mu.Unlock()
			return
		}
	}
}

// receive steps the decoded messages and the new byte total; it reports
// whether the connection goes on.
func (c *ClientConn) receive(raws []chunk.Message, derr error) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, raw := range raws {
		m, err := message.Decode(raw)
		if err != nil {
			derr = err
			break
		}
		c.step(client.MessageReceived{Message: m})
	}
	if derr == nil && c.err == nil {
		c.step(client.BytesCounted{Received: c.received})
	}
	if derr != nil {
		c.fail(fmt.Errorf("rtmp: from %s: %w", c.target.Addr, derr))
	}
	return c.err == nil
}
