package live

import (
	"cmp"
	"slices"
	"strings"

	"github.com/gortmp/rtmp/core/relay"
)

// known returns a path's stream, locked, or nil when the path is unknown.
// The registry lock is released before the stream's is taken.
func (r *Relay) known(p relay.Path) *relayStream {
	r.init()
	r.mu.Lock()
	st := r.streams[p]
	r.mu.Unlock()
	if st != nil {
		st.mu.Lock()
	}
	return st
}

// Stats returns the counters of a path's players, summed, and whether
// the path is known.
func (r *Relay) Stats(p relay.Path) (relay.PlayerStats, bool) {
	st := r.known(p)
	if st == nil {
		return relay.PlayerStats{}, false
	}
	defer st.mu.Unlock()
	st.settle()
	return st.s.Totals(), true
}

// Players returns the number of players on a path, waiting or playing,
// in-process readers included (StreamStats.Players leaves them out).
func (r *Relay) Players(p relay.Path) int {
	st := r.known(p)
	if st == nil {
		return 0
	}
	defer st.mu.Unlock()
	return len(st.s.Players())
}

// Publishing reports whether a path has a publisher.
func (r *Relay) Publishing(p relay.Path) bool {
	st := r.known(p)
	if st == nil {
		return false
	}
	defer st.mu.Unlock()
	_, publishing := st.s.Publishing()
	return publishing
}

// Queued returns what each player of a path has queued and not yet
// written, in Media.Cost units, in join order.
func (r *Relay) Queued(p relay.Path) []int {
	st := r.known(p)
	if st == nil {
		return nil
	}
	defer st.mu.Unlock()
	st.settle()
	var q []int
	for _, id := range st.s.Players() {
		q = append(q, st.s.Queued(id))
	}
	return q
}

// networkPlayers counts the players of a path that are remote: connections
// and viewers' subscribers, not in-process readers.
func (r *Relay) networkPlayers(p relay.Path) int {
	st := r.known(p)
	if st == nil {
		return 0
	}
	defer st.mu.Unlock()
	return st.networkPlayers()
}

// networkPlayers counts the stream's remote players; st.mu is held.
func (st *relayStream) networkPlayers() int {
	n := 0
	for _, pl := range st.players {
		if pl.local == nil || pl.local.viewer {
			n++
		}
	}
	return n
}

// StreamStats is a snapshot of one path of a Relay.
type StreamStats struct {
	Path       relay.Path
	Publishing bool
	// Players counts the path's viewers: its players, waiting or
	// playing, that are remote (RTMP, RTMPT and RTMPS connections,
	// HTTP-FLV responses, Relay.SubscribeViewer).
	Players int
	// Local counts its in-process readers (Relay.Subscribe: an HLS
	// segmenter, a recorder, a push link), which are no viewers and so
	// not in Players. HLS viewers are the HLS handler's to count.
	Local int
	// PlayerStats sums what the path's players were sent and what was
	// dropped for them, those that left included, for as long as the
	// relay knows the path (while someone publishes or plays it).
	relay.PlayerStats
	// Unreadable counts the publishers' messages that could not be read
	// (see relay.Unreadable), which only multitrack players got.
	Unreadable uint64
}

// Streams returns a snapshot of every path the relay knows, sorted by
// path. Each path is read under its own lock, one after the other, so the
// snapshot is consistent per path, not across paths.
func (r *Relay) Streams() []StreamStats {
	r.init()
	r.mu.Lock()
	paths := make([]relay.Path, 0, len(r.streams))
	for p := range r.streams {
		paths = append(paths, p)
	}
	r.mu.Unlock()
	sortPaths(paths)
	out := make([]StreamStats, 0, len(paths))
	for _, p := range paths {
		st := r.known(p)
		if st == nil {
			continue // forgotten meanwhile
		}
		st.settle()
		_, publishing := st.s.Publishing()
		network := st.networkPlayers()
		out = append(out, StreamStats{Path: p, Publishing: publishing, Players: network, Local: len(st.players) - network, PlayerStats: st.s.Totals(), Unreadable: st.s.Unreadable()})
		st.mu.Unlock()
	}
	return out
}

// sortPaths sorts paths by app, then key.
func sortPaths(paths []relay.Path) {
	slices.SortFunc(paths, func(a, b relay.Path) int {
		return cmp.Or(strings.Compare(a.App, b.App), strings.Compare(a.Key, b.Key))
	})
}
