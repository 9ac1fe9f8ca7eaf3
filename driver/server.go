package driver

import (
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gortmp/rtmp/driver/internal/sendq"
)

// connIDs numbers connections across every Serve of the process.
var connIDs atomic.Uint64

// Serve accepts connections on ln and serves each with its own session,
// reporting events to h, until ctx is cancelled or ln fails.
//
// On cancellation Serve stops accepting, closes every session cleanly (the
// client hears the end of its streams, h gets their events and
// HandleClose), waits up to Config.ShutdownGrace for that, then closes the
// sockets still open. It returns only when every goroutine it started is
// gone: nil after a cancellation, or the listener's error.
//
// The listener's connections must let SetReadDeadline interrupt a Read in
// progress, as every net.Conn of the standard library (and rtmpt's) does:
// a connection's goroutine waits in a read of its socket, and is woken for
// anything else by moving that read's deadline.
func Serve(ctx context.Context, ln net.Listener, h Handler, cfg Config) error {
	cfg = cfg.withDefaults()
	s := &server{cfg: cfg, h: h, conns: make(map[*Conn]struct{})}
	if cfg.MergeWrites > 0 {
		// One merger per period for the whole process: every listener's
		// players, and HTTP-FLV players (live.Relay.MergeWrites), are
		// flushed together.
		var release func()
		s.merger, release = sendq.ShareMerger(cfg.MergeWrites)
		defer release()
	}

	acceptErr := make(chan error, 1)
	go func() { acceptErr <- s.acceptLoop(ln) }()

	var err error
	select {
	case <-ctx.Done():
	case err = <-acceptErr:
	}
	ln.Close()
	if err == nil {
		<-acceptErr
	}
	s.close()
	return err
}

type server struct {
	cfg Config
	h   Handler
	wg  sync.WaitGroup
	// merger flushes the players' merged writes (Config.MergeWrites), the
	// process's for that period (sendq.ShareMerger); nil without them.
	merger *sendq.Merger

	mu      sync.Mutex
	conns   map[*Conn]struct{}
	closing bool
}

func (s *server) acceptLoop(ln net.Listener) error {
	var delay time.Duration
	for {
		netc, err := ln.Accept()
		if err != nil {
			if s.isClosing() {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				// Out of file descriptors and the like: back off as
				// net/http does rather than spin.
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				s.cfg.Logger.Warn("accept", "err", err, "retry", delay)
				time.Sleep(delay)
				continue
			}
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		delay = 0
		if s.cfg.SocketWriteBuffer > 0 {
			setWriteBuffer(netc, s.cfg.SocketWriteBuffer)
		}
		if !s.add(netc) {
			s.cfg.Stats.refused.Add(1)
			netc.Close()
		}
	}
}

func (s *server) isClosing() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closing
}

// add starts serving netc, unless the server is full or shutting down.
func (s *server) add(netc net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	if len(s.conns) >= s.cfg.MaxConns {
		s.cfg.Logger.Warn("connection refused: too many connections", "remote", netc.RemoteAddr(), "max", s.cfg.MaxConns)
		return false
	}
	ctx, cancel := context.WithCancel(context.Background())
	id := connIDs.Add(1)
	c := &Conn{
		id:     id,
		netc:   netc,
		log:    s.cfg.Logger.With("conn", id, "remote", netc.RemoteAddr().String()),
		queue:  sendq.New(s.cfg.MaxQueuedBytes),
		ctx:    ctx,
		cancel: cancel,
		nagle:  s.cfg.Nagle,
		merger: s.merger,
	}
	c.chunkSize.Store(128)
	c.queue.OnSent(func(n int) {
		c.sent.Add(uint64(n))
		s.cfg.Stats.sent.Add(uint64(n))
	})
	if !s.cfg.NoDirectWrites {
		c.queue.WriteDirectlyTo(netc)
	}
	c.writerDone = c.queue.WriteLazily(netc, s.cfg.WriteTimeout, func() { c.wake(wakeWriter) })
	s.conns[c] = struct{}{}
	s.cfg.Stats.accepted.Add(1)
	s.cfg.Stats.open.Add(1)
	s.wg.Add(1)
	go s.serveConn(c)
	return true
}

// serveConn runs a connection's goroutine. Its frame, and run's, stay on
// the connection's stack for its life, so the setting up and the ending
// are functions of their own (see newLoop).
func (s *server) serveConn(c *Conn) {
	l := s.startConn(c)
	s.endConn(c, l, l.run())
}

// startConn makes a connection's loop.
//
//go:noinline
func (s *server) startConn(c *Conn) *loop {
	c.log.Debug("connected")
	return newLoop(c, &s.cfg, s.h)
}

// endConn reports a connection's end and forgets it.
//
//go:noinline
func (s *server) endConn(c *Conn, l *loop, err error) {
	defer s.wg.Done()
	if !l.sc.Handshaken() {
		s.cfg.Stats.handshakeFailed.Add(1)
	}
	c.markEnded()
	c.cancel()
	switch {
	case errors.Is(err, ErrMemoryBudget):
		// A peer that tries to take the server's memory is worth seeing.
		c.log.Warn("closed", "err", err)
	case err != nil:
		c.log.Debug("closed", "err", err)
	default:
		c.log.Debug("closed")
	}
	s.h.HandleClose(c, err)
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	s.cfg.Stats.open.Add(-1)
}

// close shuts every connection down: cleanly within the grace period,
// then by closing sockets; it returns when all are gone.
func (s *server) close() {
	s.mu.Lock()
	s.closing = true
	for c := range s.conns {
		c.wake(wakeShutdown)
	}
	s.mu.Unlock()

	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	grace := time.NewTimer(s.cfg.ShutdownGrace)
	defer grace.Stop()
	select {
	case <-done:
		return
	case <-grace.C:
	}
	s.mu.Lock()
	for c := range s.conns {
		c.netc.Close()
	}
	s.mu.Unlock()
	<-done
}

// setWriteBuffer sets the kernel send buffer of a TCP connection, also
// under TLS.
func setWriteBuffer(c net.Conn, n int) {
	if tc := tcpConn(c); tc != nil {
		tc.SetWriteBuffer(n)
	}
}

// setNoDelay turns Nagle's algorithm off (true) or on (false) for a TCP
// connection, also under TLS.
func setNoDelay(c net.Conn, noDelay bool) {
	if tc := tcpConn(c); tc != nil {
		tc.SetNoDelay(noDelay)
	}
}

// tcpConn is the TCP connection under c, or nil.
func tcpConn(c net.Conn) *net.TCPConn {
	if tc, ok := c.(interface{ NetConn() net.Conn }); ok {
		c = tc.NetConn()
	}
	tc, _ := c.(*net.TCPConn)
	return tc
}
