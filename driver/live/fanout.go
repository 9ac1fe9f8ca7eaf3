package live

import (
	"log/slog"
	"runtime"
	"sync"

	"github.com/gortmp/rtmp/driver"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/relay"
)

// fanout relays one message of a path's publisher, network or local, and
// reports whether from is still the publisher: one that was taken over
// may still send before it is disconnected, and what it sends goes
// nowhere. log, if not nil, is the publisher's: it hears once per stream
// that a message could not be read.
func (r *Relay) fanout(st *relayStream, from relay.ClientID, m relay.Media, log *slog.Logger) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.settle()
	if !st.s.MediaFrom(from, m, &st.fanout) {
		return false
	}
	if st.fanout.Class == relay.Unreadable && !st.unreadableLogged && log != nil {
		st.unreadableLogged = true
		log.Warn("unreadable media goes to multitrack players only; logged once per stream",
			"path", st.path.String(), "kind", m.Kind.String(), "err", st.fanout.Unreadable)
	}
	st.makeFrames()
	st.gop.note(st.fanout.Class, st.made, st.cacheLimit, len(st.players) > 1)
	st.refused = st.fanOut(r.fanOutWriters(), st.refused[:0])
	for _, x := range st.refused {
		st.s.Written(x.player, x.cost)
	}
	clear(st.frames[:])
	clear(st.made)
	st.made = st.made[:0]
	for _, d := range st.fanout.Disconnect {
		if pl := st.players[d.Player]; pl != nil {
			delete(st.players, d.Player)
			pl.drop(d.Reason)
		}
	}
	return true
}

// drop ends a player the relay removed; st.mu is held.
func (pl *relayPlayer) drop(reason error) {
	switch {
	case pl.local != nil:
		pl.local.dropped(reason)
	case pl.httpFLV != nil:
		pl.httpFLV.drop()
	default:
		// The connection logs the end of its stream with the reason.
		pl.c.CloseFor(reason)
	}
}

// makeFrames makes one frame per distinct payload of the message in
// st.fanout, listed in st.made: views that leave the message as it is
// (every view, for a legacy stream) share the original's, and views that
// cut the same bytes share theirs. It runs before any write, since
// Fanout.Payload fills a cache; st is locked.
func (st *relayStream) makeFrames() {
	for _, v := range st.fanout.Views {
		if st.frames[v] != nil {
			continue
		}
		vm := st.fanout.Payload(v)
		st.costs[v] = vm.Cost()
		for _, g := range st.made {
			if sameBytes(g.m.Payload, vm.Payload) {
				st.frames[v] = g.f
				break
			}
		}
		if st.frames[v] == nil {
			st.frames[v] = newMediaFrame(vm, len(st.players) == 1)
			st.made = append(st.made, madeFrame{vm, st.frames[v]})
		}
	}
}

// refusal is a message a player's queue did not take: the relay must not
// count it as queued.
type refusal struct {
	player relay.ClientID
	cost   int
}

// minPlayersPerWriter is how many players a fan-out goroutine writes to
// at least: below it, starting one costs more than the writes it takes
// over.
const minPlayersPerWriter = 128

// fanOut offers the message in st.fanout to its players, split into
// contiguous ranges offered by up to writers goroutines at once, and
// returns the refusals appended to refused. It returns only when every
// range is done, so a message reaches every player before the next one
// starts and before any notice queued after it: each player gets its
// stream in order. st is locked, and only read meanwhile.
func (st *relayStream) fanOut(writers int, refused []refusal) []refusal {
	n := len(st.fanout.To)
	writers = min(writers, n/minPlayersPerWriter)
	if writers <= 1 {
		return st.offerRange(0, n, refused)
	}
	parts := make([][]refusal, writers-1)
	var wg sync.WaitGroup
	for w := 1; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[w-1] = st.offerRange(w*n/writers, (w+1)*n/writers, nil)
		}()
	}
	refused = st.offerRange(0, n/writers, refused)
	wg.Wait()
	for _, p := range parts {
		refused = append(refused, p...)
	}
	return refused
}

// offerRange offers the message to players from to to of st.fanout and
// appends those that refused it.
func (st *relayStream) offerRange(from, to int, refused []refusal) []refusal {
	for i := from; i < to; i++ {
		v := st.fanout.Views[i]
		if id := st.fanout.To[i]; !st.offer(id, st.frames[v], st.costs[v]) {
			refused = append(refused, refusal{id, st.costs[v]})
		}
	}
	return refused
}

// fanOutWriters is FanOutWriters with its default.
func (r *Relay) fanOutWriters() int {
	if r.FanOutWriters > 0 {
		return r.FanOutWriters
	}
	return runtime.GOMAXPROCS(0)
}

// settle tells the stream what its players' connections wrote since the
// last time; st is locked.
func (st *relayStream) settle() {
	for id, pl := range st.players {
		if n := pl.written.Swap(0); n != 0 {
			st.s.Written(id, int(n))
		}
	}
}

// sameBytes reports whether two payloads are the same bytes in memory.
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// newMediaFrame wraps a relayed message in a driver.Frame of its RTMP
// type; unshared when one player is expected to write it (the stream has
// one), so that its bytes go out from the payload without a framed copy.
func newMediaFrame(m relay.Media, unshared bool) *driver.Frame {
	t := message.TypeAudio
	switch m.Kind {
	case relay.Video:
		t = message.TypeVideo
	case relay.Metadata, relay.Data:
		t = message.TypeDataAMF0
	}
	if unshared {
		return driver.NewUnsharedFrame(t, m.Timestamp, m.Payload)
	}
	return driver.NewFrame(t, m.Timestamp, m.Payload)
}

// offer queues a frame to one player and reports whether the player's
// queue took it; st is locked, and offer only reads it, so the players of
// one message may be offered to from several goroutines (see fanOut).
func (st *relayStream) offer(id relay.ClientID, f *driver.Frame, cost int) bool {
	pl := st.players[id]
	switch {
	case pl == nil:
		return false
	case pl.local != nil:
		return pl.local.offer(f, cost)
	case pl.httpFLV != nil:
		b := f.HTTPChunk()
		return b != nil && pl.httpFLV.queue.PushMedia(b, cost, pl.ack)
	}
	// False when the connection refused it: its own bound, or closing.
	return pl.c.QueueFrame(f, pl.streamID, cost, pl.ack)
}

// deliver queues a frame to one player, and tells the stream when the
// player did not take it; st is locked.
func (r *Relay) deliver(st *relayStream, id relay.ClientID, f *driver.Frame, cost int) {
	if !st.offer(id, f, cost) {
		st.s.Written(id, cost)
	}
}

// carryOut executes the relay's effects; st is locked.
func (r *Relay) carryOut(st *relayStream, fx []relay.Effect) {
	for _, e := range fx {
		r.carryOne(st, e)
	}
}

// carryOne executes one effect of the path's relay.Stream; st is locked.
func (r *Relay) carryOne(st *relayStream, e relay.Effect) {
	switch e := e.(type) {
	case relay.Send:
		r.deliver(st, e.Player, st.gop.frame(e.Media, st.cacheLimit), e.Media.Cost())
	case relay.PublishStarted:
		if pl := st.players[e.Player]; pl != nil && pl.c != nil {
			notify(pl, e.Notice)
		}
	case relay.PublishStopped:
		switch pl := st.players[e.Player]; {
		case pl == nil:
		case pl.local != nil:
			pl.local.publishStopped()
		case pl.httpFLV != nil:
			pl.httpFLV.finish()
		default:
			notify(pl, e.Notice)
		}
	case relay.DisconnectPublisher:
		r.dropPublisher(st, e)
	case relay.Disconnect:
		if pl := st.players[e.Player]; pl != nil {
			delete(st.players, e.Player)
			pl.drop(e.Reason)
		}
	}
}

// notify queues the relay's notice to a network player in line with its
// media, so that it arrives between the frames it belongs between.
func notify(pl *relayPlayer, notice []message.Message) {
	for _, m := range notice {
		if err := pl.c.QueueNotice(m); err != nil {
			pl.c.Logger().Error("cannot encode a relay notice", "err", err)
		}
	}
}
