package sendq

import "syscall"

// maxIovecs is how many buffers one writev takes (IOV_MAX on Linux).
const maxIovecs = 1024

// vecWriter is a merger goroutine's scratch for flushing one queue at a
// time: the items taken and their iovecs, kept from flush to flush so
// that no socket keeps an iovec array of its own (see maxWritev).
type vecWriter struct {
	items []item
	iov   []syscall.Iovec
}

// write writes w.items to d's socket in writev calls of up to maxIovecs
// buffers, stopping at the first the socket does not take whole. It
// returns the bytes written and the items not written whole, the first
// of them cut to what is left (a copy, so w.items keeps the originals'
// acks for the caller; rest aliases none of w.items' slots).
func (w *vecWriter) write(d *directWriter) (written int, rest []item) {
	items := w.items
	for len(items) > 0 {
		part := items[:min(len(items), maxIovecs)]
		w.iov = w.iov[:0]
		want := 0
		for _, it := range part {
			if len(it.b) == 0 {
				continue
			}
			var v syscall.Iovec
			v.Base = &it.b[0]
			v.SetLen(len(it.b))
			w.iov = append(w.iov, v)
			want += len(it.b)
		}
		n := 0
		if want > 0 {
			n = d.writev(w.iov)
		}
		clear(w.iov)
		written += n
		if n < want {
			return written, cutAfter(items, n)
		}
		items = items[len(part):]
	}
	return written, nil
}

// cutAfter returns copies of the items after the first n bytes of items,
// the first cut where those bytes end.
func cutAfter(items []item, n int) []item {
	i := 0
	for i < len(items) && n >= len(items[i].b) {
		n -= len(items[i].b)
		i++
	}
	rest := append([]item(nil), items[i:]...)
	if len(rest) > 0 {
		rest[0].b = rest[0].b[n:]
	}
	return rest
}

// writev is write for several buffers: one writev system call that takes
// what the socket's buffer has room for, never blocking.
func (d *directWriter) writev(iov []syscall.Iovec) int {
	d.iov = iov
	err := d.rc.Write(d.vfn)
	d.iov = nil
	if err != nil || d.err != nil || d.n < 0 {
		return 0
	}
	return d.n
}

// oncev is writev's RawConn callback.
func (d *directWriter) oncev(fd uintptr) bool {
	for {
		d.n, d.err = rawWritev(fd, d.iov)
		if d.err != syscall.EINTR {
			return true
		}
	}
}
