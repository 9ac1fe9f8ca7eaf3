package live

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gortmp/rtmp/driver"

	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/relay"
)

// Relay is a Handler that relays live streams: publish to
// rtmp://host/APP/KEY, play the same path. Every decision (who may
// publish and play, one publisher per path and who it is after a
// takeover, fast start, notices, the per-player drop policy, when a path
// is forgotten) is core/relay's: a relay.Conn per connection and a
// relay.Stream per path. Relay carries them out: it holds the locks, asks
// the authorizer, encodes each media message once per view and queues the
// same bytes to every player.
//
// Locking: mu guards the registry and is taken on publish, play and leave;
// each path has its own lock, taken per media message, so paths never
// wait for each other; a player's write acknowledgements are an atomic
// counter the next message settles, so players never wait for each other.
type Relay struct {
	// PublishKey, if set, must be given as ?key= in the publish name or
	// in the connect URL's query to publish.
	PublishKey string
	// PlayKey, if set, must be given the same way to play.
	PlayKey string
	// Authorize, if set, decides every publish and play, over RTMP or
	// HTTP-FLV, once the keys above passed: an error refuses the request,
	// and its text is the description the client sees. It runs on the
	// connection's goroutine (the request's, for HTTP-FLV), which waits
	// for it, with that connection's context: bound the wait.
	Authorize func(ctx context.Context, req AuthRequest) error
	// SecondPublisher is what an allowed publish to a path that has a
	// publisher does: by default it takes the path over (see
	// PublishPolicy).
	SecondPublisher PublishPolicy
	// Limits bound each stream's cache and each player's queue.
	Limits relay.Config
	// FanOutWriters is how many goroutines at most write one message to
	// a stream's players, each to a contiguous share of at least 128 of
	// them; default GOMAXPROCS. Writing to a player costs a system call,
	// so on one goroutine a stream's fan-out could use one core at most.
	FanOutWriters int
	// MergeWrites is driver.Config.MergeWrites for the HTTP-FLV players
	// (PlayHTTPFLV), whose connections the driver does not serve: if
	// positive, each one's live media is held up to this long and written
	// in one vectored write per player per flush, by the same merger as
	// the driver's players with that period. The response head, the FLV
	// header and the fast start are not held, and the end of the stream
	// takes what is held with it. Give it the driver's value.
	MergeWrites time.Duration

	once    sync.Once
	mu      sync.Mutex
	reg     *relay.Registry
	streams map[relay.Path]*relayStream
	// links, once Link is called, forwards and fetches streams (see
	// link.go); the hooks below tell it about publishers and players.
	links atomic.Pointer[Links]
}

// relayStream is one path's state behind its own lock.
type relayStream struct {
	mu      sync.Mutex
	path    relay.Path
	s       *relay.Stream
	players map[relay.ClientID]*relayPlayer
	fanout  relay.Fanout
	// frames and costs are the message being fanned out in each view,
	// and refused who did not take it (see fanout).
	frames  [relay.NumViews]*driver.Frame
	costs   [relay.NumViews]int
	made    []madeFrame
	refused []refusal
	// gop shares the encoding of the messages a fast start sends, up to
	// cacheLimit bytes (the relay cache's bound).
	gop        gopFrames
	cacheLimit int
	// pub is the publisher, for a takeover to disconnect.
	pub publisherRef
	// unreadableLogged: the stream logged its first unreadable message.
	unreadableLogged bool
}

// relayPlayer is where one player's media goes: an RTMP connection (c),
// an in-process Subscriber (local) or an HTTP-FLV response (httpFLV); one
// of the three is set.
type relayPlayer struct {
	c        *driver.Conn
	streamID uint32
	ack      func(cost int)
	local    *Subscriber
	httpFLV  *httpFLVPlayer
	// written is the cost acknowledged by the connection and not yet
	// told to the stream (see settle): acknowledging takes no lock, so
	// the players of one stream never wait for each other.
	written atomic.Int64
}

// policy is what the connections' relay.Conn decide by.
func (r *Relay) policy() relay.Policy {
	return relay.Policy{
		PublishKey: r.PublishKey, PlayKey: r.PlayKey,
		Authorize: r.Authorize != nil, SecondPublisher: r.SecondPublisher,
	}
}

func (r *Relay) init() {
	r.once.Do(func() {
		r.reg = relay.NewRegistry(r.Limits)
		r.streams = make(map[relay.Path]*relayStream)
	})
}

// relayConn is the relay's decisions for one connection, kept in
// driver.Conn.Value and touched only on the connection's goroutine.
func (r *Relay) relayConn(c *driver.Conn) *relay.Conn {
	rc, _ := c.Value.(*relay.Conn)
	if rc == nil {
		rc = relay.NewConn(c.ID(), c.RemoteAddr().String(), r.policy())
		c.Value = rc
	}
	return rc
}

// HandleEvent implements Handler.
func (r *Relay) HandleEvent(c *driver.Conn, ev core.Event) {
	r.init()
	rc := r.relayConn(c)
	if m, ok := ev.(core.AudioVideoDataReceived); ok {
		if s, from, media, ok := rc.Media(m); ok {
			r.fanout(owner(s), from, media, c.Logger())
		}
		return
	}
	r.carryOutConn(c, rc, rc.Step(ev))
}

// HandleClose implements Handler: whatever the connection still held is
// released (the session normally finished it already).
func (r *Relay) HandleClose(c *driver.Conn, err error) {
	r.init()
	r.carryOutConn(c, r.relayConn(c), r.relayConn(c).Close())
	c.Value = nil
}

// owner is the relayStream that carries a relay.Stream out.
func owner(s *relay.Stream) *relayStream { return s.Owner().(*relayStream) }

// carryOutConn executes the effects of a connection's relay.Conn.
func (r *Relay) carryOutConn(c *driver.Conn, rc *relay.Conn, fx []relay.Effect) {
	for _, e := range fx {
		switch e := e.(type) {
		case relay.AcceptRequest:
			c.Accept(e.Request)
		case relay.RejectRequest:
			c.Reject(e.Request, e.Reason, e.Description)
		case relay.Authorize:
			// On the connection's goroutine, which waits for the answer.
			r.carryOutConn(c, rc, rc.Authorized(e.Request, r.Authorize(c.Context(), e.Auth)))
		case relay.Publish:
			r.apply(c, rc, r.stream(e.Path), e)
		case relay.Play:
			st := r.stream(e.Path)
			pl := &relayPlayer{c: c, streamID: e.StreamID}
			pl.ack = func(cost int) { pl.written.Add(int64(cost)) }
			st.players[e.ID] = pl
			r.apply(c, rc, st, e)
		case relay.Leave:
			st := owner(e.Stream)
			st.mu.Lock()
			if st.s.IsPublisher(e.ID) {
				st.gop.reset() // the cache forgets the publisher's messages
			}
			delete(st.players, e.ID)
			r.apply(c, rc, st, e)
		case relay.ClearMetadata:
			st := owner(e.Stream)
			st.mu.Lock()
			r.apply(c, rc, st, e)
		case relay.Forward:
			r.fanout(owner(e.Stream), e.ID, e.Media, c.Logger())
		case relay.Warning:
			c.Logger().Warn(e.What, "path", e.Path.String(), "err", e.Err)
		}
	}
}

// apply applies a connection's effect to its stream, which is locked, and
// carries out what follows: under the lock what reaches the stream's
// players, after it what concerns links, the log and the registry.
func (r *Relay) apply(c *driver.Conn, rc *relay.Conn, st *relayStream, e relay.Effect) {
	var later []relay.Effect
	for _, f := range rc.Apply(st.s, e) {
		switch f := f.(type) {
		case relay.AcceptRequest:
			c.Accept(f.Request)
		case relay.RejectRequest:
			c.Reject(f.Request, f.Reason, f.Description)
		case relay.Published:
			st.pub = publisherRef{id: f.ID, c: c, streamID: f.ID.StreamID()}
			later = append(later, f)
		case relay.Playing:
			// The fast start is queued, and did not wait; live media,
			// fanned out under the stream's lock, may wait for a merged
			// write from the next message on (Config.MergeWrites).
			c.EnableMergedWrites()
			later = append(later, f)
		case relay.Left, relay.Forget, relay.Warning:
			later = append(later, f)
		default:
			r.carryOne(st, f)
		}
	}
	if p, ok := e.(relay.Play); ok {
		if _, on := st.s.PlayerStats(p.ID); !on {
			delete(st.players, p.ID)
		}
	}
	st.mu.Unlock()
	for _, f := range later {
		switch f := f.(type) {
		case relay.Published:
			r.linkPublished(f.Path, f.ID)
			r.clusterPublished(f.Path, f.ID)
			c.Logger().Info("publishing", "path", f.Path.String(), "took_over", f.TookOver)
		case relay.Playing:
			if c.WantsNagle() {
				// The fast start just queued leaves at once; what
				// follows is live media, which Nagle may coalesce.
				c.EnableNagle()
			}
			r.linkPlaying(f.Path)
			c.Logger().Info("playing", "path", f.Path.String())
		case relay.Left:
			if f.Publisher {
				r.clusterLeft(f.Path, f.ID)
				logEnd(c, "publish ended", f.Path, "publisher", f.Why)
			} else {
				logEnd(c, "play ended", f.Path, "player", f.Why)
			}
			r.linkLeft(f.Path)
		case relay.Forget:
			r.forget(st)
		case relay.Warning:
			c.Logger().Warn(f.What, "path", f.Path.String(), "err", f.Err)
		}
	}
}

// stream returns the path's stream, locked, creating it if needed.
func (r *Relay) stream(p relay.Path) *relayStream {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, ok := r.streams[p]
	if !ok {
		st = &relayStream{path: p, s: r.reg.Stream(p), players: map[relay.ClientID]*relayPlayer{}, cacheLimit: r.Limits.WithDefaults().MaxCacheBytes}
		st.s.SetOwner(st)
		r.streams[p] = st
	}
	st.mu.Lock()
	return st
}

// leave removes a publisher or player that is not a connection's (a local
// one, an HTTP-FLV player) and forgets an empty path.
func (r *Relay) leave(st *relayStream, id relay.ClientID) {
	st.mu.Lock()
	if st.s.IsPublisher(id) {
		st.gop.reset() // the cache forgets the publisher's messages
	}
	fx := st.s.Leave(id)
	delete(st.players, id)
	r.carryOut(st, fx)
	st.mu.Unlock()
	r.forget(st)
	r.linkLeft(st.path)
}

// forget drops a path nobody uses. Lock order: registry, then stream.
func (r *Relay) forget(st *relayStream) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st.mu.Lock()
	defer st.mu.Unlock()
	if r.reg.Forget(st.path) {
		delete(r.streams, st.path)
	}
}
