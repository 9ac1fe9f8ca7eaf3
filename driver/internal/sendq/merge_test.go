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

// A merging queue writes nothing of the media offered to it until its
// merger flushes, then writes all of it in one write, in order, and
// acknowledges each message once.
func TestMergedMediaWaitsForTheFlushAndLeavesInOneWrite(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conn, peer := testkit.SmallBufferPair(t, ln)
	defer conn.Close()
	defer peer.Close()
	conn.(*net.TCPConn).SetWriteBuffer(1 << 20)

	m := NewMerger(time.Hour)
	q := New(1 << 20)
	q.WriteDirectlyTo(conn)
	q.WriteLazily(conn, 5*time.Second, nil)
	var writes atomic.Int32
	q.OnSent(func(int) { writes.Add(1) })
	q.MergeInto(m)

	var all []byte
	var acked atomic.Int64
	for i := range 20 {
		b := bytes.Repeat([]byte{byte(i)}, 100+i)
		all = append(all, b...)
		if !q.PushMedia(b, len(b), func(cost int) { acked.Add(int64(cost)) }) {
			t.Fatalf("message %d refused", i)
		}
	}
	if got := q.Queued(); got != len(all) {
		t.Fatalf("%d bytes queued before the flush, want all %d", got, len(all))
	}
	if n := writes.Load(); n != 0 || acked.Load() != 0 {
		t.Fatalf("before the flush: %d writes, %d bytes acknowledged", n, acked.Load())
	}
	m.Flush()
	got := make([]byte, len(all))
	peer.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(peer, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, all) {
		t.Fatal("the flush wrote other bytes than those offered")
	}
	if n := writes.Load(); n != 1 {
		t.Errorf("the flush made %d writes, want 1", n)
	}
	if n := acked.Load(); n != int64(len(all)) {
		t.Errorf("%d bytes acknowledged, want %d", n, len(all))
	}
	if n := q.Queued(); n != 0 {
		t.Errorf("%d bytes still queued", n)
	}
}

// Whatever mix of held media, session output, notices, flushes and holds
// a merging queue is given, on a socket small enough for flushes to fall
// short: the peer reads every byte in the order offered; session output
// and notices take the media held before them out with them at once
// (the peer can read everything up to them without a flush), as does a
// flush, and the end of a hold lets out what had to go meanwhile; and each
// message is acknowledged exactly once with its cost.
func TestMergedQueueKeepsOrderAndHoldsNothingPastOutput(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	rapid.Check(t, func(t *rapid.T) {
		const (
			media = iota
			session
			notice
			flush
			toggleHold
		)
		// Media most often, so that flushes carry more than the small
		// socket buffer takes.
		ops := rapid.SliceOfN(rapid.SampledFrom([]int{media, media, media, media, session, notice, flush, toggleHold}), 1, 60).Draw(t, "ops")
		sizes := rapid.SliceOfN(rapid.IntRange(1, 30000), len(ops), len(ops)).Draw(t, "sizes")
		conn, peer := testkit.SmallBufferPair(t, ln)
		defer conn.Close()
		defer peer.Close()

		m := NewMerger(time.Hour)
		q := New(1 << 20)
		q.WriteDirectlyTo(conn)
		done := q.WriteLazily(conn, 5*time.Second, nil)
		q.MergeInto(m)

		var all []byte
		read := 0
		readUpTo := func(n int) {
			got := make([]byte, n-read)
			peer.SetReadDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.ReadFull(peer, got); err != nil {
				t.Fatalf("reading bytes %d to %d: %v", read, n, err)
			}
			if !bytes.Equal(got, all[read:n]) {
				t.Fatalf("bytes %d to %d differ from those offered", read, n)
			}
			read = n
		}
		var acked, costs int64
		var ackedCount atomic.Int64
		var ackedBytes atomic.Int64
		held := false
		// mustGo is how many bytes must leave once nothing holds the
		// queue: everything up to the last output, notice or flush.
		mustGo := 0
		for i, op := range ops {
			b := bytes.Repeat([]byte{byte(i + 1)}, sizes[i])
			switch op {
			case media:
				all = append(all, b...)
				costs += int64(len(b))
				acked++
				q.PushMedia(b, len(b), func(cost int) { ackedCount.Add(1); ackedBytes.Add(int64(cost)) })
			case session:
				all = append(all, b...)
				q.PushSized(b, 0)
				mustGo = len(all)
			case notice:
				all = append(all, b...)
				if !q.PushAt(b, q.chunkSize) {
					t.Fatal("a notice cut at the queue's chunk size was refused")
				}
				mustGo = len(all)
			case flush:
				m.Flush()
				mustGo = len(all)
			case toggleHold:
				if held {
					q.Release()
				} else {
					q.Hold()
				}
				held = !held
			}
			if !held && op != media {
				// The end of a hold lets out what had to go, and leaves
				// media offered since for the next flush.
				readUpTo(mustGo)
			}
		}
		if held {
			q.Release()
		}
		m.Flush()
		readUpTo(len(all))
		for deadline := time.Now().Add(5 * time.Second); ackedCount.Load() < acked; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d messages acknowledged", ackedCount.Load(), acked)
			}
		}
		if ackedCount.Load() != acked || ackedBytes.Load() != costs {
			t.Fatalf("acknowledged %d messages, %d bytes; want %d, %d", ackedCount.Load(), ackedBytes.Load(), acked, costs)
		}
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

// A queue the merger cannot write itself (not plain TCP: TLS, RTMPT)
// holds its media the same way, and its flush wakes its writer, which
// writes what is held, in order.
func TestMergedQueueWithoutDirectWritesFlushesThroughItsWriter(t *testing.T) {
	conn, peer := net.Pipe()
	defer conn.Close()
	defer peer.Close()
	m := NewMerger(time.Hour)
	q := New(1 << 20)
	q.WriteLazily(conn, 5*time.Second, nil)
	q.MergeInto(m)
	var all []byte
	for i := range 5 {
		b := bytes.Repeat([]byte{byte(i + 1)}, 300)
		all = append(all, b...)
		q.PushMedia(b, len(b), nil)
	}
	peer.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if n, err := peer.Read(make([]byte, 1)); n != 0 || err == nil {
		t.Fatalf("read %d bytes before the flush", n)
	}
	m.Flush()
	got := make([]byte, len(all))
	peer.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(peer, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, all) {
		t.Fatal("the writer wrote other bytes than those held")
	}
}

// The merger starts each flush a period after the last began, less the
// time the last took and a margin: a queue whose turn comes later in a
// longer flush still waits at most the period. A flush that takes long
// leaves a quarter of the period to gather the next.
func TestUntilNextFlush(t *testing.T) {
	const ms = time.Millisecond
	for _, c := range []struct{ period, took, want time.Duration }{
		{350 * ms, 0, 330 * ms},
		{350 * ms, 10 * ms, 310 * ms},
		{100 * ms, 0, 93750 * time.Microsecond},
		{100 * ms, 20 * ms, 53750 * time.Microsecond},
		{100 * ms, 40 * ms, 25 * ms},
		{100 * ms, 300 * ms, 25 * ms},
		{time.Hour, 0, time.Hour - flushMargin},
	} {
		if got := untilNextFlush(c.period, c.took); got != c.want {
			t.Errorf("period %v, flush took %v: next in %v, want %v", c.period, c.took, got, c.want)
		}
		// From the start of one flush to the start of the next.
		if c.took <= c.period/4 {
			if between := c.took + untilNextFlush(c.period, c.took); between+c.took > c.period {
				t.Errorf("period %v, flush took %v: %v between starts, plus a turn as late, passes the period", c.period, c.took, between)
			}
		}
	}
}

// The end of a hold lets out what had to go meanwhile, not the media
// held for the merger; a flush that falls within a hold is carried out
// when the hold ends.
func TestHoldEndsWithoutFlushingMergedMedia(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	conn, peer := testkit.SmallBufferPair(t, ln)
	defer conn.Close()
	defer peer.Close()
	m := NewMerger(time.Hour)
	q := New(1 << 20)
	q.WriteDirectlyTo(conn)
	q.WriteLazily(conn, 5*time.Second, nil)
	q.MergeInto(m)
	all := bytes.Repeat([]byte{7}, 500)
	q.PushMedia(all, len(all), nil)
	q.Hold()
	q.Release()
	// The writer would have taken it at once; give it the chance.
	peer.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if n, _ := peer.Read(make([]byte, 1)); n != 0 {
		t.Fatal("the end of a hold let held media out")
	}
	if got := q.Queued(); got != len(all) {
		t.Fatalf("%d bytes queued after the hold, want %d", got, len(all))
	}
	q.Hold()
	m.Flush()
	peer.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
	if n, _ := peer.Read(make([]byte, 1)); n != 0 {
		t.Fatal("a flush wrote while the queue was held")
	}
	q.Release()
	got := make([]byte, len(all))
	peer.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.ReadFull(peer, got); err != nil {
		t.Fatalf("the flush due during the hold did not happen at its end: %v", err)
	}
}
