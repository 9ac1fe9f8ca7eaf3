package driver

import (
	"context"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/driver/internal/sendq"
)

// Conn is one client connection. Its methods are safe to call from any
// goroutine: inputs are queued and applied by the connection's loop, the
// only place the session value lives.
type Conn struct {
	id    uint64
	netc  net.Conn
	log   *slog.Logger
	queue *sendq.Queue
	// writerDone reports the end of the queue's writer (see
	// sendq.Queue.writeLazily).
	writerDone <-chan error
	ctx        context.Context
	cancel     context.CancelFunc

	mu    sync.Mutex
	inbox []core.Input
	ended bool // the loop is gone: inputs are dropped, not kept
	// wakeups are what the loop must look at besides the socket (the wake
	// bits), set by wake.
	wakeups atomic.Uint32

	// chunkSize is the outbound chunk size in effect, for callers that
	// encode media once for many connections (see Frame).
	chunkSize atomic.Uint32
	sent      atomic.Uint64
	// nagle is Config.Nagle: a Relay turns Nagle's algorithm on for its
	// players once their fast start is written (see EnableNagle).
	nagle     bool
	nagleOnce sync.Once
	// amf3 says the client connected with objectEncoding 3: the data
	// frames and notices others queue to it go out in AMF3 (see
	// QueueFrame), as the session's own messages do.
	amf3 atomic.Bool
	// merger is the server's, with Config.MergeWrites (see
	// EnableMergedWrites); nil without.
	merger *sendq.Merger
	// endReason is why the connection ends, once known (see EndReason).
	endReason atomic.Pointer[error]

	// Value is free for the application: per-connection state set from
	// HandleEvent (which runs on this connection's goroutine).
	Value any
}

// ID is a number unique among the connections of one process.
func (c *Conn) ID() uint64 { return c.id }

// RemoteAddr is the peer's address.
func (c *Conn) RemoteAddr() net.Addr { return c.netc.RemoteAddr() }

// Context is cancelled when the connection ends.
func (c *Conn) Context() context.Context { return c.ctx }

// Logger is the driver's logger for this connection.
func (c *Conn) Logger() *slog.Logger { return c.log }

// Do queues any core input for the session: the general form of the
// methods below. Once the connection has ended inputs are dropped, so an
// application that still holds the Conn cannot grow it.
func (c *Conn) Do(in core.Input) {
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		return
	}
	c.inbox = append(c.inbox, in)
	c.mu.Unlock()
	c.wake(wakeInbox)
}

// What a wake asks the loop to look at.
const (
	wakeInbox    = 1 << iota // inputs in Conn.inbox
	wakeShutdown             // the server shuts down: close the session
	wakeWriter               // the writer ended: its error is on writerDone
)

// aLongTimeAgo is a read deadline that has passed.
var aLongTimeAgo = time.Unix(1, 0)

// wake tells the loop to look at bits: it sets them, then moves the
// socket's read deadline to the past, so that the read the loop waits in
// returns at once, or the next one does (the loop sets its deadline before
// it takes the bits). A caller that finds its bits already set leaves the
// deadline to the one that set them, which the loop has not answered yet.
func (c *Conn) wake(bits uint32) {
	if c.wakeups.Or(bits)&bits == bits {
		return
	}
	c.netc.SetReadDeadline(aLongTimeAgo)
}

// Accept accepts a pending connect, publish or play request.
func (c *Conn) Accept(r core.RequestID) { c.Do(core.Accept{Request: r}) }

// Reject refuses a pending request with a reason and a description for
// the client.
func (c *Conn) Reject(r core.RequestID, reason core.RejectReason, description string) {
	c.Do(core.Reject{Request: r, Reason: reason, Description: description})
}

// Send sends a message on a stream, stamped with the session time.
func (c *Conn) Send(streamID uint32, body message.Body) {
	c.Do(core.SendMessage{StreamID: streamID, Body: body})
}

// SendAt sends a message on a stream with a given timestamp.
func (c *Conn) SendAt(streamID uint32, body message.Body, timestamp uint32) {
	c.Do(core.SendMessage{StreamID: streamID, Body: body, Timestamp: timestamp, ForceTimestamp: true})
}

// Ping sends a ping request.
func (c *Conn) Ping() { c.Do(core.SendPing{}) }

// Close ends the session cleanly: streams finish (their events are
// raised), what is queued is written, then the socket closes.
func (c *Conn) Close() { c.Do(core.Close{}) }

// ChunkSize is the outbound chunk size in effect.
func (c *Conn) ChunkSize() uint32 { return c.chunkSize.Load() }

// Queued is the number of bytes waiting to be written.
func (c *Conn) Queued() int { return c.queue.Queued() }

// BytesSent is the number of bytes written to the socket so far.
func (c *Conn) BytesSent() uint64 { return c.sent.Load() }

// QueueMedia queues bytes that are already framed as chunks for this
// connection (see Frame.Bytes), bypassing the session: the way a relay
// fans one encoded message out to many players. It refuses (false) when
// the connection's queue is past Config.MaxQueuedBytes or closing. ack, if
// not nil, is called with cost once the bytes are written: from the
// writer goroutine, or before QueueMedia returns when the socket took
// them at once (a plain TCP connection with nothing queued writes them
// without blocking), so ack must not take a lock the caller holds.
//
// The bytes must use chunk stream ids the session does not use (see
// MediaChunkStreamID), since they do not go through its encoder, and be
// cut at ChunkSize; if the session may change its chunk size meanwhile,
// use QueueFrame, which cuts them where they are queued.
func (c *Conn) QueueMedia(b []byte, cost int, ack func(cost int)) bool {
	return c.queue.PushMedia(b, cost, ack)
}

// QueueNotice queues a message for the peer in line with the media queued
// by QueueMedia, bypassing the session. A relay uses it for what must
// reach a player in order with the media around it, such as Stream EOF and
// NetStream.Play.UnpublishNotify after a publisher's last frame: a message
// sent through the session (Send) is queued later, by the connection's own
// goroutine, and media fanned out meanwhile would overtake it. Notices are
// never refused for the queue's size; they travel on
// message.FanOutDataChunkStreamID with a full header, so the session's header compression is untouched.
// Commands and data go to a client that connected with objectEncoding 3 in
// AMF3, as the session's own do.
func (c *Conn) QueueNotice(m message.Message) error {
	if c.amf3.Load() {
		m.Body = message.InEncoding(m.Body, 3)
	}
	raw, err := message.Encode(m)
	if err != nil {
		return err
	}
	for {
		// Cut again if the chunk size changed meanwhile (see QueueFrame).
		cs := c.ChunkSize()
		shared, err := chunk.AppendShared(nil, message.FanOutDataChunkStreamID, raw, cs)
		if err != nil {
			return err
		}
		if c.queue.PushAt(shared.Bytes, cs) {
			return nil
		}
	}
}

// EnableNagle turns Nagle's algorithm on for the connection (Go turns it
// off, as TCP_NODELAY) once the bytes queued so far are written. From then
// on a small write made while earlier bytes are unacknowledged waits in
// the kernel and leaves with what follows, in fewer and larger segments.
//
// Leaving it on from the start would cost the first exchanges dearly: the
// peer, which has just sent a command, delays its acknowledgement (up to
// 40 ms on Linux), and every small write after the first waits for it: a
// command's answer, or a player's first keyframe behind the sequence
// headers. So a Relay with Config.Nagle calls this after queueing a
// player's fast start, which then leaves at once. Calls after the first do
// nothing; on a connection that is not TCP it does nothing.
func (c *Conn) EnableNagle() {
	c.nagleOnce.Do(func() {
		c.queue.AfterQueued(func() { setNoDelay(c.netc, false) })
	})
}

// WantsNagle reports Config.Nagle: whether a relay should call EnableNagle
// once a player's fast start is queued. With Config.MergeWrites it is
// false: merged writes coalesce by themselves, and Nagle's algorithm would
// hold the tail of each one for the peer's acknowledgement, which the
// peer may delay (up to 40 ms on Linux).
func (c *Conn) WantsNagle() bool { return c.nagle && c.merger == nil }

// EnableMergedWrites makes media queued from now on (QueueMedia,
// QueueFrame) wait up to Config.MergeWrites and leave with the rest of
// what waits, in one write (see Config.MergeWrites). A relay calls it once
// a player's fast start is queued, so that the fast start leaves at once.
// Without Config.MergeWrites it does nothing.
func (c *Conn) EnableMergedWrites() {
	if c.merger != nil {
		c.queue.MergeInto(c.merger)
	}
}

// markEnded drops what is queued and whatever comes later: nothing will
// apply it.
func (c *Conn) markEnded() {
	c.mu.Lock()
	c.ended = true
	c.inbox = nil
	c.mu.Unlock()
}

func (c *Conn) takeInbox(spare []core.Input) []core.Input {
	c.mu.Lock()
	defer c.mu.Unlock()
	in := c.inbox
	c.inbox = spare[:0]
	return in
}

// pushOutput queues session output and the chunk size the session's
// encoder uses after it, together, so that media framed for the old size
// cannot slip in behind a Set Chunk Size (see QueueFrame). It reports
// whether the queue is past the bound of session output (ErrWriteBacklog).
func (c *Conn) pushOutput(b []byte, chunkSize uint32) (over bool) {
	over = c.queue.PushSized(b, chunkSize)
	if chunkSize != c.chunkSize.Load() {
		c.chunkSize.Store(chunkSize)
	}
	return over
}

// QueueFrame is QueueMedia for a Frame played on the message stream
// streamID: it is cut at the chunk size in effect where it lands in the
// queue, even when the session changes the chunk size meanwhile (an
// application's Send of a Set Chunk Size), which bytes framed by the caller
// cannot promise. A data frame (type 18) goes to a client that connected
// with objectEncoding 3 as type 15 with AMF3 values, like every command
// and data message it gets.
func (c *Conn) QueueFrame(f *Frame, streamID uint32, cost int, ack func(cost int)) bool {
	if c.amf3.Load() {
		f = f.inAMF3()
	}
	for {
		cs := c.ChunkSize()
		if f.unshared {
			settled, ok, stale := c.queueGathered(f, cs, streamID, cost, ack)
			if stale {
				continue
			}
			if settled {
				return ok
			}
		}
		b, err := f.Bytes(cs, streamID)
		if err != nil {
			return false
		}
		if ok, stale := c.queue.PushMediaAt(b, cs, cost, ack); !stale {
			return ok
		}
	}
}

// queueGathered offers an unshared frame to the queue as its chunk
// headers and its payload, which the queue writes in one writev if it
// would write the frame directly, and reports whether that settled the
// offer (ok: taken), or that the chunk size changed meanwhile (stale).
// Unsettled, the caller queues the framed bytes as usual.
func (c *Conn) queueGathered(f *Frame, cs, streamID uint32, cost int, ack func(cost int)) (settled, ok, stale bool) {
	var headers [chunk.MaxSharedHeaders]byte
	m := f.msg
	m.StreamID = streamID
	first, cont, err := chunk.AppendSharedHeaders(headers[:0], f.csid, m, cs)
	if err != nil {
		return true, false, false
	}
	g := sendq.Gather{Payload: m.Payload, Size: int(cs)}
	if !g.SetHeaders(first, cont) {
		return false, false, false
	}
	switch res, n := c.queue.PushMediaGathered(&g, cs); res {
	case sendq.GatherStale:
		return false, false, true
	case sendq.GatherRefused:
		return true, false, false
	case sendq.GatherWritten:
		if ack != nil {
			ack(cost)
		}
		return true, true, false
	case sendq.GatherPartly:
		// The framed bytes are the gathered ones, so the rest starts
		// where the write stopped.
		b, _ := f.Bytes(cs, streamID)
		c.queue.PushRest(b[n:], cost, ack)
		return true, true, false
	}
	return false, false, false
}
