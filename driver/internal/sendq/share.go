package sendq

import (
	"context"
	"sync"
	"time"
)

// shared is the process's running mergers, one per period, each with how
// many hold it.
var shared struct {
	mu      sync.Mutex
	mergers map[time.Duration]*sharedMerger
}

type sharedMerger struct {
	m     *Merger
	users int
	stop  context.CancelFunc
	done  chan struct{}
}

// ShareMerger returns the process's merger for period (which must be
// positive), started if none runs, and the function that gives it back.
// Every server and every HTTP-FLV player with the same period share one
// merger, so a process flushes all of its players' held media on one
// clock, with one set of goroutines, however many listeners and
// handlers it has. The last to give it back stops it, and waits for its
// goroutine to end: a queue still merging into it is then closing, and
// its own writer writes what it holds.
func ShareMerger(period time.Duration) (m *Merger, release func()) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.mergers == nil {
		shared.mergers = make(map[time.Duration]*sharedMerger)
	}
	s := shared.mergers[period]
	if s == nil {
		ctx, stop := context.WithCancel(context.Background())
		s = &sharedMerger{m: NewMerger(period), stop: stop, done: make(chan struct{})}
		go func() { s.m.Run(ctx); close(s.done) }()
		shared.mergers[period] = s
	}
	s.users++
	var once sync.Once
	return s.m, func() { once.Do(s.release) }
}

// release gives the merger back, stopping it if no one else holds it.
func (s *sharedMerger) release() {
	shared.mu.Lock()
	s.users--
	last := s.users == 0
	if last {
		delete(shared.mergers, s.m.period)
	}
	shared.mu.Unlock()
	if last {
		s.stop()
		<-s.done
	}
}
