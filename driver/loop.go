package driver

import (
	"cmp"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/serverconn"
)

// ErrHandshakeTimeout closes a connection whose handshake did not complete
// within Config.HandshakeTimeout.
var ErrHandshakeTimeout = errors.New("driver: handshake timed out")

// ErrWriteBacklog closes a connection whose peer reads so much slower
// than the session writes to it that its queue passed twice
// Config.MaxQueuedBytes: session output is never dropped, so the only
// bound left is ending the connection.
var ErrWriteBacklog = errors.New("driver: peer too slow: write backlog over its bound")

// ErrMemoryBudget is what the error of a connection closed for passing
// Config.Budget is (errors.Is); errors.As finds the
// *serverconn.BudgetError with the numbers.
var ErrMemoryBudget = serverconn.ErrMemoryBudget

// reportEvery is how many received bytes may pass before the session is
// told the totals; it keeps Acknowledgements timely for any window a
// client may ask for without stepping the session on every read.
const reportEvery = 64 << 10

// readAfterWriteFailure is how long a connection whose writes failed goes
// on reading. A peer that leaves abruptly (a reset, which a peer closing
// with unread bytes sends) makes the next write fail at once, often before
// the loop has read what the peer sent last: a publisher's last frames,
// its deleteStream. Those bytes are still there to read, then the reset's
// error; a peer that is still there but stopped reading (a write timeout)
// is given this long.
const readAfterWriteFailure = 250 * time.Millisecond

// lingerTimeout bounds how long a closing connection waits for its last
// bytes to be written.
const lingerTimeout = 2 * time.Second

// loop is the state of one connection's goroutine. The protocol lives in
// a serverconn.Conn, the same byte-level machine the fuzzer and the
// simulation run; the loop only moves bytes, inputs, timers and events
// between it and the sockets, the writer and the Handler.
type loop struct {
	c   *Conn
	cfg *Config // the server's, shared by its connections
	h   Handler

	sc    *serverconn.Conn
	inbox []core.Input

	start time.Time
	// wakeAt is when the session asked to be stepped with a Tick (zero:
	// never).
	wakeAt time.Time

	done bool // a Disconnect was carried out or the peer went away
	// backlog is set when session output passed the queue's hard bound;
	// the loop then ends the connection with ErrWriteBacklog.
	backlog bool
	// writeErr is why the writer ended, once it did; the loop then reads
	// what is left until failAt (see readAfterWriteFailure) and ends with
	// it.
	writeErr error
	failAt   time.Time
	err      error // why the connection ends
	// heldReported is what this connection last added to
	// ServerStats.held.
	heldReported int
}

// run serves the connection until it ends and returns why.
//
// It has no goroutine besides its own (the writer runs only while bytes
// wait): it waits in a read of the socket whose deadline is the earliest
// of the idle timeout, the handshake's and the session's next wake, and
// anything else it must see (inputs from other goroutines, the server's
// shutdown, the writer's failure) sets a bit of Conn.wakeups and moves the
// deadline to the past (Conn.wake).
func (l *loop) run() error {
	c := l.c
	hsAt := l.start.Add(l.cfg.HandshakeTimeout)
	writerExited := false
	l.tlsHandshake(hsAt)
	r := newConnReader(c.netc, l.cfg.ReadBufferSize)
	idleAt := time.Now().Add(l.cfg.IdleTimeout)

	for !l.done {
		next := idleAt
		if l.sc.State() == serverconn.Handshaking {
			next = earliest(next, hsAt)
		}
		if !l.wakeAt.IsZero() {
			next = earliest(next, l.wakeAt)
		}
		if l.writeErr != nil {
			next = earliest(next, l.failAt)
		}
		c.netc.SetReadDeadline(next)
		// After the deadline is set, so that a wake between the two moves
		// it to the past again (see Conn.wake).
		if bits := c.wakeups.Swap(0); bits != 0 {
			writerExited = l.woken(bits) || writerExited
		} else {
			b, err := r.read()
			if len(b) > 0 {
				idleAt = time.Now().Add(l.cfg.IdleTimeout)
				l.cfg.Stats.received.Add(uint64(len(b)))
				// The queue drained since the last account: its room goes
				// to what the peer sends.
				l.account()
				l.feed(b)
			}
			r.release()
			switch {
			case err == nil || l.done:
			case errors.Is(err, os.ErrDeadlineExceeded):
				l.deadlinePassed(err, hsAt, idleAt)
			case l.writeErr != nil:
				l.end(l.writeErr)
			default:
				l.end(readError(err))
			}
		}
		l.flush()
		if l.backlog && !l.done {
			l.end(ErrWriteBacklog)
		}
		l.account()
	}
	l.cfg.Stats.held.Add(-int64(l.heldReported))
	l.heldReported = 0
	if errors.Is(l.err, ErrMemoryBudget) {
		l.cfg.Stats.overBudget.Add(1)
	}

	// Teardown: let the writer drain what the session said last (its
	// Disconnect reply, for example), bounded by the write deadline, then
	// close the socket.
	c.queue.Close()
	if !writerExited {
		linger := time.NewTimer(lingerTimeout)
		select {
		case <-c.writerDone:
		case <-linger.C:
			c.netc.Close() // a peer that does not read is not waited for
			<-c.writerDone
		}
		linger.Stop()
	}
	c.netc.Close()
	return l.err
}

// woken handles what other goroutines asked for (the bits of
// Conn.wakeups) and reports whether the writer ended.
func (l *loop) woken(bits uint32) (writerExited bool) {
	c := l.c
	if bits&wakeInbox != 0 {
		l.inbox = c.takeInbox(l.inbox)
		for _, in := range l.inbox {
			if l.done || l.backlog {
				break
			}
			l.handle(l.sc.Step(in))
		}
		clear(l.inbox)
	}
	if bits&wakeShutdown != 0 {
		c.noteEnd(ErrServerShutdown)
		l.handle(l.sc.Step(core.Close{}))
	}
	if bits&wakeWriter != 0 {
		select {
		case err := <-c.writerDone:
			l.writeErr = fmt.Errorf("driver: write: %w", err)
			l.failAt = time.Now().Add(readAfterWriteFailure)
			return true
		default:
		}
	}
	return false
}

// deadlinePassed handles a read that ended at its deadline: the
// handshake's, the idle timeout's or the session's wake, or none of them
// when a wake moved the deadline (its bits are looked at next).
func (l *loop) deadlinePassed(err error, hsAt, idleAt time.Time) {
	now := time.Now()
	switch {
	case l.writeErr != nil && !now.Before(l.failAt):
		l.end(l.writeErr)
	case l.sc.State() == serverconn.Handshaking && !now.Before(hsAt):
		l.end(ErrHandshakeTimeout)
	case !now.Before(idleAt):
		l.end(readError(err))
	case !l.wakeAt.IsZero() && !now.Before(l.wakeAt):
		l.wakeAt = time.Time{}
		l.handle(l.sc.Step(core.Tick{Now: now.Sub(l.start)}))
	}
}

// tlsHandshake completes a TLS connection's handshake before the loop
// reads: a TLS handshake that fails stays failed, so it must not be the
// read a wake interrupts. It is bounded by the RTMP handshake's deadline.
func (l *loop) tlsHandshake(hsAt time.Time) {
	tc, ok := l.c.netc.(*tls.Conn)
	if !ok {
		return
	}
	tc.SetDeadline(hsAt)
	err := tc.Handshake()
	tc.SetWriteDeadline(time.Time{})
	switch {
	case err == nil:
	case errors.Is(err, os.ErrDeadlineExceeded) && !time.Now().Before(hsAt):
		l.end(ErrHandshakeTimeout)
	default:
		l.end(readError(err))
	}
}

// earliest is the earlier of two times.
func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// readError turns the end of the read side into the connection's error: a
// clean EOF from the peer is no error.
func readError(err error) error {
	if errors.Is(err, io.EOF) {
		return nil
	}
	return fmt.Errorf("driver: read: %w", err)
}

// feed hands what the socket delivered to the connection machine.
func (l *loop) feed(b []byte) {
	handshaking := l.sc.State() == serverconn.Handshaking
	fx := l.sc.Feed(b)
	if handshaking && l.sc.State() == serverconn.Open {
		l.c.log.Debug("handshake done")
	}
	l.handle(fx)
}

// end stops the loop. A session still open is closed first so that its
// streams finish and the application hears of it.
func (l *loop) end(err error) {
	if l.done {
		return
	}
	l.err = err
	// Only a clean end of stream from the peer ends the loop without an
	// error.
	l.c.noteEnd(cmp.Or(err, ErrPeerClosed))
	l.handle(l.sc.Step(core.Close{}))
	l.done = true
}

// handle carries out what the connection machine returned, in order. Its
// output is queued first, so that media the application queues from an
// event (a relay's fast start) follows the replies it goes with; an RTMPE
// output cipher is set up before that output reaches the queue.
func (l *loop) handle(fx []core.Effect) {
	l.seal(fx)
	if len(l.sc.Pending()) > 0 && raisesEvents(fx) {
		// The peer must not see this step's output before the handler
		// has taken its events: held, the queue writes nothing until
		// they are handled (see sendq.Queue.hold).
		l.c.queue.Hold()
		defer l.c.queue.Release()
	}
	l.flush()
	noteDisconnect(l.c, fx)
	for _, e := range fx {
		switch e := e.(type) {
		case core.WakeAt:
			l.wakeAt = time.Time{}
			if e.At != core.Never {
				l.wakeAt = l.start.Add(e.At)
			}
		case core.Disconnect:
			if l.err == nil {
				l.err = e.Err
			}
			l.done = true
		case serverconn.OutputCipher:
			// Carried out by seal, before the output was queued.
		case core.CallerError:
			var ee *serverconn.EncodeError
			if errors.As(e.Err, &ee) {
				// The session produced something the codec refuses: a
				// bug, not the peer's fault.
				l.c.log.Error("cannot encode session output", "err", e.Err)
			}
			l.h.HandleEvent(l.c, e)
		case core.ConnectionRequested:
			// From here on the session answers in the encoding the
			// client chose, and so must what others queue to it.
			l.c.amf3.Store(e.ObjectEncoding == 3)
			l.h.HandleEvent(l.c, e)
		case core.Event:
			l.h.HandleEvent(l.c, e)
		default:
			l.c.log.Error("effect the loop does not know", "effect", fmt.Sprintf("%T", e))
		}
	}
}

// seal carries out an RTMPE output cipher, which comes first among the
// effects of its call: from its byte on, every byte the queue writes is
// encrypted. The bytes of the connection's output before that byte and not
// yet queued (the handshake's answer) go out plain, so the queue learns
// the cipher before they are in it.
func (l *loop) seal(fx []core.Effect) {
	if len(fx) == 0 {
		return
	}
	if oc, ok := fx[0].(serverconn.OutputCipher); ok {
		l.c.queue.EncryptAfter(int(oc.From-l.sc.Sent()), oc.Cipher)
	}
}

// noteDisconnect records why the session ends the connection, if it
// does in fx, before the handler hears of the streams it finishes on the
// way (they come first in fx).
func noteDisconnect(c *Conn, fx []core.Effect) {
	for _, e := range fx {
		if d, ok := e.(core.Disconnect); ok {
			// The session ends cleanly only when told to (core.Close).
			c.noteEnd(cmp.Or(d.Err, ErrClosedByServer))
			return
		}
	}
}

// raisesEvents reports whether fx holds anything for the handler.
func raisesEvents(fx []core.Effect) bool {
	for _, e := range fx {
		if _, ok := e.(core.Event); ok {
			return true
		}
	}
	return false
}

// flush hands the encoded output to the writer, then publishes the chunk
// size in effect: media framed for the new size (see Frame) must follow
// the Set Chunk Size message in the queue.
func (l *loop) flush() {
	var out []byte
	if p := l.sc.Pending(); len(p) > 0 {
		out = l.sc.TakeOutput(make([]byte, 0, len(p)))
	}
	if l.c.pushOutput(out, l.sc.ChunkSize()) {
		l.backlog = true
	}
}

// account tells the connection machine what the send queue holds, which
// counts against its budget (ending it when past), and the server's
// stats what the connection holds now.
func (l *loop) account() {
	if !l.done {
		if fx := l.sc.Account(l.c.queue.Queued()); len(fx) > 0 {
			l.handle(fx)
		}
	}
	held := 0
	if !l.done {
		held = l.sc.Buffered().Total()
	}
	l.cfg.Stats.held.Add(int64(held - l.heldReported))
	l.heldReported = held
}

// newLoop prepares the loop of a new connection.
//
// The loop keeps cfg, the server's, without copying it (300 bytes a
// connection). newLoop is not inlined, and takes cfg by pointer: the
// configuration would otherwise take several hundred bytes of the
// caller's frame for the connection's life, and a parked connection that
// deep cannot have its stack shrunk (the runtime halves a stack only while
// less than a quarter of it is used), so every player, whose stack grows
// to 8 KiB while its play is handled, kept 8 KiB instead of 4.
//
//go:noinline
func newLoop(c *Conn, cfg *Config, h Handler) *loop {
	seed := make([]byte, 32)
	rand.Read(seed)
	return &loop{
		c:   c,
		cfg: cfg,
		h:   h,
		sc: serverconn.New(serverconn.Config{
			Session:     cfg.Session,
			Decoder:     cfg.Decoder,
			Handshake:   handshake.ServerConfig{Random: seed, Lenient: !cfg.StrictHandshake, Encryption: cfg.RTMPE},
			ReportEvery: reportEvery,
			// The loop takes the output after every call, so the bound
			// only matters within one: what one read can make the
			// session say.
			MaxOutput: cfg.MaxQueuedBytes,
			Budget:    cfg.Budget,
			AMF:       cfg.AMF,
		}),
		start: time.Now(),
	}
}
