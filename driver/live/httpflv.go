package live

import (
	"context"
	"net"
	"time"

	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/internal/sendq"

	"github.com/gortmp/rtmp/core/relay"
)

// httpFLVPlayer is a player whose connection carries an HTTP-FLV
// response: each message one chunk of the body, the same bytes for every
// such player (driver.Frame.HTTPChunk), queued and written like an RTMP player's
// media (directly from the publisher's goroutine while the socket keeps
// up).
type httpFLVPlayer struct {
	conn  net.Conn
	queue *sendq.Queue
}

// endOfBody is the last chunk of a chunked HTTP/1.1 body.
var endOfBody = []byte("0\r\n\r\n")

// finish ends the body once what is queued is written: the publisher
// stopped. st.mu is held.
func (p *httpFLVPlayer) finish() {
	p.queue.PushSized(endOfBody, 0)
	p.queue.Close()
}

// drop ends the response at once: the relay removed the player, or the
// client went.
func (p *httpFLVPlayer) drop() {
	p.queue.Close()
	p.conn.Close()
}

// PlayHTTPFLV plays a path with a view on conn, the connection of an
// HTTP/1.1 GET taken over from net/http (http.Hijacker). head goes first:
// the response header, announcing chunked transfer coding, and the chunk
// carrying the FLV file header. Every message follows as one chunk
// holding its FLV tag (see driver.Frame.HTTPChunk): players with the same view
// share those bytes, which go straight to the socket while it keeps up,
// as RTMP players' media does, and the relay's fast start and drop policy
// apply as to any player.
//
// With r.MergeWrites, the live media that follows the fast start is held
// for merged writes, as an RTMP player's is with driver.Config.MergeWrites:
// the same bytes, in fewer writes.
//
// If the relay refuses the player, PlayHTTPFLV returns that error at once,
// with nothing written and conn open, for the caller to answer. Otherwise
// it returns when the publisher stops (the body is then ended), the relay
// drops the player, the client closes its connection or ctx ends, and
// closes conn; the error is the write's that failed, or nil.
// writeTimeout bounds each write (0: driver.DefaultWriteTimeout).
func (r *Relay) PlayHTTPFLV(ctx context.Context, conn net.Conn, p relay.Path, v relay.View, head []byte, writeTimeout time.Duration) error {
	r.init()
	if writeTimeout <= 0 {
		writeTimeout = driver.DefaultWriteTimeout
	}
	hp := &httpFLVPlayer{conn: conn, queue: sendq.New(driver.DefaultMaxQueuedBytes)}
	hp.queue.WriteDirectlyTo(conn)
	hp.queue.PushSized(head, 0)
	var merger *sendq.Merger
	if r.MergeWrites > 0 {
		var release func()
		merger, release = sendq.ShareMerger(r.MergeWrites)
		defer release()
	}
	pl := &relayPlayer{httpFLV: hp}
	pl.ack = func(cost int) { pl.written.Add(int64(cost)) }
	id := nextLocalID()
	st := r.stream(p)
	st.players[id] = pl
	fx, err := st.s.PlayView(id, v)
	if err != nil {
		delete(st.players, id)
		st.mu.Unlock()
		r.forget(st)
		return err
	}
	r.carryOut(st, fx)
	if merger != nil {
		// The head and the fast start are queued, and did not wait; live
		// media, fanned out under the stream's lock, may wait for a
		// merged write from the next message on.
		hp.queue.MergeInto(merger)
	}
	st.mu.Unlock()
	r.linkPlaying(p)

	// The client has nothing more to say: a read that ends means it went.
	gone := make(chan struct{})
	go func() {
		defer close(gone)
		buf := make([]byte, 64)
		for {
			if _, err := conn.Read(buf); err != nil {
				hp.drop()
				return
			}
		}
	}()
	stop := context.AfterFunc(ctx, hp.drop)
	err = sendq.WriteLoop(conn, hp.queue, writeTimeout)
	stop()
	hp.drop()
	<-gone
	r.leave(st, id)
	return err
}
