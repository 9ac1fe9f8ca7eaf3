package driver

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// The reader hands over every byte the peer wrote, in order, whether it
// reads into borrowed buffers (a small connection) or its own (one whose
// reads filled the initial buffer), then the peer's end as io.EOF. A new
// connection's reads borrow; a borrowed buffer is always the initial size,
// and an own one the maximum.
func TestReaderHandsOverBytesInOrder(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	rapid.Check(t, func(t *rapid.T) {
		sizes := rapid.SliceOfN(rapid.IntRange(1, 6000), 1, 12).Draw(t, "sizes")
		max := rapid.SampledFrom([]int{1024, initialReadBuffer, 4096, 64 << 10}).Draw(t, "max")
		conn, peer := smallBufferPair(t, ln)
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

		r := newReader(conn, 5*time.Second, max)
		go r.run()
		defer r.stop()
		var got []byte
		borrowed := 0
		for {
			rd := <-r.reads
			if rd.borrowed {
				borrowed++
			}
			if rd.borrowed && cap(rd.b) != initialReadBuffer {
				t.Fatalf("a borrowed buffer of %d bytes", cap(rd.b))
			}
			if !rd.borrowed && rd.b != nil && cap(rd.b) != min(initialReadBuffer, max) && cap(rd.b) != max {
				t.Fatalf("an own buffer of %d bytes, with a maximum of %d", cap(rd.b), max)
			}
			got = append(got, rd.b...)
			r.release(rd)
			if rd.err != nil {
				if !errors.Is(rd.err, io.EOF) {
					t.Fatalf("reading ended with %v, want io.EOF", rd.err)
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
	conn, peer := smallBufferPair(t, ln)
	defer peer.Close()
	b := newBorrowingRead(conn)
	if b == nil {
		t.Fatal("no borrowing read for a TCP connection")
	}

	conn.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	buf, err := b.read()
	var ne net.Error
	if buf != nil || !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("after the deadline: %d bytes, %v; want a timeout", len(buf), err)
	}

	conn.SetReadDeadline(time.Time{})
	go func() {
		time.Sleep(50 * time.Millisecond)
		conn.Close()
	}()
	if buf, err := b.read(); buf != nil || !errors.Is(err, net.ErrClosed) {
		t.Fatalf("closed while waiting: %d bytes, %v; want net.ErrClosed", len(buf), err)
	}
}
