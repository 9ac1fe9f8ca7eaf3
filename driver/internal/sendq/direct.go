package sendq

import (
	"net"
	"syscall"

	"github.com/gortmp/rtmp/codec/chunk"
)

// directWriter writes to a TCP socket without ever blocking: one write
// system call that takes what the kernel's send buffer has room for. A
// relay fanning a message out to many players calls it from the
// publisher's goroutine, so a player that keeps up costs one system call
// per message and no goroutine switch. Only one write is in flight per
// connection (Queue.busy), which lets the callback and its results
// live in the struct instead of a closure allocated per call.
type directWriter struct {
	rc  syscall.RawConn
	fn  func(fd uintptr) bool
	b   []byte
	n   int
	err error
	// vfn and iov are writev's callback and buffers (see Merger).
	vfn func(fd uintptr) bool
	iov []syscall.Iovec
	// headers are the chunk headers of the message writeGather writes.
	headers [chunk.MaxSharedHeaders]byte
}

// newDirectWriter returns a writer for a plain TCP connection, or nil for
// anything else (TLS must go through its own record layer).
func newDirectWriter(c net.Conn) *directWriter {
	rc := PlainTCP(c)
	if rc == nil {
		return nil
	}
	d := &directWriter{rc: rc}
	d.fn, d.vfn = d.once, d.oncev
	return d
}

// PlainTCP returns the raw socket of a plain TCP connection, whose system
// calls the driver may make itself, or nil for anything else.
func PlainTCP(c net.Conn) syscall.RawConn {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return nil
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return nil
	}
	return rc
}

// once is the RawConn callback: one attempt, done whatever its result
// (returning true tells the runtime not to wait for room).
func (d *directWriter) once(fd uintptr) bool {
	for {
		d.n, d.err = rawWrite(fd, d.b)
		if d.err != syscall.EINTR {
			return true
		}
	}
}

// write returns how many bytes of b the socket took: all of them, some
// when its buffer filled, or none when it is full, closed or failed (the
// writer goroutine then meets the same condition and handles it).
func (d *directWriter) write(b []byte) int {
	d.b = b
	err := d.rc.Write(d.fn)
	d.b = nil
	if err != nil || d.err != nil || d.n < 0 {
		return 0
	}
	return d.n
}
