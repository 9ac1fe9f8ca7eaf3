package sendq

import (
	"context"
	"runtime"
	"sync"
	"time"
)

// Merger writes the media of many queues in merged writes: a queue that
// merges (MergeInto) holds the media offered to it instead of writing it
// at once, and the merger writes everything each queue holds, every
// period, in one vectored write per queue. That trades up to a period of
// delay for far fewer write system calls: a player of a 3 Mbit/s stream
// gets about 77 messages a second, each a write of its own otherwise.
//
// What must not wait is not held: session output, notices and anything
// queued behind a hold (a player's fast start) wake the queue's writer,
// which writes the media held before them too, in order. Only media
// offered while nothing else is waiting is held, so a message waits at
// most one period (and the time the flush takes to reach its queue).
type Merger struct {
	period time.Duration

	mu  sync.Mutex
	due []*Queue // queues holding media, in the order they began to
	// spare is the list of the last flush, kept for the next.
	spare []*Queue

	// writers is the most goroutines a flush spreads over.
	writers int
	vecs    []*vecWriter
}

// minQueuesPerWriter is how many queues a flush goroutine writes at
// least: below it, starting one costs more than it saves.
const minQueuesPerWriter = 128

// NewMerger returns a merger that flushes every period (which must be
// positive), over up to GOMAXPROCS goroutines.
func NewMerger(period time.Duration) *Merger {
	w := runtime.GOMAXPROCS(0)
	m := &Merger{period: period, writers: w}
	for range w {
		m.vecs = append(m.vecs, new(vecWriter))
	}
	return m
}

// Period is how long a message may be held.
func (m *Merger) Period() time.Duration { return m.period }

// Run flushes until ctx ends, each flush starting the time untilNextFlush
// says after the end of the last. A queue that closes meanwhile has its
// writer write what it holds, so nothing is left behind.
func (m *Merger) Run(ctx context.Context) {
	// The first flush aims early too: a merger may start with its first
	// player (ShareMerger), whose first live message then waits for it.
	t := time.NewTimer(untilNextFlush(m.period, 0))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			start := time.Now()
			m.Flush()
			t.Reset(untilNextFlush(m.period, time.Since(start)))
		}
	}
}

// untilNextFlush is how long the merger waits after a flush that took
// took before the next. A queue's media waits from just after the queue's
// turn in one flush to its turn in the next: the time between the two
// starts, plus how much later its turn comes in the second (a flush
// writes the queues one after the other, and a flush that carries
// keyframes takes longer). Starting each flush period-took after the last
// began, that is, period-2*took after it ended, keeps that within the
// period while the flushes take about as long as the last. A flush that
// took more than a quarter of the period leaves a quarter to gather the
// next (the writes are then as far behind as they would be unmerged).
// It aims a sixteenth of the period (at most flushMargin) early, for what
// the flush's timer and the scheduler add on a busy machine, which a
// player would see past the period.
func untilNextFlush(period, took time.Duration) time.Duration {
	margin := min(period/16, flushMargin)
	return max(period-2*took-margin, period/4)
}

// flushMargin is the most the merger flushes ahead of its period.
const flushMargin = 20 * time.Millisecond

// Flush writes what every queue holds now. Run calls it every period;
// tests call it to flush at a moment of their choosing.
func (m *Merger) Flush() {
	m.mu.Lock()
	due := m.due
	m.due = m.spare[:0]
	m.mu.Unlock()

	n := len(due)
	writers := min(m.writers, n/minQueuesPerWriter)
	if writers <= 1 {
		for _, q := range due {
			q.flushHeld(m.vecs[0])
		}
	} else {
		var wg sync.WaitGroup
		for w := 1; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, q := range due[w*n/writers : (w+1)*n/writers] {
					q.flushHeld(m.vecs[w])
				}
			}()
		}
		for _, q := range due[:n/writers] {
			q.flushHeld(m.vecs[0])
		}
		wg.Wait()
	}
	clear(due)
	m.mu.Lock()
	m.spare = due[:0]
	m.mu.Unlock()
}

// add puts q on the list of the next flush.
func (m *Merger) add(q *Queue) {
	m.mu.Lock()
	m.due = append(m.due, q)
	m.mu.Unlock()
}

// MergeInto makes the queue hold the media offered to it from now on for
// m's next flush, instead of writing it at once (see Merger). What is
// already queued is written as before.
func (q *Queue) MergeInto(m *Merger) {
	q.mu.Lock()
	q.merge = m
	q.mu.Unlock()
}

// holdForMerge is the end of pushMediaAt on a merging queue: the bytes,
// already appended, wait for the merger's next flush, and the queue goes
// on its list unless it is there already. q.mu is held, and released.
func (q *Queue) holdForMerge() {
	register := !q.due
	q.due = true
	m := q.merge
	q.mu.Unlock()
	if register {
		m.add(q)
	}
}

// flushHeld writes what the queue holds in vectored writes, without
// blocking. What the socket does not take, and a queue the merger cannot
// write itself (not plain TCP, encrypted, or with its writer or a hold
// in the way), goes to the writer goroutine, which writes it at once.
func (q *Queue) flushHeld(w *vecWriter) {
	q.mu.Lock()
	q.due = false
	if len(q.items) == 0 {
		q.mu.Unlock()
		return
	}
	if q.direct == nil || q.seal != nil || q.busy || q.held || q.closing || (q.lazy != nil && q.lazy.on) {
		// Its flush is due: whoever is in the way (a hold, a write in
		// flight) wakes the writer when done, or it is woken now.
		q.urgent = true
		q.mu.Unlock()
		q.signal()
		return
	}
	w.items = append(w.items[:0], q.items...)
	clear(q.items)
	q.items = q.items[:0]
	if cap(q.items) > maxSpareItems {
		q.items = nil
	}
	for _, it := range w.items {
		q.bytes -= len(it.b)
	}
	q.busy, q.urgent = true, false
	q.mu.Unlock()

	written, rest := w.write(q.direct)
	if written > 0 {
		q.sent(written)
	}
	if len(rest) > 0 {
		// The socket is full (or failed): the writer takes the rest, in
		// front of whatever came meanwhile, and waits for room or meets
		// the error.
		q.mu.Lock()
		q.items = append(rest, q.items...)
		for _, it := range rest {
			q.bytes += len(it.b)
		}
		q.urgent = true
		q.mu.Unlock()
	}
	done := w.items[:len(w.items)-len(rest)]
	q.unblock(&q.busy)
	for _, it := range done {
		if it.ack != nil {
			it.ack(it.cost)
		}
	}
	clear(w.items)
}
