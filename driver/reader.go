package driver

import (
	"net"
	"time"
)

// readResult is one read handed from the reader goroutine to the loop.
type readResult struct {
	b   []byte
	err error
}

// initialReadBuffer is the read buffer of a new connection. Players and
// idle connections send little (commands, acknowledgements), so they keep
// this; a connection whose reads fill it (a publisher) moves to the
// configured ReadBufferSize.
const initialReadBuffer = 2 << 10

// reader is a connection's reader goroutine: it reads into two buffers in
// turn and hands each read to the loop, which gives the buffer back once
// fed, so reading the next bytes overlaps feeding the last ones.
type reader struct {
	conn  net.Conn
	idle  time.Duration
	size  int // buffer size in use, initialReadBuffer or max
	max   int
	free  chan []byte
	reads chan readResult
	quit  chan struct{}
	done  chan struct{}
}

func newReader(conn net.Conn, idle time.Duration, max int) *reader {
	r := &reader{
		conn:  conn,
		idle:  idle,
		size:  min(initialReadBuffer, max),
		max:   max,
		free:  make(chan []byte, 2),
		reads: make(chan readResult),
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	// Buffers are made on first use: an idle connection holds one.
	r.free <- nil
	r.free <- nil
	return r
}

// release gives a buffer back to the reader.
func (r *reader) release(b []byte) { r.free <- b[:cap(b)] }

// stop ends the reader; the socket must be closed first so that a read in
// progress returns.
func (r *reader) stop() {
	close(r.quit)
	<-r.done
}

func (r *reader) run() {
	defer close(r.done)
	for {
		var buf []byte
		select {
		case buf = <-r.free:
		case <-r.quit:
			return
		}
		if cap(buf) < r.size {
			buf = make([]byte, r.size)
		}
		buf = buf[:cap(buf)]
		r.conn.SetReadDeadline(time.Now().Add(r.idle))
		n, err := r.conn.Read(buf)
		if n == len(buf) && r.size < r.max {
			r.size = r.max
		}
		select {
		case r.reads <- readResult{buf[:n], err}:
		case <-r.quit:
			return
		}
		if err != nil {
			return
		}
	}
}
