package sendq

import (
	"bytes"
	"io"
	"net"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/internal/testkit"
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
		conn, peer := testkit.SmallBufferPair(t, ln)
		defer conn.Close()
		defer peer.Close()

		q := New(1 << 20)
		q.direct = newDirectWriter(conn)
		done := q.WriteLazily(conn, 5*time.Second, nil)
		var all []byte
		held, heldBytes := false, 0
		for i, n := range sizes {
			if toggles[i] {
				if held {
					q.Release()
				} else {
					q.Hold()
				}
				held, heldBytes = !held, 0
			}
			b := bytes.Repeat([]byte{byte(i)}, n)
			all = append(all, b...)
			if session[i] {
				q.PushSized(b, 0)
			} else {
				q.PushMedia(b, n, nil)
			}
			if held {
				heldBytes += n
				if q.Queued() < heldBytes {
					t.Fatalf("held, %d bytes pushed and only %d queued", heldBytes, q.Queued())
				}
			}
		}
		if held {
			q.Release()
		}
		got := make([]byte, len(all))
		if _, err := io.ReadFull(peer, got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, all) {
			t.Fatal("the peer read the bytes out of order")
		}
		waitLazy(t, q, func(w *lazyWriter) bool { return !w.on })
		q.Close()
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
	q := New(1 << 20)
	failed := make(chan struct{}, 2)
	done := q.WriteLazily(a, time.Second, func() { failed <- struct{}{} })
	q.PushSized([]byte("hello"), 0)
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
	q.PushSized([]byte("more"), 0)
	q.Close()
	select {
	case err := <-done:
		t.Fatalf("done reported twice: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	if n := q.Queued(); n != 0 {
		t.Errorf("%d bytes queued after the failure", n)
	}
	if len(failed) != 0 {
		t.Error("the failed callback was called twice")
	}
}

func waitLazy(t *rapid.T, q *Queue, cond func(*lazyWriter) bool) {
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
