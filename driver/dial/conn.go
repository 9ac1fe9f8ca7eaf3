package dial

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"time"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/clientconn"
	"github.com/gortmp/rtmp/core/handover"
)

// ErrClosed is returned by calls on a Conn that has ended.
var ErrClosed = errors.New("dial: client connection closed")

// Conn is a client connection to an RTMP server, made by Dial. One
// connection can publish and play several streams at once. Its methods
// are safe for concurrent use.
//
// A goroutine reads from the server and steps the session; calls of the
// application step it too. Both hold one lock while they step and write,
// so messages leave in the order the session produced them.
//
// When the server sends an Enhanced RTMP reconnect request and the
// connection follows it (Config.Reconnect), the socket and session
// underneath are replaced while the Publications and Playbacks stay valid;
// see Config.Reconnect for what the application sees.
type Conn struct {
	cfg Config

	mu sync.Mutex
	// link is the socket and session in use; next is the one a reconnect
	// prepares, nil otherwise.
	link, next *clientLink
	// life is the reconnect lifecycle: where writes go, and whether a
	// stream start may go out (see syncMoving).
	life *handover.Lifecycle
	// moving is non-nil while life is neither Steady nor Ended, and
	// closed when it gets there; Publish and Play wait for it.
	moving chan struct{}
	// follow is the reconnect in progress, nil otherwise.
	follow *following
	// eventLink is the link whose event OnEvent is handling, so that
	// deliver reaches the stream ids of that link.
	eventLink  *clientLink
	reconnects int
	nextReq    client.RequestID
	err        error // why the connection ended, once it has

	done chan struct{}
	bg   sync.WaitGroup // the reconnect goroutine, a graceful close
}

func newConn(l *clientLink, cfg Config) *Conn {
	return &Conn{cfg: cfg, link: l, life: handover.New(cfg.follows()), done: make(chan struct{})}
}

// Target is the parsed URL of the server the connection talks to: the one
// it was dialled with, or the one a followed reconnect request named.
func (c *Conn) Target() Target {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.link.target
}

// Reconnects counts the reconnect requests the connection followed to the
// end.
func (c *Conn) Reconnects() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.reconnects
}

// SwitchPending reports whether a followed reconnect has started every
// stream on the new server and waits for a publication's next keyframe to
// switch; an encoder that sees it may force a keyframe now.
func (c *Conn) SwitchPending() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.follow != nil && c.follow.ready
}

// Holding reports whether no server takes writes now (the old one is
// gone and the new one not ready, or a write failed and a reconnect
// request may still come): a publication's writes are held for the new
// server, up to a bound (see Config.Reconnect).
func (c *Conn) Holding() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	ph := c.life.Phase()
	return ph == handover.Gap || ph == handover.Doubt
}

// Done is closed when the connection has ended.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err says why the connection ended: nil while it runs and after Close,
// otherwise the read error, the server's refusal, or a *ReconnectError.
// When writes that returned nil were held for a server the connection
// never reached, it is a *handover.UnsentError around that cause (around
// ErrClosed after Close).
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == ErrClosed {
		return nil
	}
	return c.err
}

// Close ends the connection: started streams finish and the socket closes
// once the server has read everything written before (it closes its end
// when it has, or 2 s pass). A reconnect in progress is abandoned.
func (c *Conn) Close() error {
	c.mu.Lock()
	c.stepOn(c.link, client.Close{})
	c.mu.Unlock()
	<-c.done
	c.bg.Wait()
	return nil
}

// connect sends connect on l and waits for the answer.
func (c *Conn) connect(ctx context.Context, l *clientLink) error {
	ans, err := c.request(ctx, l, waitKey{}, client.Connect{
		App: l.target.App, TCURL: l.target.TCURL, Extra: c.cfg.connectExtra(), ObjectEncoding: c.cfg.ObjectEncoding,
	})
	if err != nil {
		return err
	}
	if f, ok := ans.(client.ConnectFailed); ok {
		return fmt.Errorf("dial: connect to %s refused: %s %s", l.target.TCURL, f.Code, f.Description)
	}
	return nil
}

// request steps an input on l that the session answers with one event,
// and waits for that event.
func (c *Conn) request(ctx context.Context, l *clientLink, key waitKey, in client.Input) (client.Effect, error) {
	ch := make(chan client.Effect, 1)
	c.mu.Lock()
	if !c.live(l) {
		err := c.linkErr(l)
		c.mu.Unlock()
		return nil, err
	}
	l.waiters[key] = ch
	if err := c.stepOn(l, in); err != nil {
		delete(l.waiters, key)
		c.mu.Unlock()
		return nil, err
	}
	c.mu.Unlock()
	select {
	case ans := <-ch:
		return ans, nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(l.waiters, key)
		c.mu.Unlock()
		return nil, ctx.Err()
	case <-l.done:
		// The session answers every request before it ends.
		select {
		case ans := <-ch:
			return ans, nil
		default:
			c.mu.Lock()
			defer c.mu.Unlock()
			return nil, c.linkErr(l)
		}
	}
}

// linkErr is the error of a call on l after l ended; c.mu is held.
func (c *Conn) linkErr(l *clientLink) error {
	if l != c.link && l.err != nil {
		return l.err
	}
	return c.closedErr()
}

func (c *Conn) closedErr() error {
	if c.err == nil || errors.Is(c.err, ErrClosed) {
		return ErrClosed
	}
	return fmt.Errorf("%w: %w", ErrClosed, c.err)
}

// step applies one input to the current link; c.mu is held.
func (c *Conn) step(in client.Input) error { return c.stepOn(c.link, in) }

// stepOn applies one input to l's session and carries out its effects;
// c.mu is held. It returns the caller error the session reported, if any.
func (c *Conn) stepOn(l *clientLink, in client.Input) error {
	fx := l.conn.Step(in)
	var misuse error
	for _, e := range fx {
		if ce, ok := e.(client.CallerError); ok {
			misuse = ce.Err
		}
		c.apply(l, e)
	}
	c.flush(l)
	return misuse
}

// apply carries out one effect of l's pipeline (which has carried out the
// wire effects itself); c.mu is held. Events of a retired link still
// answer its waiters but reach neither OnEvent nor the streams, which have
// moved on.
func (c *Conn) apply(l *clientLink, e client.Effect) {
	switch e := e.(type) {
	case client.CallerError:
		// A message the codec cannot encode is dropped; the session's
		// misuse errors go back to the caller (see stepOn).
		var ee *clientconn.EncodeError
		if errors.As(e.Err, &ee) {
			c.cfg.Logger.Debug("rtmp client: cannot encode", "err", ee)
		}
		return
	case client.Disconnect:
		c.flush(l)
		if l == c.link {
			c.end(e.Err)
		} else {
			l.netc.Close()
		}
		return
	}
	if ev, ok := e.(client.Event); ok && c.cfg.OnEvent != nil && (l == c.link || l == c.next) {
		c.eventLink = l
		c.cfg.OnEvent(ev)
		c.eventLink = nil
	}
	switch e := e.(type) {
	case client.Connected, client.ConnectFailed:
		l.answer(waitKey{}, e)
	case client.StreamCreated:
		l.answer(waitKey{1, uint32(e.Request)}, e)
	case client.CreateStreamFailed:
		l.answer(waitKey{1, uint32(e.Request)}, e)
	case client.PublishStarted:
		l.answer(waitKey{2, e.StreamID}, e)
	case client.PublishFailed:
		l.answer(waitKey{2, e.StreamID}, e)
	case client.PlayStarted:
		l.answer(waitKey{2, e.StreamID}, e)
	case client.PlayFailed:
		l.answer(waitKey{2, e.StreamID}, e)
	case client.MediaReceived:
		t := message.TypeAudio
		if e.Kind == client.KindVideo {
			t = message.TypeVideo
		}
		l.deliver(e.StreamID, mediaMessage(t, e.Timestamp, e.StreamID, e.Data), false)
	case client.MetaDataReceived:
		l.deliver(e.StreamID, message.Message{Timestamp: e.Timestamp, StreamID: e.StreamID,
			Body: message.Data{Values: []any{"onMetaData", e.MetaData}}}, false)
	case client.DataReceived:
		l.deliver(e.StreamID, message.Message{Timestamp: e.Timestamp, StreamID: e.StreamID, Body: message.Data{Values: e.Values}}, false)
	case client.PlayFinished:
		if p := l.plays[e.StreamID]; p != nil {
			p.finish()
			delete(l.plays, e.StreamID)
		}
	case client.PublishFinished:
		delete(l.pubs, e.StreamID)
	case client.ReconnectRequested:
		if l == c.link {
			c.startFollowing(e)
		}
	}
}

// DeliverMark queues m for the playback of streamID, in line with its
// messages: unlike them, it is not dropped when the reader is behind. It
// is for Config.OnEvent alone (the connection's lock is then held), where
// the stream id is that of the link that raised the event: a relay's pull
// link marks with it the point where the remote stream ended.
func (c *Conn) DeliverMark(streamID uint32, m message.Message) {
	l := c.eventLink
	if l == nil {
		l = c.link
	}
	l.deliver(streamID, m, true)
}

func mediaMessage(t message.TypeID, ts, streamID uint32, data []byte) message.Message {
	var body message.Body = message.Audio{Payload: data}
	if t == message.TypeVideo {
		body = message.Video{Payload: data}
	}
	return message.Message{Timestamp: ts, StreamID: streamID, Body: body}
}

// fail ends the connection for err: the session closes (pending requests
// fail, streams finish) and the socket closes. c.mu is held.
func (c *Conn) fail(err error) {
	if c.err != nil {
		return
	}
	c.err = c.life.End(err)
	c.syncMoving()
	c.step(client.Close{})
	c.end(err)
}

// end records why the connection ended and closes the sockets, which stops
// the read loops, and closes Done if the current link's loop has stopped
// already; c.mu is held.
func (c *Conn) end(err error) {
	clean := c.err == nil && err == nil
	if c.err == nil {
		if err == nil {
			err = ErrClosed
		}
		c.err = c.life.End(err)
		c.syncMoving()
	}
	if clean {
		l := c.link
		c.bg.Add(1)
		go func() {
			defer c.bg.Done()
			closeGracefully(l.netc, l.done)
		}()
	} else {
		c.link.netc.Close()
	}
	for id, p := range c.link.plays {
		p.finish()
		delete(c.link.plays, id)
	}
	if n := c.next; n != nil {
		if n.err == nil {
			n.err = c.closedErr()
		}
		n.netc.Close()
		for _, p := range n.plays {
			p.finish()
		}
	}
	c.closeDone()
}

// closeLinger bounds how long a connection the application closes waits
// for the server to close its end.
const closeLinger = 2 * time.Second

// closeGracefully closes a connection the application closed, so that
// the server gets everything written before: closing a TCP socket with
// unread bytes (a reply still on its way) resets the connection, and the
// reset throws away what the kernel had not sent yet, the end of a
// publication with it. So the write side is shut down first (the server
// reads to the end, then closes), and what the server still sends is read
// and dropped until it does, or for closeLinger at most, once the link's
// read loop, woken by the deadline or the server's end, has returned.
func closeGracefully(netc net.Conn, readLoopDone <-chan struct{}) {
	defer netc.Close()
	cw, ok := netc.(interface{ CloseWrite() error })
	if !ok || cw.CloseWrite() != nil {
		return
	}
	netc.SetReadDeadline(time.Now().Add(closeLinger))
	<-readLoopDone
	io.Copy(io.Discard, netc)
}

// closeDone closes Done once the connection has ended and the read loop of
// its current link has returned, whichever comes last. Usually the loop
// returns after the end; a current link that failed while a reconnect was
// followed (see linkFailed) has no loop left when the reconnect gives up.
// c.mu is held.
func (c *Conn) closeDone() {
	if c.err == nil || !c.link.exited {
		return
	}
	select {
	case <-c.done:
	default:
		close(c.done)
	}
}

// syncMoving opens moving when the lifecycle leaves Steady and closes it
// when it gets back there or ends, so that a stream start waits out a
// reconnect and lands on the server the connection ends up on; c.mu is
// held.
func (c *Conn) syncMoving() {
	switch ph := c.life.Phase(); {
	case ph != handover.Steady && ph != handover.Ended:
		if c.moving == nil {
			c.moving = make(chan struct{})
		}
	case c.moving != nil:
		close(c.moving)
		c.moving = nil
	}
}
