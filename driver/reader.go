package driver

import (
	"io"
	"net"
	"os"
	"sync"
	"syscall"

	"github.com/gortmp/rtmp/driver/internal/sendq"
)

// initialReadBuffer is the read buffer of a new connection. Players and
// idle connections send little (commands, acknowledgements), so they keep
// this; a connection whose reads fill it (a publisher) moves to the
// configured ReadBufferSize.
const initialReadBuffer = 2 << 10

// smallBuffers holds the initial read buffers of TCP connections, which
// take one only for the length of a read that has bytes to return: a
// thousand players waiting for their next acknowledgement to send hold
// none.
var smallBuffers = sync.Pool{New: func() any { return new([initialReadBuffer]byte) }}

// connReader reads a connection's bytes for its loop, on the loop's
// goroutine: a read waits until bytes come or the read deadline passes,
// which is also how the loop is woken for anything else (see Conn.wake).
type connReader struct {
	conn net.Conn
	size int // buffer size in use, initialReadBuffer or max
	max  int
	own  []byte
	// lent is the borrowed buffer the last read's bytes are in, until
	// release.
	lent *[initialReadBuffer]byte
	// borrow reads a small connection's bytes into a buffer of
	// smallBuffers; nil when conn is not a plain TCP connection.
	borrow *borrowingRead
}

func newConnReader(conn net.Conn, max int) *connReader {
	return &connReader{conn: conn, size: min(initialReadBuffer, max), max: max, borrow: newBorrowingRead(conn)}
}

// read returns the bytes of one read, valid until release, and the error
// that came with them. While the connection is small and plain TCP they
// are in a borrowed buffer; otherwise in the reader's own, made on first
// use.
func (r *connReader) read() ([]byte, error) {
	if r.borrow != nil && r.size == initialReadBuffer && r.size < r.max {
		buf, n, err := r.borrow.read()
		if n == initialReadBuffer {
			r.size = r.max
		}
		if buf == nil {
			return nil, err
		}
		r.lent = buf
		return buf[:n], err
	}
	if len(r.own) < r.size {
		r.own = make([]byte, r.size)
	}
	var n int
	var err error
	if r.borrow != nil {
		n, err = r.borrow.readInto(r.own)
	} else {
		n, err = r.conn.Read(r.own)
	}
	if n == len(r.own) && r.size < r.max {
		r.size = r.max
	}
	return r.own[:n], err
}

// release gives back the buffer of the last read's bytes.
func (r *connReader) release() {
	if r.lent != nil {
		smallBuffers.Put(r.lent)
		r.lent = nil
	}
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
	// into is the caller's buffer readInto reads into, and intoFn its
	// callback.
	into   []byte
	intoFn func(fd uintptr) bool
}

func newBorrowingRead(c net.Conn) *borrowingRead {
	rc := sendq.PlainTCP(c)
	if rc == nil {
		return nil
	}
	b := &borrowingRead{conn: c, rc: rc}
	b.fn = b.attempt
	b.intoFn = b.attemptInto
	return b
}

// attempt is the RawConn callback: false, with the buffer given back,
// while the socket has nothing to read, which makes the runtime wait for
// it to become readable and call again.
func (b *borrowingRead) attempt(fd uintptr) bool {
	buf := smallBuffers.Get().(*[initialReadBuffer]byte)
	for {
		b.n, b.err = sendq.RawRead(fd, buf[:])
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

// read returns one read's n bytes in a buffer of smallBuffers, or nil and
// the error that ended reading: the read deadline, a closed socket, the
// peer's end (io.EOF) or a system call's failure, as net.Conn.Read
// reports them.
func (b *borrowingRead) read() (*[initialReadBuffer]byte, int, error) {
	b.buf, b.n, b.err = nil, 0, nil
	if err := b.rc.Read(b.fn); err != nil {
		return nil, 0, err
	}
	buf, n, err := b.buf, b.n, b.err
	b.buf = nil
	if err == nil && n > 0 {
		return buf, n, nil
	}
	smallBuffers.Put(buf)
	if err == nil {
		return nil, 0, io.EOF
	}
	return nil, 0, &net.OpError{Op: "read", Net: "tcp", Source: b.conn.LocalAddr(), Addr: b.conn.RemoteAddr(), Err: os.NewSyscallError("read", err)}
}

// attemptInto is the RawConn callback of readInto.
func (b *borrowingRead) attemptInto(fd uintptr) bool {
	for {
		b.n, b.err = sendq.RawRead(fd, b.into)
		if b.err != syscall.EINTR {
			break
		}
	}
	return b.err != syscall.EAGAIN
}

// readInto reads into buf, which a connection that outgrew the borrowed
// buffers owns, with a raw system call (see sendq.RawRead): a publisher
// reads on every message, and a read the scheduler is told of that lasts
// past its monitor's tick costs a thread's wake-up.
func (b *borrowingRead) readInto(buf []byte) (int, error) {
	b.into, b.n, b.err = buf, 0, nil
	err := b.rc.Read(b.intoFn)
	b.into = nil
	if err != nil {
		return 0, err
	}
	n, err := b.n, b.err
	if err == nil && n > 0 {
		return n, nil
	}
	if err == nil {
		return 0, io.EOF
	}
	return 0, &net.OpError{Op: "read", Net: "tcp", Source: b.conn.LocalAddr(), Addr: b.conn.RemoteAddr(), Err: os.NewSyscallError("read", err)}
}
