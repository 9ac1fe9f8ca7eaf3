package sendq

import (
	"crypto/rc4"
	"net"
	"sync"
	"time"

	"github.com/gortmp/rtmp/codec/chunk"
)

// item is one run of bytes waiting to be written.
type item struct {
	b []byte
	// ack, if set, is called with cost once b is written: a relay learns
	// that its player's queue drained.
	ack  func(cost int)
	cost int
	// sealed: b is already encrypted (the rest of a direct write on an
	// RTMPE connection), and the writer takes it as it is.
	sealed bool
}

// Queue holds a connection's outbound bytes between the goroutines
// that produce them (the connection's loop, a publisher fanning out media)
// and the writer goroutine. It is bounded for media only: session output
// must never be dropped, or the peer's view of the protocol breaks.
//
// Media offered while nothing is queued or being written is written at
// once by the offering goroutine, without blocking (see directWriter):
// what the socket takes never wakes the writer goroutine, which saves a
// goroutine hand-off per message per player; the rest is queued.
type Queue struct {
	mu      sync.Mutex
	items   []item
	bytes   int
	limit   int
	closing bool // no more input; the writer drains and stops
	// busy is set while a write is in flight, by the writer or by a
	// direct write, so that bytes leave in the order they were queued.
	busy bool
	// held: the connection's loop is giving its handler the events of a
	// step whose output is queued, and nothing is written until it is done
	// (see Hold).
	held bool
	wake chan struct{}
	// chunkSize is the peer's inbound chunk size where the queue ends:
	// the size that bytes queued now must be cut at. It changes with the
	// session output that carries a Set Chunk Size (pushOutput), under
	// the same lock, so framed media can be checked against it.
	chunkSize uint32

	direct *directWriter // nil: everything goes through the writer
	sent   func(n int)

	// lazy, when set, is the writer goroutine started on demand (see
	// writeLazily); otherwise the owner runs WriteLoop.
	lazy *lazyWriter

	// merge, when set, is the merger whose flushes write the media
	// offered to the queue (see MergeInto); due: the queue is on its list
	// for the next flush.
	merge *Merger
	due   bool
	// urgent: something queued must be written now, not at the merger's
	// next flush: session output, a notice, media offered while not
	// merging, the rest of a write. The end of a hold and the end of a
	// direct write or a flush wake the writer only then, or when nothing
	// merges.
	urgent bool

	// seal, on an RTMPE connection, encrypts every byte the writer takes
	// after the first plainLeft (the handshake's answer), in queue order:
	// exactly once each, into a copy (sealBuf), since queued media is
	// shared.
	seal      *rc4.Cipher
	plainLeft int
	sealBuf   []byte
}

func New(limit int) *Queue {
	return &Queue{limit: limit, wake: make(chan struct{}, 1), sent: func(int) {}, chunkSize: chunk.DefaultChunkSize}
}

func (q *Queue) signal() {
	if q.lazy != nil {
		q.kick()
		return
	}
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// pushSized queues session output, which is never refused, after which
// the peer reads chunks of chunkSize (0: unchanged). It reports whether
// the queue is now past twice its bound: the peer is too slow even for
// what may not be dropped.
func (q *Queue) PushSized(b []byte, chunkSize uint32) (over bool) {
	q.mu.Lock()
	if chunkSize != 0 {
		q.chunkSize = chunkSize
	}
	if !q.closing && len(b) > 0 {
		q.items = append(q.items, item{b: b})
		q.bytes += len(b)
		q.urgent = true
	}
	over = q.bytes > 2*q.limit
	q.mu.Unlock()
	if len(b) > 0 {
		q.signal()
	}
	return over
}

// pushAt queues bytes cut at chunkSize, never refused, unless the chunk
// size in effect at the end of the queue is another: then it reports
// false and the caller cuts them again.
func (q *Queue) PushAt(b []byte, chunkSize uint32) bool {
	q.mu.Lock()
	if q.chunkSize != chunkSize {
		q.mu.Unlock()
		return false
	}
	if !q.closing {
		q.items = append(q.items, item{b: b})
		q.bytes += len(b)
		q.urgent = true
	}
	q.mu.Unlock()
	q.signal()
	return true
}

// pushMedia writes or queues droppable bytes unless the queue is over its
// bound or closing, and reports whether it took them. ack may run before
// pushMedia returns, on the caller's goroutine.
func (q *Queue) PushMedia(b []byte, cost int, ack func(int)) bool {
	ok, _ := q.PushMediaAt(b, 0, cost, ack)
	return ok
}

// pushMediaAt is pushMedia for bytes cut at chunkSize (0: not checked):
// stale reports that the chunk size in effect at the end of the queue is
// another, and nothing was taken.
func (q *Queue) PushMediaAt(b []byte, chunkSize uint32, cost int, ack func(int)) (ok, stale bool) {
	q.mu.Lock()
	if chunkSize != 0 && chunkSize != q.chunkSize {
		q.mu.Unlock()
		return false, true
	}
	if q.closing || q.bytes+len(b) > q.limit {
		q.mu.Unlock()
		return false, false
	}
	if q.direct != nil && q.merge == nil && len(q.items) == 0 && !q.busy && !q.held {
		q.busy = true
		wire := b
		if q.seal != nil {
			// Nothing is queued or being written: these bytes are next in
			// the RC4 stream.
			wire = q.sealDirect(b)
		}
		q.mu.Unlock()
		n := q.direct.write(wire)
		if n > 0 {
			q.sent(n)
		}
		if n == len(wire) {
			q.directDone()
			if ack != nil {
				ack(cost)
			}
			return true, false
		}
		q.mu.Lock()
		q.busy = false
		// The socket is full (or failed): the writer takes the rest and
		// waits for room, or meets the error. Encrypted, the rest is in
		// the reused buffer, so it is copied.
		rest := item{b: wire[n:], ack: ack, cost: cost}
		if q.seal != nil {
			rest.b, rest.sealed = append([]byte(nil), rest.b...), true
		}
		q.items = append(q.items, item{})
		copy(q.items[1:], q.items)
		q.items[0] = rest
		q.bytes += len(rest.b)
		q.urgent = true
		q.mu.Unlock()
		q.signal()
		return true, false
	}
	q.items = append(q.items, item{b: b, ack: ack, cost: cost})
	q.bytes += len(b)
	if q.merge != nil {
		q.holdForMerge()
		return true, false
	}
	q.urgent = true
	q.mu.Unlock()
	q.signal()
	return true, false
}

// afterQueued runs fn on the writer goroutine once everything queued
// before it is written: it travels as an empty item whose ack is fn, so
// media offered meanwhile queues behind it instead of being written
// directly ahead of it.
func (q *Queue) AfterQueued(fn func()) {
	q.mu.Lock()
	if q.closing {
		q.mu.Unlock()
		return
	}
	q.items = append(q.items, item{ack: func(int) { fn() }})
	q.urgent = true
	q.mu.Unlock()
	q.signal()
}

// directDone ends a direct write that wrote everything.
func (q *Queue) directDone() { q.unblock(&q.busy) }

// unblock clears busy or held. The writer may have woken meanwhile, found
// nothing to take and gone back to sleep: it is woken again if something
// was queued meanwhile or the queue was closed meanwhile. Missing the
// second case left a closing connection's writer asleep for good, and its
// loop, and Serve, waiting for it. On a merging queue, media held for the
// merger does not wake it: its flush writes it.
func (q *Queue) unblock(flag *bool) {
	q.mu.Lock()
	*flag = false
	wake := q.closing || (len(q.items) > 0 && (q.merge == nil || q.urgent))
	q.mu.Unlock()
	if wake {
		q.signal()
	}
}

// hold stops writing until release: what is pushed meanwhile is queued,
// in order, direct writes included. The connection's loop holds the queue
// while its handler takes the events of a step whose output is already
// queued, so that the peer sees that output only once the handler has
// acted on the events: a player is on its stream, its fast start queued
// behind NetStream.Play.Start, before it can read NetStream.Play.Start.
func (q *Queue) Hold() {
	q.mu.Lock()
	q.held = true
	q.mu.Unlock()
}

// release ends a hold and wakes the writer for what was queued meanwhile.
func (q *Queue) Release() { q.unblock(&q.held) }

// close stops input; the writer writes what is queued and stops.
func (q *Queue) Close() {
	q.mu.Lock()
	q.closing = true
	q.mu.Unlock()
	q.signal()
}

// queued returns the bytes waiting.
func (q *Queue) Queued() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.bytes
}

// encryptAfter makes the queue encrypt everything written after the next
// plain bytes with c: the writer what it takes, a direct write what it
// writes. It must come before those plain bytes are queued.
func (q *Queue) EncryptAfter(plain int, c *rc4.Cipher) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.seal, q.plainLeft = c, plain
}

// maxSealBuf is the largest batch whose encrypted copy the queue keeps
// for the next one: a video message or two. A larger batch (a fast start,
// a slow peer's backlog) gets a buffer of its own, left to the collector,
// so an idle RTMPE connection holds at most this much.
const maxSealBuf = 16 << 10

// sealItems replaces the bytes of items by their encrypted copies, all in
// one buffer, reused from batch to batch (and by direct writes): the
// writer is done with a batch before it takes the next, and a direct write
// needs the queue idle. q.mu is held.
func (q *Queue) sealItems(items []item) {
	total := 0
	for _, it := range items {
		if !it.sealed {
			total += len(it.b)
		}
	}
	buf := q.sealBufOf(total)
	for i := range items {
		if items[i].sealed {
			continue
		}
		b := items[i].b
		out := buf[:len(b):len(b)]
		buf = buf[len(b):]
		q.sealInto(out, b)
		items[i].b = out
	}
}

// sealDirect encrypts b, which is to be written at once, into the reused
// buffer; q.mu is held and the queue idle.
func (q *Queue) sealDirect(b []byte) []byte {
	out := q.sealBufOf(len(b))
	q.sealInto(out, b)
	return out
}

// sealBufOf returns n bytes of the reused buffer, or of a new one when n
// is over what it keeps.
func (q *Queue) sealBufOf(n int) []byte {
	if cap(q.sealBuf) >= n {
		return q.sealBuf[:n]
	}
	buf := make([]byte, n)
	if n <= maxSealBuf {
		q.sealBuf = buf
	}
	return buf
}

// sealInto writes b to out, plain while plainLeft lasts, encrypted after.
func (q *Queue) sealInto(out, b []byte) {
	skip := min(q.plainLeft, len(b))
	q.plainLeft -= skip
	copy(out[:skip], b[:skip])
	q.seal.XORKeyStream(out[skip:], b[skip:])
}

// maxSpareItems is the longest item slice a queue keeps for reuse. A
// player's batches are a message or two; its fast start, a whole group of
// pictures, is the exception, and keeping its slice (150 items and more,
// 7 KiB and up) made each player hold it for good.
const maxSpareItems = 32

// take swaps the waiting items out, giving back spare for reuse, and
// marks the queue busy when it returns some. While a direct write is in
// flight it returns none: the direct writer signals when it is done.
func (q *Queue) take(spare []item) (items []item, closing bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.takeLocked(spare)
}

// takeLocked is take with q.mu held. While the queue is held it returns
// none either: release signals.
func (q *Queue) takeLocked(spare []item) (items []item, closing bool) {
	if q.busy || q.held {
		return spare[:0], false
	}
	if q.merge != nil && !q.urgent && !q.closing {
		// Only media held for the merger: its flush writes it.
		return spare[:0], false
	}
	if cap(spare) > maxSpareItems {
		spare = nil
	}
	items, q.items = q.items, spare[:0]
	q.urgent = false
	for _, it := range items {
		q.bytes -= len(it.b)
	}
	if q.seal != nil {
		q.sealItems(items)
	}
	q.busy = len(items) > 0
	return items, q.closing
}

// written ends the writer's write.
func (q *Queue) written() {
	q.mu.Lock()
	q.busy = false
	q.mu.Unlock()
}

// WriteLoop is the writer goroutine: it writes whatever is queued in
// vectored writes (net.Buffers uses writev on TCP), so batching happens by
// itself when the socket is slower than the producers, and nothing is ever
// held back to wait for more. It returns nil once the queue is closed and
// drained, or the first write error.
func WriteLoop(conn net.Conn, q *Queue, timeout time.Duration) error {
	var b batchWriter
	for {
		items, closing := q.take(b.spare)
		if len(items) == 0 {
			if closing {
				return nil
			}
			<-q.wake
			b.spare = items
			continue
		}
		if err := b.write(conn, q, items, timeout); err != nil {
			return err
		}
	}
}

// maxWritev is how many buffers one vectored write takes at most. The
// runtime keeps, for the life of each socket, an iovec array as long as
// the longest vectored write made on it: a fast start written in one
// writev (a group of pictures, 150 frames and more) left each player
// holding 2 to 4 KiB of it for good. A longer batch is written in several
// calls, which only a fast start or a slow peer's backlog makes.
const maxWritev = 16

// batchWriter writes the writer's batches, keeping its buffers and the
// write deadline from one to the next.
type batchWriter struct {
	spare    []item
	bufs     net.Buffers
	deadline time.Time
}

// write writes one batch taken from q, then acknowledges its items.
func (b *batchWriter) write(conn net.Conn, q *Queue, items []item, timeout time.Duration) error {
	b.bufs = b.bufs[:0]
	for _, it := range items {
		b.bufs = append(b.bufs, it.b)
	}
	// Re-arming the deadline costs a timer update; doing it only when
	// half of it is used keeps each batch bounded by at least timeout/2.
	if now := time.Now(); b.deadline.Sub(now) < timeout/2 {
		b.deadline = now.Add(timeout)
		conn.SetWriteDeadline(b.deadline)
	}
	var err error
	for rest := b.bufs; len(rest) > 0 && err == nil; {
		part := rest[:min(len(rest), maxWritev)]
		rest = rest[len(part):]
		var n int64
		n, err = part.WriteTo(conn) // WriteTo consumes part, not rest
		q.sent(int(n))
	}
	q.written()
	if err != nil {
		return err
	}
	for i, it := range items {
		if it.ack != nil {
			it.ack(it.cost)
		}
		items[i] = item{}
	}
	clear(b.bufs)
	b.spare = items
	return nil
}

// lazyWriter is a connection's writer goroutine when it runs only while
// there is something to write: a player whose media goes out by direct
// writes, and an idle connection, then have no writer goroutine (and no
// stack) most of the time.
type lazyWriter struct {
	conn    net.Conn
	timeout time.Duration
	// on: a writer goroutine runs; ended: none will run again (the queue
	// closed and drained, or a write failed). Both under the queue's mu.
	on, ended bool
	// done receives, once, the first write error, or nil once the queue
	// closed and everything was written.
	done chan error
	// failed, if not nil, is called after a write error was sent on done.
	failed func()
}

// writeLazily makes the queue start a writer goroutine whenever it has
// something to write and none runs, which ends once it has written
// everything. It must be called before anything is queued, and before
// the queue is shared. The returned channel reports as WriteLoop's return
// value would: the first write error, or nil once the queue closed and
// drained. failed, if not nil, is called after an error was sent there.
func (q *Queue) WriteLazily(conn net.Conn, timeout time.Duration, failed func()) <-chan error {
	q.lazy = &lazyWriter{conn: conn, timeout: timeout, done: make(chan error, 1), failed: failed}
	return q.lazy.done
}

// kick starts the writer goroutine if there is work and none runs. While
// a direct write is in flight it waits: directDone kicks again.
func (q *Queue) kick() {
	q.mu.Lock()
	w := q.lazy
	start := !w.on && !w.ended && !q.busy && !q.held && (len(q.items) > 0 || q.closing)
	if start {
		w.on = true
	}
	q.mu.Unlock()
	if start {
		go q.runLazy(w)
	}
}

// runLazy writes batches until the queue has none, then ends; the queue
// marks it gone in the same locked step that finds nothing to take, so a
// push right after starts the next one.
func (q *Queue) runLazy(w *lazyWriter) {
	var b batchWriter
	for {
		q.mu.Lock()
		items, closing := q.takeLocked(b.spare)
		if len(items) == 0 {
			w.on = false
			drained := closing && !q.busy
			w.ended = w.ended || drained
			q.mu.Unlock()
			if drained {
				w.done <- nil
			}
			return
		}
		q.mu.Unlock()
		if err := b.write(w.conn, q, items, w.timeout); err != nil {
			q.mu.Lock()
			w.on, w.ended, q.closing = false, true, true
			q.mu.Unlock()
			w.done <- err
			if w.failed != nil {
				w.failed()
			}
			return
		}
	}
}

// OnSent sets what learns of every run of bytes written, by the writer or
// directly: the owner's byte counters. Call it before the queue is used.
func (q *Queue) OnSent(fn func(n int)) { q.sent = fn }

// WriteDirectlyTo lets media offered while the queue is idle go straight
// to c from the offering goroutine (see directWriter). Call it before the
// queue is used; without it everything goes through the writer.
func (q *Queue) WriteDirectlyTo(c net.Conn) { q.direct = newDirectWriter(c) }
