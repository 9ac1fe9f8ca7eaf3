package driver

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// A queue with a lazy writer delivers every byte in order, whatever mix of
// session output and media (direct writes, some falling short on a small
// socket buffer while the peer does not read yet) it is given, and
// however it is held and released meanwhile; while it is held, what is
// pushed stays queued; no writer goroutine is left running once
// everything is written; and closing reports nil on done once the queue
// drained.
func TestLazyWriterDeliversInOrder(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	rapid.Check(t, func(t *rapid.T) {
		sizes := rapid.SliceOfN(rapid.IntRange(1, 8000), 1, 20).Draw(t, "sizes")
		session := rapid.SliceOfN(rapid.Bool(), len(sizes), len(sizes)).Draw(t, "session output")
		toggles := rapid.SliceOfN(rapid.Bool(), len(sizes), len(sizes)).Draw(t, "hold or release before")
		conn, peer := smallBufferPair(t, ln)
		defer conn.Close()
		defer peer.Close()

		q := newSendQueue(1 << 20)
		q.direct = newDirectWriter(conn)
		done := q.writeLazily(conn, 5*time.Second, nil)
		var all []byte
		held, heldBytes := false, 0
		for i, n := range sizes {
			if toggles[i] {
				if held {
					q.release()
				} else {
					q.hold()
				}
				held, heldBytes = !held, 0
			}
			b := bytes.Repeat([]byte{byte(i)}, n)
			all = append(all, b...)
			if session[i] {
				q.pushSized(b, 0)
			} else {
				q.pushMedia(b, n, nil)
			}
			if held {
				heldBytes += n
				if q.queued() < heldBytes {
					t.Fatalf("held, %d bytes pushed and only %d queued", heldBytes, q.queued())
				}
			}
		}
		if held {
			q.release()
		}
		got := make([]byte, len(all))
		if _, err := io.ReadFull(peer, got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, all) {
			t.Fatal("the peer read the bytes out of order")
		}
		waitLazy(t, q, func(w *lazyWriter) bool { return !w.on })
		q.close()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("done: %v after a clean close", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("closing reported nothing")
		}
	})
}

// A write that fails is reported on done, once, then to the failed
// callback, and the queue takes no more.
func TestLazyWriterReportsAWriteError(t *testing.T) {
	a, b := net.Pipe()
	b.Close()
	q := newSendQueue(1 << 20)
	failed := make(chan struct{}, 2)
	done := q.writeLazily(a, time.Second, func() { failed <- struct{}{} })
	q.pushSized([]byte("hello"), 0)
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("a failed write reported nil")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the failed write was not reported")
	}
	select {
	case <-failed:
	case <-time.After(5 * time.Second):
		t.Fatal("the failed callback was not called")
	}
	q.pushSized([]byte("more"), 0)
	q.close()
	select {
	case err := <-done:
		t.Fatalf("done reported twice: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	if n := q.queued(); n != 0 {
		t.Errorf("%d bytes queued after the failure", n)
	}
	if len(failed) != 0 {
		t.Error("the failed callback was called twice")
	}
}

// smallBufferPair connects a socket to ln and returns the accepted end,
// whose send buffer is small, and the dialled end, whose receive buffer is
// small: writes fall short as soon as the peer stops reading.
func smallBufferPair(t interface{ Fatal(...any) }, ln net.Listener) (conn, peer net.Conn) {
	peer, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	conn, err = ln.Accept()
	if err != nil {
		peer.Close()
		t.Fatal(err)
	}
	conn.(*net.TCPConn).SetWriteBuffer(4096)
	peer.(*net.TCPConn).SetReadBuffer(4096)
	return conn, peer
}

func waitLazy(t *rapid.T, q *sendQueue, cond func(*lazyWriter) bool) {
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		q.mu.Lock()
		ok := cond(q.lazy)
		q.mu.Unlock()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the lazy writer did not reach the state")
		}
	}
}
