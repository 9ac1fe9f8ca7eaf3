package sim

import (
	"cmp"
	"slices"
	"time"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/core/relay"
)

// Remote is the origin a simulated edge pulls from: it refuses the first
// attempts, then serves the configured media, paced by its timestamps,
// and may vanish while serving. When the server pulls, how long it waits
// between attempts, when it gives up and when it stops after the last
// player are core/relay's decisions (Pulls, Retry), as in driver's links.
type Remote struct {
	// Refuse is how many attempts the remote refuses before serving.
	Refuse int
	// VanishAfter, if set, is how long each served connection lasts
	// before the remote vanishes.
	VanishAfter time.Duration
	// Backoff and Linger configure the pull, as live.LinkConfig does.
	Backoff relay.Backoff
	Linger  time.Duration
}

// pulling is one path's pull in progress.
type pulling struct {
	path  relay.Path
	gen   uint64
	id    relay.ClientID // the local publisher while serving
	retry *relay.Retry
	// attempts so far; nextAt is when the next one is due (never: none).
	attempts int
	nextAt   time.Duration
	// serving: connected; since when, and the next tag to relay.
	serving  bool
	servedAt time.Duration
	next     int
	// lingerAt, when not never, is the deadline Pulls gave after the last
	// player left.
	lingerAt time.Duration
}

// pullPlaying takes a player joining st: the plan may start a pull.
func (s *server) pullPlaying(st *relay.Stream) {
	if s.sim.cfg.Pull == nil {
		return
	}
	p := st.Path()
	if pl := s.pulling[p]; pl != nil {
		pl.lingerAt = never
	}
	_, publishing := st.Publishing()
	gen, start := s.pulls.Playing(p, publishing)
	if !start {
		return
	}
	s.sim.trace("pull %v starts", p)
	s.pulling[p] = &pulling{path: p, gen: gen, id: relay.ClientID(1<<63 | gen),
		retry: relay.NewRetry(s.sim.cfg.Pull.Backoff), nextAt: s.sim.now, lingerAt: never}
}

// pullLeft takes anyone leaving st: a pull that lost its last player
// lingers.
func (s *server) pullLeft(st *relay.Stream) {
	p := st.Path()
	pl := s.pulling[p]
	if pl == nil {
		return
	}
	if at, ok := s.pulls.Left(p, s.sim.now, len(st.Players())); ok {
		pl.lingerAt = at
	}
}

// pullNext is when a pull next has something to do.
func (s *server) pullNext() time.Duration {
	t := never
	media := s.sim.cfg.Media
	for _, pl := range s.pulling {
		t = min(t, pl.nextAt, pl.lingerAt)
		if pl.serving {
			if pl.next < len(media) {
				t = min(t, pl.servedAt+ms(media[pl.next].Timestamp))
			}
			if v := s.sim.cfg.Pull.VanishAfter; v > 0 {
				t = min(t, pl.servedAt+v)
			}
		}
	}
	return t
}

// pullTick does what the pulls have due now, path by path in order.
func (s *server) pullTick(now time.Duration) {
	for _, p := range slices.SortedFunc(mapKeysOf(s.pulling), comparePaths) {
		pl := s.pulling[p]
		st := s.reg.Stream(p)
		if now >= pl.lingerAt {
			pl.lingerAt = never
			if s.pulls.Lingered(p, pl.gen, now, len(st.Players())) {
				s.sim.trace("pull %v stops after its linger", p)
				s.sim.res.PullsStopped++
				s.pullDisconnect(pl, st)
				delete(s.pulling, p)
				s.reg.Forget(p)
				continue
			}
		}
		if !pl.serving && now >= pl.nextAt {
			s.pullAttempt(pl, st, now)
		}
		if pl.serving {
			s.pullServe(pl, st, now)
		}
	}
}

// pullAttempt connects to the remote, which refuses or serves.
func (s *server) pullAttempt(pl *pulling, st *relay.Stream, now time.Duration) {
	pl.attempts++
	s.sim.res.PullAttempts = append(s.sim.res.PullAttempts, now)
	if pl.attempts <= s.sim.cfg.Pull.Refuse {
		s.sim.trace("pull %v refused", pl.path)
		s.pullFailed(pl, false)
		return
	}
	fx, err := st.Publish(pl.id)
	if err != nil {
		if relay.PullEnded(err) {
			s.sim.trace("pull %v ends: %v", pl.path, err)
			s.pulls.Ended(pl.path, pl.gen)
			delete(s.pulling, pl.path)
			return
		}
		s.sim.fail("pull %v: %v", pl.path, err)
		return
	}
	s.sim.trace("pull %v serving", pl.path)
	pl.serving, pl.servedAt, pl.next, pl.nextAt = true, now, 0, never
	s.carryOutPlayers(st, fx)
}

// pullServe relays what the remote sent by now, and lets it vanish.
func (s *server) pullServe(pl *pulling, st *relay.Stream, now time.Duration) {
	media := s.sim.cfg.Media
	for pl.serving && pl.next < len(media) && pl.servedAt+ms(media[pl.next].Timestamp) <= now {
		s.fan(st, pl.id, remoteMedia(media[pl.next]))
		pl.next++
	}
	if v := s.sim.cfg.Pull.VanishAfter; pl.serving && v > 0 && now >= pl.servedAt+v {
		s.sim.trace("pull %v: the remote vanished", pl.path)
		progressed := pl.next > 0
		s.pullDisconnect(pl, st)
		s.pullFailed(pl, progressed)
	}
}

// pullFailed schedules the next attempt, or gives the pull up.
func (s *server) pullFailed(pl *pulling, progressed bool) {
	wait, again := pl.retry.Failed(progressed)
	if !again {
		s.sim.trace("pull %v gave up after %d failures", pl.path, pl.retry.Failures())
		s.sim.res.PullsGaveUp++
		s.pulls.Ended(pl.path, pl.gen)
		delete(s.pulling, pl.path)
		return
	}
	pl.nextAt = s.sim.now + wait
}

// pullDisconnect ends the local publish of a pull that was serving.
func (s *server) pullDisconnect(pl *pulling, st *relay.Stream) {
	if pl.serving {
		pl.serving = false
		s.carryOutPlayers(st, st.Leave(pl.id))
	}
}

// pullTakenOver ends a pull whose path a network publisher took over.
func (s *server) pullTakenOver(id relay.ClientID) {
	for p, pl := range s.pulling {
		if pl.id == id && pl.serving {
			s.sim.trace("pull %v taken over", p)
			s.pulls.Ended(p, pl.gen)
			delete(s.pulling, p)
		}
	}
}

// remoteMedia is a tag of the configured media as the remote serves it.
func remoteMedia(t flv.Tag) relay.Media {
	switch t.Type {
	case flv.TagAudio:
		return relay.Media{Kind: relay.Audio, Timestamp: t.Timestamp, Payload: t.Data}
	case flv.TagVideo:
		return relay.Media{Kind: relay.Video, Timestamp: t.Timestamp, Payload: t.Data}
	}
	return relay.Media{Kind: relay.Metadata, Timestamp: t.Timestamp, Payload: t.Data}
}

func mapKeysOf(m map[relay.Path]*pulling) func(func(relay.Path) bool) {
	return func(yield func(relay.Path) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func comparePaths(a, b relay.Path) int {
	return cmp.Or(cmp.Compare(a.App, b.App), cmp.Compare(a.Key, b.Key))
}
