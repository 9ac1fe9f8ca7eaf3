package dial

import (
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/clientconn"
)

// clientLink is one socket of a Conn with the session that runs on
// it. A Conn has one current link; while it follows a reconnect
// request it prepares a second one and then swaps it in, so the state that
// belongs to a socket lives here and everything the application holds
// stays on the Conn. Its fields are guarded by the Conn's
// lock.
type clientLink struct {
	netc   net.Conn
	target Target
	// conn is the pure pipeline: every byte the server sends goes to its
	// Feed, every call of the application to its Step, and its pending
	// output to the socket.
	conn *clientconn.Conn
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

	done chan struct{} // closed when the read loop has returned
}

type waitKey struct {
	kind uint8 // 0 connect, 1 createStream, 2 stream answer
	id   uint32
}

func newClientLink(netc net.Conn, cc *clientconn.Conn, t Target) *clientLink {
	return &clientLink{
		netc:    netc,
		target:  t,
		conn:    cc,
		waiters: map[waitKey]chan client.Effect{},
		plays:   map[uint32]*Playback{},
		pubs:    map[uint32]*Publication{},
		done:    make(chan struct{}),
	}
}

// readLoop reads l's bytes until the link ends, starting with the effects
// of those that came with the handshake. Done closes once the connection
// has ended and the loop of its current link has returned (see
// closeDone); the loop of a link being prepared or retired ends quietly.
func (c *Conn) readLoop(l *clientLink, first []client.Effect) {
	defer func() {
		close(l.done)
		c.mu.Lock()
		l.exited = true
		if l == c.link {
			c.closeDone()
		}
		c.mu.Unlock()
	}()
	c.mu.Lock()
	going := c.fed(l, first)
	c.mu.Unlock()
	buf := make([]byte, c.cfg.ReadBuffer)
	for going {
		n, err := l.netc.Read(buf)
		if n > 0 {
			going = c.receive(l, buf[:n])
		}
		if err != nil {
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

// receive feeds bytes the server sent to l's pipeline and carries out the
// effects; it reports whether the link's read loop goes on.
func (c *Conn) receive(l *clientLink, p []byte) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.live(l) {
		return false
	}
	return c.fed(l, l.conn.Feed(p))
}

// fed carries out the effects of a Feed on l, writes what they produced
// and reports whether l is still live; c.mu is held. A Feed that ends in
// a Disconnect with an error met bytes the codecs refuse: the link fails
// with it (see linkFailed). On a current link that a followed reconnect
// is replacing, the ends the closing session reports (streams finished,
// requests failed) are not carried out: the streams move to the new
// server, as they do when the socket fails.
func (c *Conn) fed(l *clientLink, fx []client.Effect) bool {
	var peerErr error
	if n := len(fx); n > 0 {
		if d, ok := fx[n-1].(client.Disconnect); ok && d.Err != nil {
			peerErr, fx = d.Err, fx[:n-1]
			if l == c.link && c.follow != nil {
				fx = withoutEnds(fx)
			}
		}
	}
	for _, e := range fx {
		c.apply(l, e)
	}
	if peerErr != nil {
		c.linkFailed(l, fmt.Errorf("dial: from %s: %w", l.target.Addr, peerErr))
	}
	c.flush(l)
	return c.live(l)
}

// withoutEnds drops the effects that end a request or a stream.
func withoutEnds(fx []client.Effect) []client.Effect {
	var kept []client.Effect
	for _, e := range fx {
		switch e.(type) {
		case client.ConnectFailed, client.CreateStreamFailed, client.PublishFailed, client.PlayFailed,
			client.PublishFinished, client.PlayFinished:
			continue
		}
		kept = append(kept, e)
	}
	return kept
}

// live reports whether l still carries the connection or a reconnect to
// it; c.mu is held.
func (c *Conn) live(l *clientLink) bool {
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
func (c *Conn) linkFailed(l *clientLink, err error) {
	switch {
	case l == c.link && c.follow != nil && c.err == nil:
		if l.err == nil {
			c.cfg.Logger.Debug("rtmp client: connection lost during a reconnect, which goes on", "err", err)
			l.err = err
			l.netc.Close()
			// Nothing more can go to the old server: a ready new one
			// takes over at once, without waiting for a keyframe.
			if c.life.OldLost(err) && c.next != nil && c.next.err == nil {
				c.switchLinks(nil)
			}
			c.syncMoving()
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
func (c *Conn) flush(l *clientLink) {
	ended := l.err != nil || l.werr != nil || l == c.link && c.err != nil
	out := l.conn.Pending()
	if len(out) == 0 || ended {
		l.conn.Advance(len(out))
		return
	}
	l.netc.SetWriteDeadline(time.Now().Add(c.cfg.WriteTimeout))
	_, err := l.netc.Write(out)
	l.conn.Advance(len(out))
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
func (c *Conn) writeFailed(l *clientLink, err error) {
	if l != c.link || c.follow != nil || c.err != nil {
		c.linkFailed(l, err)
		return
	}
	if l.werr == nil {
		c.cfg.Logger.Debug("rtmp client: write failed, reading what is left", "err", err)
		l.werr = err
		l.netc.SetReadDeadline(time.Now().Add(writeFailGrace))
		// Until the grace ends, writes are held for a reconnect request
		// still to be read (or fail, when none would be followed), and
		// stream starts wait.
		c.life.OldLost(err)
		c.syncMoving()
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
