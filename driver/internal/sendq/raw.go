package sendq

import (
	"syscall"
	"unsafe"
)

// The driver's reads and writes on plain TCP sockets are non-blocking
// (the runtime's poller waits for readiness), so they return in
// microseconds, and are made as raw system calls: without telling the
// scheduler a system call began. A call the scheduler is told of and that
// lasts past its monitor's tick (20 µs; a loopback write runs the
// receiver's TCP input too, and often does) has its processor handed to
// another thread, which is woken for it (a futex) and soon parks again:
// per message, on a publisher's read and on each player's write. Raw, the
// goroutine keeps its processor for the few microseconds the call takes.

// RawRead reads from a non-blocking socket into b.
func RawRead(fd uintptr, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, _, errno := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if errno != 0 {
		return -1, errno
	}
	return int(n), nil
}

// rawWrite writes b to a non-blocking socket.
func rawWrite(fd uintptr, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, _, errno := syscall.RawSyscall(syscall.SYS_WRITE, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	if errno != 0 {
		return -1, errno
	}
	return int(n), nil
}

// rawWritev writes the buffers of iov, which must not be empty, to a
// non-blocking socket.
func rawWritev(fd uintptr, iov []syscall.Iovec) (int, error) {
	n, _, errno := syscall.RawSyscall(syscall.SYS_WRITEV, fd, uintptr(unsafe.Pointer(&iov[0])), uintptr(len(iov)))
	if errno != 0 {
		return -1, errno
	}
	return int(n), nil
}
