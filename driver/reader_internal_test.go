package driver

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/internal/testkit"
	"pgregory.net/rapid"
)

// The reader returns every byte the peer wrote, in order, whether it reads
// into borrowed buffers (a small connection) or its own (one whose reads
// filled the initial buffer), then the peer's end as io.EOF. A new
// connection's reads borrow, and give the buffer back on release; an own
// buffer is the initial size or the maximum.
func TestReaderHandsOverBytesInOrder(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	rapid.Check(t, func(t *rapid.T) {
		sizes := rapid.SliceOfN(rapid.IntRange(1, 6000), 1, 12).Draw(t, "sizes")
		max := rapid.SampledFrom([]int{1024, initialReadBuffer, 4096, 64 << 10}).Draw(t, "max")
		conn, peer := testkit.SmallBufferPair(t, ln)
		defer conn.Close()

		var want []byte
		for i, n := range sizes {
			want = append(want, bytes.Repeat([]byte{byte(i + 1)}, n)...)
		}
		go func() {
			rest := want
			for _, n := range sizes {
				peer.Write(rest[:n])
				rest = rest[n:]
			}
			peer.Close()
		}()

		r := newConnReader(conn, max)
		var got []byte
		borrowed := 0
		for {
			b, err := r.read()
			if r.lent != nil {
				borrowed++
				if &b[0] != &r.lent[0] {
					t.Fatal("the bytes are not in the buffer lent")
				}
			} else if len(b) > 0 && cap(b) != min(initialReadBuffer, max) && cap(b) != max {
				t.Fatalf("an own buffer of %d bytes, with a maximum of %d", cap(b), max)
			}
			got = append(got, b...)
			r.release()
			if r.lent != nil {
				t.Fatal("a lent buffer kept after release")
			}
			if err != nil {
				if !errors.Is(err, io.EOF) {
					t.Fatalf("reading ended with %v, want io.EOF", err)
				}
				break
			}
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("got %d bytes, want the %d written, in order", len(got), len(want))
		}
		if borrowed == 0 && max > initialReadBuffer {
			t.Fatal("a new connection's first read did not borrow its buffer")
		}
	})
}

// A borrowing read ends with what net.Conn.Read would say: the deadline
// passing, or the socket closed while it waits.
func TestBorrowingReadErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conn, peer := testkit.SmallBufferPair(t, ln)
	defer peer.Close()
	b := newBorrowingRead(conn)
	if b == nil {
		t.Fatal("no borrowing read for a TCP connection")
	}

	conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	buf, _, err := b.read()
	var ne net.Error
	if buf != nil || !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("after the deadline: %v; want a timeout", err)
	}

	conn.SetReadDeadline(time.Time{})
	go func() {
		time.Sleep(50 * time.Millisecond)
		conn.Close()
	}()
	if buf, _, err := b.read(); buf != nil || !errors.Is(err, net.ErrClosed) {
		t.Fatalf("closed while waiting: %v; want net.ErrClosed", err)
	}
}
