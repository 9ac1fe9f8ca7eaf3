package sendq

import (
	"bytes"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/internal/testkit"
	"pgregory.net/rapid"
)

// framed is what a gathered message stands for, in one buffer.
func (g *Gather) framed() []byte {
	out := append([]byte(nil), g.First()...)
	for i := 0; i < len(g.Payload); i += g.Size {
		if i > 0 {
			out = append(out, g.Cont()...)
		}
		out = append(out, g.Payload[i:min(i+g.Size, len(g.Payload))]...)
	}
	return out
}

// pushGathered offers g as the driver's Conn.QueueFrame does: gathered
// when the queue takes it so, the rest or the whole framed otherwise.
// between, if not nil, is session output another goroutine pushes while
// a partly written message's rest is not back yet; it reports whether it
// was pushed.
func pushGathered(q *Queue, g *Gather, cost int, ack func(int), between []byte) (ok, pushedBetween bool) {
	switch res, n := q.PushMediaGathered(g, q.chunkSizeNow()); res {
	case GatherRefused:
		return false, false
	case GatherWritten:
		if ack != nil {
			ack(cost)
		}
		return true, false
	case GatherPartly:
		if between != nil {
			q.PushSized(between, 0)
		}
		q.PushRest(g.framed()[n:], cost, ack)
		return true, between != nil
	}
	return q.PushMedia(g.framed(), cost, ack), false
}

func (q *Queue) chunkSizeNow() uint32 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.chunkSize
}

// Messages written from their parts arrive as their framed bytes would,
// in order with session output and framed media, whether the socket takes
// them whole, in part (a small socket buffer the peer does not read yet)
// or not at all, and while the queue is held; each message's ack runs
// once; a message with more chunks than one writev should carry is not
// gathered.
func TestGatheredMessagesArriveInOrder(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	rapid.Check(t, func(t *rapid.T) {
		steps := rapid.IntRange(1, 20).Draw(t, "steps")
		conn, peer := testkit.SmallBufferPair(t, ln)
		defer conn.Close()
		defer peer.Close()

		q := New(1 << 22)
		q.direct = newDirectWriter(conn)
		done := q.WriteLazily(conn, 5*time.Second, nil)
		var all []byte
		var acks atomic.Int64
		wantAcks := int64(0)
		held := false
		for i := range steps {
			if rapid.Bool().Draw(t, "toggle hold") {
				if held {
					q.Release()
				} else {
					q.Hold()
				}
				held = !held
			}
			fill := byte(i)
			switch rapid.IntRange(0, 2).Draw(t, "kind") {
			case 0:
				b := bytes.Repeat([]byte{fill}, rapid.IntRange(1, 3000).Draw(t, "output"))
				all = append(all, b...)
				q.PushSized(b, 0)
			case 1:
				b := bytes.Repeat([]byte{fill}, rapid.IntRange(1, 3000).Draw(t, "media"))
				all = append(all, b...)
				q.PushMedia(b, 1, func(int) { acks.Add(1) })
				wantAcks++
			default:
				g := &Gather{
					Payload: bytes.Repeat([]byte{fill}, rapid.IntRange(0, 40000).Draw(t, "payload")),
					Size:    rapid.SampledFrom([]int{128, 600, 4096}).Draw(t, "size"),
				}
				g.SetHeaders(bytes.Repeat([]byte{0xF0 | fill&0xF}, rapid.IntRange(1, 16).Draw(t, "first")),
					bytes.Repeat([]byte{0xC0 | fill&0xF}, rapid.IntRange(1, 5).Draw(t, "cont")))
				if g.Len() != len(g.framed()) {
					t.Fatalf("Len %d, framed %d bytes", g.Len(), len(g.framed()))
				}
				between := []byte("session output meanwhile")
				ok, pushed := pushGathered(q, g, 1, func(int) { acks.Add(1) }, between)
				if !ok {
					t.Fatal("the queue refused a gathered message within its bound")
				}
				all = append(all, g.framed()...)
				if pushed {
					all = append(all, between...)
				}
				wantAcks++
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
			t.Fatal("the peer read other bytes than were pushed, or in another order")
		}
		waitLazy(t, q, func(w *lazyWriter) bool { return !w.on })
		q.Close()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("closing reported nothing")
		}
		if acks.Load() != wantAcks {
			t.Fatalf("%d acks for %d media messages", acks.Load(), wantAcks)
		}
	})
}

func TestGatherFitsOneWritev(t *testing.T) {
	g := Gather{Size: 128}
	if !g.SetHeaders([]byte{1}, []byte{2}) {
		t.Fatal("two bytes of headers do not fit")
	}
	if g.SetHeaders(make([]byte, 20), make([]byte, 20)) {
		t.Error("headers longer than chunk.MaxSharedHeaders fit")
	}
	g.Payload = make([]byte, maxGatherChunks*128)
	if !g.fits() {
		t.Error("a message of maxGatherChunks chunks does not fit")
	}
	g.Payload = make([]byte, maxGatherChunks*128+1)
	if g.fits() {
		t.Error("a message of more chunks fits")
	}
	q := New(1 << 20)
	if res, _ := q.PushMediaGathered(&g, q.chunkSize); res != GatherNotTried {
		t.Errorf("a queue without a direct writer: %v, want GatherNotTried", res)
	}
}
