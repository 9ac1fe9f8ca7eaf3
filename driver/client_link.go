package driver

import (
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// clientLink is one socket of a ClientConn with the session that runs on
// it. A ClientConn has one current link; while it follows a reconnect
// request it prepares a second one and then swaps it in, so the state that
// belongs to a socket lives here and everything the application holds
// stays on the ClientConn. Fields other than received are guarded by the
// ClientConn's lock.
type clientLink struct {
	netc   net.Conn
	target Target
	sess   client.Session
	enc    chunk.Encoder
	out    []byte
	// waiters get the answer to a pending request: connect (key 0),
	// createStream (by request) and publish or play (by stream id).
	waiters map[waitKey]chan client.Effect
	// plays and pubs are the streams started on this link, by the stream
	// id this link's server gave them.
	plays map[uint32]*Playback
	pubs  map[uint32]*Publication
	// err is why the link's socket failed, for requests waiting on it.
	// The current link has one only while a followed reconnect goes on
	// without it (see linkFailed).
	err error
	// werr is a failed write on the current link, which its read loop
	// reports once it has read what the server sent before (see
	// writeFailed).
	werr error
	// exited says the read loop has returned.
	exited bool

	received uint64        // touched by the link's read loop only
	done     chan struct{} // closed when the read loop has returned
}

type waitKey struct {
	kind uint8 // 0 connect, 1 createStream, 2 stream answer
	id   uint32
}

func newClientLink(netc net.Conn, t Target, cfg DialConfig) *clientLink {
	return &clientLink{
		netc:    netc,
		target:  t,
		sess:    client.New(cfg.Session),
		waiters: map[waitKey]chan client.Effect{},
		plays:   map[uint32]*Playback{},
		pubs:    map[uint32]*Publication{},
		done:    make(chan struct{}),
	}
}

// readLoop reads l's bytes until the link ends, starting with those that
// came with the handshake. Done closes once the connection has ended and
// the loop of its current link has returned (see closeDone); the loop of a
// link being prepared or retired ends quietly.
func (c *ClientConn) readLoop(l *clientLink, first []byte) {
	defer func() {
		close(l.done)
		c.mu.Lock()
		l.exited = true
		if l == c.link {
			c.closeDone()
		}
		c.mu.Unlock()
	}()
	dec := chunk.NewDecoder(chunk.DecoderConfig{})
	buf := make([]byte, c.cfg.ReadBuffer)
	var raws []chunk.Message
	pending := first
	for {
		if len(pending) > 0 {
			var derr error
			raws, derr = dec.Feed(raws[:0], pending)
			l.received += uint64(len(pending))
			if !c.receive(l, raws, derr) {
				return
			}
		}
		n, err := l.netc.Read(buf)
		pending = buf[:n]
		if err != nil {
			if n > 0 {
				raws, _ = dec.Feed(raws[:0], pending)
				c.receive(l, raws, nil)
			}
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			c.mu.Lock()
			c.linkFailed(l, err)
			c.mu.Unlock()
			return
		}
	}
}

// receive steps the decoded messages and the new byte total; it reports
// whether the link's read loop goes on.
func (c *ClientConn) receive(l *clientLink, raws []chunk.Message, derr error) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.live(l) {
		return false
	}
	for _, raw := range raws {
		m, err := message.Decode(raw)
		if err != nil {
			derr = err
			break
		}
		c.stepOn(l, client.MessageReceived{Message: m})
	}
	if derr == nil && c.live(l) {
		c.stepOn(l, client.BytesCounted{Received: l.received})
	}
	if derr != nil {
		c.linkFailed(l, fmt.Errorf("rtmp: from %s: %w", l.target.Addr, derr))
	}
	return c.live(l)
}

// live reports whether l still carries the connection or a reconnect to
// it; c.mu is held.
func (c *ClientConn) live(l *clientLink) bool {
	switch l {
	case c.link:
		return c.err == nil && l.err == nil
	case c.next:
		return l.err == nil
	}
	return false
}

// linkFailed handles a read, write or decode error on l: on the current
// link it ends the connection, on a link being prepared it ends that link
// (the reconnect that prepares it sees the failure), on a retired link it
// changes nothing. c.mu is held.
//
// While a followed reconnect runs, the current link failing does not end
// the connection: a server that asks clients to move elsewhere often
// closes right after the request (it is shutting down or draining). The
// link is marked dead, its socket closes and its read loop returns, but
// its session and streams stay as they are: the reconnect goes on and
// switches to the new link as soon as that is ready (prepare,
// awaitSwitch), or ends the connection with a *ReconnectError.
func (c *ClientConn) linkFailed(l *clientLink, err error) {
	switch {
	case l == c.link && c.follow != nil && c.err == nil:
		if l.err == nil {
			c.cfg.Logger.Debug("rtmp client: connection lost during a reconnect, which goes on", "err", err)
			l.err = err
			l.netc.Close()
		}
	case l == c.link:
		if l.werr != nil {
			err = l.werr
		}
		c.fail(err)
	case l.err == nil:
		l.err = err
		l.netc.Close()
	}
}

// flush writes what l's session produced; a failed write fails the link.
// A retired link still writes: its goodbye (FCUnpublish, deleteStream)
// goes out before its socket closes. c.mu is held.
func (c *ClientConn) flush(l *clientLink) {
	ended := l.err != nil || l.werr != nil || l == c.link && c.err != nil
	if len(l.out) == 0 || ended {
		l.out = l.out[:0]
		return
	}
	l.netc.SetWriteDeadline(time.Now().Add(c.cfg.WriteTimeout))
	_, err := l.netc.Write(l.out)
	l.out = l.out[:0]
	if err != nil {
		c.writeFailed(l, err)
	}
}

// writeFailGrace is how long the read loop of a link whose write failed
// goes on reading before it fails the link.
const writeFailGrace = time.Second

// writeFailed handles a failed write on l; c.mu is held. A server that
// closes the connection while the client writes makes the write fail
// (the peer resets it) before the read loop has read what the server sent
// last, and that is often a reconnect request: a server shutting down
// sends it right before it closes. So a failed write on the current link
// does not end the connection at once: the link writes no more, and its
// read loop reads what is left for writeFailGrace at most, then fails the
// link with the write error (linkFailed), unless a reconnect request read
// meanwhile is being followed. Other links fail at once.
func (c *ClientConn) writeFailed(l *clientLink, err error) {
	if l != c.link || c.follow != nil || c.err != nil {
		c.linkFailed(l, err)
		return
	}
	if l.werr == nil {
		c.cfg.Logger.Debug("rtmp client: write failed, reading what is left", "err", err)
		l.werr = err
		l.netc.SetReadDeadline(time.Now().Add(writeFailGrace))
	}
}

// answer hands an answer to the request waiting for it on l.
func (l *clientLink) answer(key waitKey, e client.Effect) {
	if ch, ok := l.waiters[key]; ok {
		delete(l.waiters, key)
		ch <- e
	}
}

// deliver queues a played message for the playback of l's stream; a
// mark is never dropped for the queue's bounds (see Playback.offer).
func (l *clientLink) deliver(streamID uint32, m message.Message, mark bool) {
	if p := l.plays[streamID]; p != nil {
		p.offer(m, mark)
	}
}
