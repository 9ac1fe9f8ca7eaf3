package driver

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
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

// reportEvery is how many received bytes may pass before the session is
// told the totals; it keeps Acknowledgements timely for any window a
// client may ask for without stepping the session on every read.
const reportEvery = 64 << 10

// lingerTimeout bounds how long a closing connection waits for its last
// bytes to be written.
const lingerTimeout = 2 * time.Second

// loop is the state of one connection's goroutine. The protocol lives in
// a serverconn.Conn, the same byte-level machine the fuzzer and the
// simulation run; the loop only moves bytes, inputs, timers and events
// between it and the sockets, the writer and the Handler.
type loop struct {
	c   *Conn
	cfg Config
	h   Handler

	sc    *serverconn.Conn
	inbox []core.Input

	start time.Time
	wake  *time.Timer

	done bool // a Disconnect was carried out or the peer went away
	// sealed is set once the queue encrypts (RTMPE).
	sealed bool
	// backlog is set when session output passed the queue's hard bound;
	// the loop then ends the connection with ErrWriteBacklog.
	backlog bool
	err     error // why the connection ends
}

// run serves the connection until it ends and returns why. shutdown is
// closed when the server begins a graceful shutdown.
func (l *loop) run(shutdown <-chan struct{}) error {
	c := l.c
	r := newReader(c.netc, l.cfg.IdleTimeout, l.cfg.ReadBufferSize)
	go r.run()
	writerDone := c.writerDone

	hsTimer := time.NewTimer(l.cfg.HandshakeTimeout)
	defer hsTimer.Stop()
	l.wake = time.NewTimer(time.Hour)
	l.wake.Stop()
	defer l.wake.Stop()
	writerExited := false

	for !l.done {
		select {
		case rd := <-r.reads:
			if len(rd.b) > 0 {
				l.feed(rd.b)
			}
			r.release(rd)
			if rd.err != nil && !l.done {
				l.end(readError(rd.err))
			}
			if l.sc.State() != serverconn.Handshaking {
				hsTimer.Stop()
			}
		case <-c.notify:
			l.inbox = c.takeInbox(l.inbox)
			for _, in := range l.inbox {
				if l.done || l.backlog {
					break
				}
				l.handle(l.sc.Step(in))
			}
			clear(l.inbox)
		case <-l.wake.C:
			l.handle(l.sc.Step(core.Tick{Now: time.Since(l.start)}))
		case <-hsTimer.C:
			if l.sc.State() == serverconn.Handshaking {
				l.end(ErrHandshakeTimeout)
			}
		case err := <-writerDone:
			writerExited = true
			l.end(fmt.Errorf("driver: write: %w", err))
		case <-shutdown:
			shutdown = nil // once
			l.handle(l.sc.Step(core.Close{}))
		}
		l.flush()
		if l.backlog && !l.done {
			l.end(ErrWriteBacklog)
		}
	}

	// Teardown: let the writer drain what the session said last (its
	// Disconnect reply, for example), bounded by the write deadline, then
	// close the socket, which also ends the reader.
	c.queue.close()
	if !writerExited {
		linger := time.NewTimer(lingerTimeout)
		select {
		case <-writerDone:
		case <-linger.C:
			c.netc.Close() // a peer that does not read is not waited for
			<-writerDone
		}
		linger.Stop()
	}
	c.netc.Close()
	r.stop()
	return l.err
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
	l.handle(l.sc.Step(core.Close{}))
	l.done = true
}

// handle carries out what the connection machine returned, in order. Its
// output is queued first, so that media the application queues from an
// event (a relay's fast start) follows the replies it goes with.
func (l *loop) handle(fx []core.Effect) {
	l.flush()
	for _, e := range fx {
		switch e := e.(type) {
		case core.WakeAt:
			l.wake.Stop()
			if e.At != core.Never {
				l.wake.Reset(max(e.At-time.Since(l.start), 0))
			}
		case core.Disconnect:
			if l.err == nil {
				l.err = e.Err
			}
			l.done = true
		case core.CallerError:
			var ee *serverconn.EncodeError
			if errors.As(e.Err, &ee) {
				// The session produced something the codec refuses: a
				// bug, not the peer's fault.
				l.c.log.Error("cannot encode session output", "err", e.Err)
			}
			l.h.HandleEvent(l.c, e)
		default:
			l.h.HandleEvent(l.c, e)
		}
	}
}

// flush hands the encoded output to the writer, then publishes the chunk
// size in effect: media framed for the new size (see Frame) must follow
// the Set Chunk Size message in the queue.
func (l *loop) flush() {
	if !l.sealed {
		// An RTMPE answer is in the output: from its end on, every byte
		// the queue writes is encrypted, so the queue learns it before the
		// answer is in it.
		if ci := l.sc.OutputCipher(); ci != nil {
			l.c.queue.encryptAfter(serverconn.HandshakeReplyLen, ci)
			l.sealed = true
		}
	}
	var out []byte
	if p := l.sc.Pending(); len(p) > 0 {
		out = l.sc.TakeOutput(make([]byte, 0, len(p)))
	}
	if l.c.pushOutput(out, l.sc.ChunkSize()) {
		l.backlog = true
	}
}

// newLoop prepares the loop of a new connection.
func newLoop(c *Conn, cfg Config, h Handler) *loop {
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
		}),
		start: time.Now(),
	}
}
