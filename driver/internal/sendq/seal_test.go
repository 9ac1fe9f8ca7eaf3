package sendq

import (
	"bytes"
	"crypto/rc4"
	"io"
	"net"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/internal/testkit"
	"pgregory.net/rapid"
)

// On an RTMPE connection the writer gets, over any split into items and
// takes, the plain bytes of the handshake's answer and then the RC4
// stream of everything after, in queue order; the queued slices, which
// relayed media shares with other connections, stay as they were.
func TestQueueSealsAfterPlainBytes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		key := rapid.SliceOfN(rapid.Byte(), 1, 32).Draw(t, "key")
		plain := rapid.IntRange(0, 64).Draw(t, "plain")
		parts := rapid.SliceOfN(rapid.SliceOfN(rapid.Byte(), 0, 50), 1, 12).Draw(t, "items")
		takeAfter := rapid.SliceOfN(rapid.Bool(), len(parts), len(parts)).Draw(t, "take after")

		c, _ := rc4.NewCipher(key)
		q := New(1 << 20)
		q.EncryptAfter(plain, c)
		var queued, got [][]byte
		var all []byte
		for i, p := range parts {
			q.PushMediaAt(p, 0, len(p), nil)
			queued = append(queued, bytes.Clone(p))
			all = append(all, p...)
			if takeAfter[i] {
				// As the writer: a batch is written before the next
				// take, which may reuse its buffer.
				items, _ := q.take(nil)
				for _, it := range items {
					got = append(got, bytes.Clone(it.b))
				}
				q.written()
			}
		}
		items, _ := q.take(nil)
		for _, it := range items {
			got = append(got, it.b)
		}

		want := bytes.Clone(all)
		ref, _ := rc4.NewCipher(key)
		if plain < len(want) {
			ref.XORKeyStream(want[plain:], want[plain:])
		}
		if g := bytes.Join(got, nil); !bytes.Equal(g, want) {
			t.Fatalf("writer got %x, want %x", g, want)
		}
		for i, p := range parts {
			if !bytes.Equal(p, queued[i]) {
				t.Fatalf("queued item %d changed: %x, was %x", i, p, queued[i])
			}
		}
	})
}

// Direct writes on an RTMPE connection encrypt too, in stream order with
// what the writer takes, whatever the socket accepts of each: the peer
// reads the plain bytes, then one unbroken RC4 stream. The peer reads
// nothing until every push is made, and the socket buffers are small, so
// direct writes fall short and leave encrypted rests to the writer.
func TestQueueSealsDirectWrites(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	short := 0
	rapid.Check(t, func(t *rapid.T) {
		key := rapid.SliceOfN(rapid.Byte(), 1, 32).Draw(t, "key")
		plain := rapid.IntRange(0, 64).Draw(t, "plain")
		sizes := rapid.SliceOfN(rapid.IntRange(1, 8000), 1, 20).Draw(t, "push sizes")
		takeAfter := rapid.SliceOfN(rapid.Bool(), len(sizes), len(sizes)).Draw(t, "take after")
		parts := make([][]byte, len(sizes))
		for i, n := range sizes {
			parts[i] = make([]byte, n)
			for j := range parts[i] {
				parts[i][j] = byte(i*131 + j*7)
			}
		}

		conn, peer := testkit.SmallBufferPair(t, ln)
		defer conn.Close()
		defer peer.Close()
		var all []byte
		for _, p := range parts {
			all = append(all, p...)
		}
		startReading := make(chan struct{})
		got := make(chan []byte, 1)
		go func() {
			<-startReading
			b := make([]byte, len(all))
			if _, err := io.ReadFull(peer, b); err != nil {
				b = nil
			}
			got <- b
		}()

		c, _ := rc4.NewCipher(key)
		q := New(1 << 20)
		q.direct = newDirectWriter(conn)
		q.EncryptAfter(plain, c)
		// The writer, as WriteLoop: one batch at a time, in a goroutine of
		// its own, since it may wait for the peer to read.
		busy := make(chan struct{}, 1)
		writeBatch := func() {
			defer func() { <-busy }()
			items, _ := q.take(nil)
			for _, it := range items {
				conn.Write(it.b)
			}
			q.written()
		}
		for i, p := range parts {
			q.PushMediaAt(bytes.Clone(p), 0, len(p), nil)
			q.mu.Lock()
			if len(q.items) > 0 && q.items[0].sealed {
				short++
			}
			q.mu.Unlock()
			if takeAfter[i] {
				select {
				case busy <- struct{}{}:
					go writeBatch()
				default: // a batch is still being written
				}
			}
		}
		close(startReading)
		busy <- struct{}{}
		writeBatch()

		want := bytes.Clone(all)
		ref, _ := rc4.NewCipher(key)
		if plain < len(want) {
			ref.XORKeyStream(want[plain:], want[plain:])
		}
		select {
		case g := <-got:
			if !bytes.Equal(g, want) {
				t.Fatalf("peer read %d bytes that differ from the stream's %d", len(g), len(want))
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the peer did not get every byte")
		}
	})
	if short == 0 {
		t.Error("no direct write fell short: the rests were not tested")
	}
}
