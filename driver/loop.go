package driver

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

// ErrHandshakeTimeout closes a connection whose handshake did not complete
// within Config.HandshakeTimeout.
var ErrHandshakeTimeout = errors.New("driver: handshake timed out")

// reportEvery is how many received bytes may pass before the session is
// told the totals; it keeps Acknowledgements timely for any window a
// client may ask for without stepping the session on every read.
const reportEvery = 64 << 10

// lingerTimeout bounds how long a closing connection waits for its last
// bytes to be written.
const lingerTimeout = 2 * time.Second

// loop is the state of one connection's goroutine: the only owner of the
// session value, the handshake, the chunk decoder and encoder.
type loop struct {
	c   *Conn
	cfg Config
	h   Handler

	sess  core.Session
	hs    *handshake.Server
	dec   *chunk.Decoder
	enc   chunk.Encoder
	out   []byte // encoded session output not yet queued
	raw   []chunk.Message
	inbox []core.Input

	start    time.Time
	wake     *time.Timer
	received uint64
	reported uint64

	done bool  // a Disconnect was carried out or the peer went away
	err  error // why the connection ends
}

type readResult struct {
	b   []byte
	err error
}

// run serves the connection until it ends and returns why. shutdown is
// closed when the server begins a graceful shutdown.
func (l *loop) run(shutdown <-chan struct{}) error {
	c := l.c
	reads := make(chan readResult)
	free := make(chan []byte, 2)
	free <- make([]byte, l.cfg.ReadBufferSize)
	free <- make([]byte, l.cfg.ReadBufferSize)
	stop := make(chan struct{})
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		readLoop(c.netc, l.cfg.IdleTimeout, free, reads, stop)
	}()
	writerDone := make(chan error, 1)
	go func() {
		writerDone <- writeLoop(c.netc, c.queue, l.cfg.WriteTimeout, func(n int) { c.sent.Add(uint64(n)) })
	}()

	hsTimer := time.NewTimer(l.cfg.HandshakeTimeout)
	defer hsTimer.Stop()
	l.wake = time.NewTimer(time.Hour)
	l.wake.Stop()
	defer l.wake.Stop()
	writerExited := false

	for !l.done {
		select {
		case r := <-reads:
			if len(r.b) > 0 {
				l.onBytes(r.b)
			}
			free <- r.b[:cap(r.b)]
			if r.err != nil && !l.done {
				l.end(readError(r.err))
			}
			if l.hs == nil {
				hsTimer.Stop()
			}
		case <-c.notify:
			l.inbox = c.takeInbox(l.inbox)
			for _, in := range l.inbox {
				if l.done {
					break
				}
				l.step(in)
			}
			clear(l.inbox)
		case <-l.wake.C:
			l.step(core.Tick{Now: time.Since(l.start)})
		case <-hsTimer.C:
			if l.hs != nil {
				l.end(ErrHandshakeTimeout)
			}
		case err := <-writerDone:
			writerExited = true
			l.end(fmt.Errorf("driver: write: %w", err))
		case <-shutdown:
			shutdown = nil // once
			l.step(core.Close{})
		}
		l.flush()
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
	close(stop)
	<-readerDone
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

// end stops the loop. A session still open is closed first so that its
// streams finish and the application hears of it.
func (l *loop) end(err error) {
	if l.done {
		return
	}
	l.err = err
	if !l.sess.Closed() && l.hs == nil {
		l.step(core.Close{})
	}
	l.done = true
}

// onBytes feeds what the socket delivered: to the handshake until it is
// done, then to the chunk decoder.
func (l *loop) onBytes(b []byte) {
	l.received += uint64(len(b))
	if l.hs != nil {
		out, err := l.hs.Feed(b)
		if err != nil {
			l.end(fmt.Errorf("driver: handshake: %w", err))
			return
		}
		// Output.Send belongs to the handshake machine: copy it.
		l.out = append(l.out, out.Send...)
		if l.hs.State() != handshake.Done {
			return
		}
		l.hs = nil
		l.c.log.Debug("handshake done")
		l.step(core.BeginStreamZero{})
		b = out.Rest
	}
	var err error
	l.raw, err = l.dec.Feed(l.raw[:0], b)
	for i := range l.raw {
		if l.done {
			break
		}
		l.receive(l.raw[i])
	}
	clear(l.raw)
	if err != nil && !l.done {
		l.end(fmt.Errorf("driver: chunk stream: %w", err))
		return
	}
	if l.received-l.reported >= reportEvery && !l.done {
		l.reported = l.received
		l.step(core.BytesCounted{Received: l.received, Sent: l.c.sent.Load()})
	}
}

// receive decodes one raw message (splitting aggregates) and steps it.
func (l *loop) receive(raw chunk.Message) {
	if message.TypeID(raw.TypeID) == message.TypeAggregate {
		parts, err := message.SplitAggregate(raw)
		if err != nil {
			l.end(fmt.Errorf("driver: aggregate: %w", err))
			return
		}
		for _, p := range parts {
			l.receive(p)
		}
		return
	}
	m, err := message.Decode(raw)
	if err != nil {
		l.end(fmt.Errorf("driver: message type %d: %w", raw.TypeID, err))
		return
	}
	l.step(core.MessageReceived{Message: m})
}

// step applies one input and carries out its effects in order.
func (l *loop) step(in core.Input) {
	sess, fx := l.sess.Step(in)
	l.sess = sess
	for _, e := range fx {
		l.apply(e)
	}
}

func (l *loop) apply(e core.Effect) {
	switch e := e.(type) {
	case core.Send:
		raw, err := message.Encode(e.Message)
		if err == nil {
			l.out, err = l.enc.Append(l.out, e.ChunkStreamID, raw)
		}
		if err != nil {
			// The session produced something the codec refuses: a bug,
			// not the peer's fault. Say so and drop that message.
			l.c.log.Error("cannot encode session output", "body", fmt.Sprintf("%T", e.Message.Body), "err", err)
		}
	case core.ChangeChunkSize:
		// The encoder applied the size when it encoded the Set Chunk
		// Size message; media framed elsewhere follows once the bytes
		// before it are queued.
		l.flush()
		l.c.chunkSize.Store(l.enc.ChunkSize())
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
	default:
		// An event: what was encoded before it must be queued first, so
		// that media the application queues from the handler (a relay's
		// fast start) follows the replies it goes with.
		l.flush()
		l.h.HandleEvent(l.c, e)
	}
}

// flush hands the encoded session output to the writer.
func (l *loop) flush() {
	if len(l.out) > 0 {
		l.c.queue.push(l.out)
		l.out = nil
	}
}

// readLoop is the reader goroutine: it reads into the two buffers in turn
// and hands each read to the loop, which gives the buffer back once fed.
func readLoop(conn net.Conn, idle time.Duration, free chan []byte, reads chan<- readResult, stop <-chan struct{}) {
	for {
		var buf []byte
		select {
		case buf = <-free:
		case <-stop:
			return
		}
		conn.SetReadDeadline(time.Now().Add(idle))
		n, err := conn.Read(buf)
		select {
		case reads <- readResult{buf[:n], err}:
		case <-stop:
			return
		}
		if err != nil {
			return
		}
	}
}

// newLoop prepares the loop of a new connection.
func newLoop(c *Conn, cfg Config, h Handler) *loop {
	seed := make([]byte, 32)
	rand.Read(seed)
	return &loop{
		c:     c,
		cfg:   cfg,
		h:     h,
		sess:  core.NewSession(cfg.Session),
		hs:    handshake.NewServer(handshake.ServerConfig{Random: seed}),
		dec:   chunk.NewDecoder(cfg.Decoder),
		start: time.Now(),
	}
}
