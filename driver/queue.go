package driver

import (
	"net"
	"sync"
	"time"
)

// item is one run of bytes waiting to be written.
type item struct {
	b []byte
	// ack, if set, is called with cost once b is written: a relay learns
	// that its player's queue drained.
	ack  func(cost int)
	cost int
}

// sendQueue holds a connection's outbound bytes between the goroutines
// that produce them (the connection's loop, a publisher fanning out media)
// and the writer goroutine. It is bounded for media only: session output
// must never be dropped, or the peer's view of the protocol breaks.
type sendQueue struct {
	mu      sync.Mutex
	items   []item
	bytes   int
	limit   int
	closing bool // no more input; the writer drains and stops
	wake    chan struct{}
}

func newSendQueue(limit int) *sendQueue {
	return &sendQueue{limit: limit, wake: make(chan struct{}, 1)}
}

func (q *sendQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// push queues session output, which is never refused.
func (q *sendQueue) push(b []byte) {
	if len(b) == 0 {
		return
	}
	q.mu.Lock()
	if !q.closing {
		q.items = append(q.items, item{b: b})
		q.bytes += len(b)
	}
	q.mu.Unlock()
	q.signal()
}

// pushMedia queues droppable bytes unless the queue is over its bound or
// closing, and reports whether it did.
func (q *sendQueue) pushMedia(b []byte, cost int, ack func(int)) bool {
	q.mu.Lock()
	ok := !q.closing && q.bytes+len(b) <= q.limit
	if ok {
		q.items = append(q.items, item{b: b, ack: ack, cost: cost})
		q.bytes += len(b)
	}
	q.mu.Unlock()
	if ok {
		q.signal()
	}
	return ok
}

// close stops input; the writer writes what is queued and stops.
func (q *sendQueue) close() {
	q.mu.Lock()
	q.closing = true
	q.mu.Unlock()
	q.signal()
}

// queued returns the bytes waiting.
func (q *sendQueue) queued() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.bytes
}

// take swaps the waiting items out, giving back spare for reuse.
func (q *sendQueue) take(spare []item) (items []item, closing bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	items, q.items = q.items, spare[:0]
	for _, it := range items {
		q.bytes -= len(it.b)
	}
	return items, q.closing
}

// writeLoop is the writer goroutine: it writes whatever is queued in one
// vectored write (net.Buffers uses writev on TCP), so batching happens by
// itself when the socket is slower than the producers, and nothing is ever
// held back to wait for more. It returns nil once the queue is closed and
// drained, or the first write error.
func writeLoop(conn net.Conn, q *sendQueue, timeout time.Duration, sent func(n int)) error {
	var items, spare []item
	var bufs net.Buffers
	for {
		var closing bool
		items, closing = q.take(spare)
		if len(items) == 0 {
			if closing {
				return nil
			}
			<-q.wake
			spare = items
			continue
		}
		bufs = bufs[:0]
		for _, it := range items {
			bufs = append(bufs, it.b)
		}
		conn.SetWriteDeadline(time.Now().Add(timeout))
		toWrite := bufs // WriteTo consumes its receiver
		n, err := toWrite.WriteTo(conn)
		sent(int(n))
		if err != nil {
			return err
		}
		for i, it := range items {
			if it.ack != nil {
				it.ack(it.cost)
			}
			items[i] = item{}
		}
		clear(bufs)
		spare = items
	}
}
