package driver

import (
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"
)

// readResult is one read handed from the reader goroutine to the loop.
type readResult struct {
	b   []byte
	err error
	// borrowed marks b as a buffer of smallBuffers, which release returns
	// there.
	borrowed bool
}

// initialReadBuffer is the read buffer of a new connection. Players and
// idle connections send little (commands, acknowledgements), so they keep
// this; a connection whose reads fill it (a publisher) moves to the
// configured ReadBufferSize.
const initialReadBuffer = 2 << 10

// smallBuffers holds the initial read buffers of TCP connections, which
// take one only for the length of a read that has bytes to return: a
// thousand players waiting for their next acknowledgement to send hold
// none, where each would otherwise keep two buffers of its own.
var smallBuffers = sync.Pool{New: func() any { return new([initialReadBuffer]byte) }}

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

	// borrow reads a small connection's bytes into a buffer of
	// smallBuffers; nil when conn is not a plain TCP connection.
	borrow *borrowingRead
}

func newReader(conn net.Conn, idle time.Duration, max int) *reader {
	r := &reader{
		conn:   conn,
		idle:   idle,
		size:   min(initialReadBuffer, max),
		max:    max,
		free:   make(chan []byte, 2),
		reads:  make(chan readResult),
		quit:   make(chan struct{}),
		done:   make(chan struct{}),
		borrow: newBorrowingRead(conn),
	}
	// Buffers are made on first use: an idle connection holds one.
	r.free <- nil
	r.free <- nil
	return r
}

// release gives a read's buffer back: to smallBuffers if borrowed, else to
// the reader.
func (r *reader) release(rd readResult) {
	if rd.borrowed {
		smallBuffers.Put((*[initialReadBuffer]byte)(rd.b[:initialReadBuffer]))
		r.free <- nil
		return
	}
	r.free <- rd.b[:cap(rd.b)]
}

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
		rd := r.read(buf)
		select {
		case r.reads <- rd:
		case <-r.quit:
			return
		}
		if rd.err != nil {
			return
		}
	}
}

// read makes one read, into buf or, while the connection is small and
// plain TCP, into a borrowed buffer.
func (r *reader) read(buf []byte) readResult {
	r.conn.SetReadDeadline(time.Now().Add(r.idle))
	if r.borrow != nil && r.size == initialReadBuffer && r.size < r.max {
		b, err := r.borrow.read()
		if len(b) == initialReadBuffer {
			r.size = r.max
		}
		return readResult{b: b, err: err, borrowed: b != nil}
	}
	if cap(buf) < r.size {
		buf = make([]byte, r.size)
	}
	buf = buf[:cap(buf)]
	n, err := r.conn.Read(buf)
	if n == len(buf) && r.size < r.max {
		r.size = r.max
	}
	return readResult{b: buf[:n], err: err}
}

// borrowingRead waits for a TCP socket to be readable without holding a
// buffer, and reads into one of smallBuffers only when the read system
// call has bytes to return.
type borrowingRead struct {
	conn net.Conn
	rc   syscall.RawConn
	fn   func(fd uintptr) bool
	// What the last attempt left: the buffer it read into, how many bytes
	// and the system call's error.
	buf *[initialReadBuffer]byte
	n   int
	err error
}

func newBorrowingRead(c net.Conn) *borrowingRead {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return nil
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return nil
	}
	b := &borrowingRead{conn: c, rc: rc}
	b.fn = b.attempt
	return b
}

// attempt is the RawConn callback: false, with the buffer given back,
// while the socket has nothing to read, which makes the runtime wait for
// it to become readable and call again.
func (b *borrowingRead) attempt(fd uintptr) bool {
	buf := smallBuffers.Get().(*[initialReadBuffer]byte)
	for {
		b.n, b.err = syscall.Read(int(fd), buf[:])
		if b.err != syscall.EINTR {
			break
		}
	}
	if b.err == syscall.EAGAIN {
		smallBuffers.Put(buf)
		return false
	}
	b.buf = buf
	return true
}

// read returns the bytes of one read in a buffer of smallBuffers, or
// nil and the error that ended reading: the read deadline, a closed
// socket, the peer's end (io.EOF) or a system call's failure, as
// net.Conn.Read reports them.
func (b *borrowingRead) read() ([]byte, error) {
	b.buf, b.n, b.err = nil, 0, nil
	if err := b.rc.Read(b.fn); err != nil {
		return nil, err
	}
	buf, n, err := b.buf, b.n, b.err
	b.buf = nil
	if err == nil && n > 0 {
		return buf[:n], nil
	}
	smallBuffers.Put(buf)
	if err == nil {
		return nil, io.EOF
	}
	return nil, &net.OpError{Op: "read", Net: "tcp", Source: b.conn.LocalAddr(), Addr: b.conn.RemoteAddr(), Err: os.NewSyscallError("read", err)}
}
