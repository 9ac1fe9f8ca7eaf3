package sendq

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/internal/testkit"
)

// A batch longer than maxWritev (a fast start: a group of pictures, one
// buffer a frame) arrives whole and in order, and leaves no iovec array
// of its length behind: the runtime keeps, per socket, one as long as the
// longest vectored write it made, and a fast start written in one writev
// left 2 to 4 KiB of it with every player for good.
func TestLongBatchLeavesNoLongIovecs(t *testing.T) {
	const conns, frames = 40, 250
	type pair struct{ conn, peer net.Conn }
	pairs := make([]pair, conns)
	for i := range pairs {
		pairs[i].peer, pairs[i].conn = testkit.LoopbackPair(t)
	}
	want := make([][]byte, frames)
	var all []byte
	for i := range want {
		want[i] = fmt.Appendf(nil, "frame %03d;", i)
		all = append(all, want[i]...)
	}
	got := make([]byte, len(all))
	acked := 0
	ack := func(cost int) { acked += cost }
	items := make([]item, frames)
	b := batchWriter{bufs: make(net.Buffers, 0, frames)}

	before := testkit.MemStats()
	for _, p := range pairs {
		for i := range items {
			items[i] = item{b: want[i], ack: ack, cost: 1}
		}
		if err := b.write(p.conn, New(1<<20), items, time.Second); err != nil {
			t.Fatal(err)
		}
		p.peer.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.ReadFull(p.peer, got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, all) {
			t.Fatalf("the peer read %q, want %q", got, all)
		}
	}
	after := testkit.MemStats()
	runtime.KeepAlive(pairs)

	if acked != conns*frames {
		t.Errorf("%d acknowledgements, want %d", acked, conns*frames)
	}
	// Sixteen iovecs are 256 bytes; 250 took 4 KiB.
	if per := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / conns; per > 1<<10 {
		t.Errorf("a connection kept %d B of heap after a batch of %d buffers, want at most 1 KiB", per, frames)
	}
}

// A fast start (a long run of frames queued while the player's step is
// held) is written by the lazy writer, which then ends; the queue keeps no
// item slice of that length for reuse, which every player held for good.
func TestQueueKeepsNoLongItemSlice(t *testing.T) {
	conn, peer := testkit.LoopbackPair(t)
	q := New(1 << 20)
	q.direct = newDirectWriter(conn)
	q.WriteLazily(conn, time.Second, nil)
	q.Hold()
	const frames = 200
	for i := range frames {
		q.PushMedia(fmt.Appendf(nil, "frame %03d;", i), 1, nil)
	}
	q.Release()
	got := make([]byte, frames*len("frame 000;"))
	peer.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(peer, got); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		q.mu.Lock()
		on, kept := q.lazy.on, cap(q.items)
		q.mu.Unlock()
		if !on {
			if kept >= frames {
				t.Errorf("the queue keeps room for %d items after a batch of %d", kept, frames)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the lazy writer did not end")
		}
	}
	// Short batches still reuse their slice.
	q.Hold()
	q.PushMedia([]byte("a"), 1, nil)
	q.PushMedia([]byte("b"), 1, nil)
	q.Release()
	if _, err := io.ReadFull(peer, got[:2]); err != nil || string(got[:2]) != "ab" {
		t.Fatalf("read %q, %v", got[:2], err)
	}
}
