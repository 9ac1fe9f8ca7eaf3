package driver

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/relay"
)

// Relay is a Handler that relays live streams: publish to
// rtmp://host/APP/KEY, play the same path. The decisions (one publisher
// per path and who it is after a takeover, fast start, the per-player drop
// policy) are core/relay's; Relay
// moves the bytes: it encodes each media message once per chunk size and
// message stream id and queues the same bytes to every player.
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
	frames  [relay.NumViews]*Frame
	costs   [relay.NumViews]int
	made    []madeFrame
	refused []refusal
	// gop shares the encoding of the messages a fast start sends, up to
	// cacheLimit bytes (the relay cache's bound).
	gop        gopFrames
	cacheLimit int
	// pub is the publisher, for a takeover to disconnect.
	pub publisherRef
}

// relayPlayer is where one player's media goes: an RTMP connection (c),
// an in-process Subscriber (local) or an HTTP-FLV response (httpFLV); one
// of the three is set.
type relayPlayer struct {
	c        *Conn
	streamID uint32
	ack      func(cost int)
	local    *Subscriber
	httpFLV  *httpFLVPlayer
	// written is the cost acknowledged by the connection and not yet
	// told to the stream (see settle): acknowledging takes no lock, so
	// the players of one stream never wait for each other.
	written atomic.Int64
}

// viewFor picks what a player receives from what it declared in connect:
// every track if it reads multitrack, else the default track, in the legacy
// form too when it declared nothing of Enhanced RTMP.
func viewFor(c core.Capabilities) relay.View {
	switch {
	case c.Multitrack():
		return relay.ViewAll
	case c.Enhanced():
		return relay.ViewDefaultTrack
	}
	return relay.ViewLegacy
}

// relayConn is the relay's per-connection state, kept in Conn.Value and
// touched only on the connection's goroutine.
type relayConn struct {
	query string // the connect query string
	// What connect said, for Authorize.
	tcURL, flashVer, swfURL, pageURL string
	// view is what the connection's players receive (see viewFor).
	view relay.View
	// publishing and playing map message stream ids to their streams.
	publishing map[uint32]*relayPublisher
	playing    map[uint32]*relayStream
}

// relayPublisher is one publishing stream of a connection.
type relayPublisher struct {
	st *relayStream
	// last is the timestamp of the publisher's latest audio or video
	// message: the session reports metadata without the timestamp it came
	// with, and metadata belongs where it arrived in the stream.
	last uint32
}

// detach copies strings into one new allocation: strings of a decoded
// message keep all of the message's memory, which a connection should not
// hold for its whole life for the sake of a few of them.
func detach(ss ...*string) {
	n := 0
	for _, s := range ss {
		n += len(*s)
	}
	var b strings.Builder
	b.Grow(n)
	for _, s := range ss {
		b.WriteString(*s)
	}
	all := b.String()
	for _, s := range ss {
		*s, all = all[:len(*s)], all[len(*s):]
	}
}

func (r *Relay) init() {
	r.once.Do(func() {
		r.reg = relay.NewRegistry(r.Limits)
		r.streams = make(map[relay.Path]*relayStream)
	})
}

func clientID(c *Conn, streamID uint32) relay.ClientID {
	return relay.ClientID(c.ID()<<32 | uint64(streamID))
}

func state(c *Conn) *relayConn {
	rc, _ := c.Value.(*relayConn)
	if rc == nil {
		rc = &relayConn{publishing: map[uint32]*relayPublisher{}, playing: map[uint32]*relayStream{}}
		c.Value = rc
	}
	return rc
}

// keyOK checks a shared secret given as ?key= in the stream name's query or
// in the connect query, in constant time (see sameSecret).
func keyOK(want, query, connectQuery string) bool {
	if want == "" {
		return true
	}
	ok := false
	for _, q := range []string{query, connectQuery} {
		if v, err := url.ParseQuery(q); err == nil && v.Has("key") {
			ok = sameSecret(v.Get("key"), want) || ok
		}
	}
	return ok
}

// sameSecret compares a secret given by a client with the one wanted,
// taking the same time whatever the two hold: ConstantTimeCompare alone
// returns at once when the lengths differ, which tells a prober the
// secret's length, so both sides are hashed to the same length first.
func sameSecret(given, want string) bool {
	g, w := sha256.Sum256([]byte(given)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// HandleEvent implements Handler.
func (r *Relay) HandleEvent(c *Conn, ev core.Event) {
	r.init()
	rc := state(c)
	switch ev := ev.(type) {
	case core.ConnectionRequested:
		rc.query = ev.Query
		rc.tcURL, rc.flashVer, rc.swfURL, rc.pageURL = ev.TCURL, ev.FlashVer, ev.SWFURL, ev.PageURL
		detach(&rc.query, &rc.tcURL, &rc.flashVer, &rc.swfURL, &rc.pageURL)
		rc.view = viewFor(ev.Client)
		c.Accept(ev.Request)
	case core.PublishStreamRequested:
		r.publish(c, rc, ev)
	case core.PlayStreamRequested:
		if !keyOK(r.PlayKey, ev.Query, rc.query) {
			c.Reject(ev.Request, core.RejectDenied, "a valid key is required to play")
			return
		}
		p := relay.Path{App: ev.App, Key: ev.StreamKey}
		if err := r.authorize(c.Context(), authRequest(c, rc, "play", p, ev.Query)); err != nil {
			c.Reject(ev.Request, core.RejectDenied, err.Error())
			return
		}
		c.Accept(ev.Request)
	case core.PlayStreamStarted:
		r.play(c, rc, ev)
	case core.AudioVideoDataReceived:
		kind := relay.Audio
		if ev.Kind == core.KindVideo {
			kind = relay.Video
		}
		if pub := rc.publishing[ev.StreamID]; pub != nil {
			pub.last = ev.Timestamp
			r.fanout(pub.st, clientID(c, ev.StreamID), relay.Media{Kind: kind, Timestamp: ev.Timestamp, Payload: ev.Data})
		}
	case core.StreamMetaDataChanged:
		// The AMF0 encoder writes the keys as the session decoded them,
		// every one in its order, nested objects included.
		if pub := rc.publishing[ev.StreamID]; pub != nil {
			r.data(c, pub, clientID(c, ev.StreamID), relay.Metadata, pub.last, "onMetaData", ev.MetaData)
		}
	case core.DataReceived:
		if pub := rc.publishing[ev.StreamID]; pub != nil {
			r.data(c, pub, clientID(c, ev.StreamID), relay.Data, ev.Timestamp, ev.Values...)
		}
	case core.StreamMetaDataCleared:
		if pub := rc.publishing[ev.StreamID]; pub != nil {
			pub.st.mu.Lock()
			if pub.st.s.IsPublisher(clientID(c, ev.StreamID)) {
				pub.st.s.ClearMetadata()
			}
			pub.st.mu.Unlock()
		}
	case core.PublishingFinished:
		if pub := rc.publishing[ev.StreamID]; pub != nil {
			delete(rc.publishing, ev.StreamID)
			r.leave(pub.st, clientID(c, ev.StreamID))
			logEnd(c, "publish ended", pub.st.path, "publisher", "unpublished by the client")
		}
	case core.PlayStreamFinished:
		if st := rc.playing[ev.StreamID]; st != nil {
			delete(rc.playing, ev.StreamID)
			r.leave(st, clientID(c, ev.StreamID))
			logEnd(c, "play ended", st.path, "player", "stopped by the client")
		}
	}
}

// HandleClose implements Handler: whatever the connection still held is
// released (the session normally finished it already).
func (r *Relay) HandleClose(c *Conn, err error) {
	r.init()
	rc := state(c)
	for id, pub := range rc.publishing {
		r.leave(pub.st, clientID(c, id))
		logEnd(c, "publish ended", pub.st.path, "publisher", "connection closed")
	}
	for id, st := range rc.playing {
		r.leave(st, clientID(c, id))
		logEnd(c, "play ended", st.path, "player", "connection closed")
	}
	c.Value = nil
}

// stream returns the path's stream, locked, creating it if needed.
func (r *Relay) stream(p relay.Path) *relayStream {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, ok := r.streams[p]
	if !ok {
		st = &relayStream{path: p, s: r.reg.Stream(p), players: map[relay.ClientID]*relayPlayer{}, cacheLimit: r.Limits.WithDefaults().MaxCacheBytes}
		r.streams[p] = st
	}
	st.mu.Lock()
	return st
}

func (r *Relay) publish(c *Conn, rc *relayConn, ev core.PublishStreamRequested) {
	if !keyOK(r.PublishKey, ev.Query, rc.query) {
		c.Reject(ev.Request, core.RejectDenied, "a valid key is required to publish")
		return
	}
	p := relay.Path{App: ev.App, Key: ev.StreamKey}
	if err := r.authorize(c.Context(), authRequest(c, rc, "publish", p, ev.Query)); err != nil {
		c.Reject(ev.Request, core.RejectDenied, err.Error())
		return
	}
	id := clientID(c, ev.StreamID)
	st := r.stream(p)
	fx, err := r.publishOnPath(st, id)
	if err != nil {
		st.mu.Unlock()
		r.forget(st)
		c.Reject(ev.Request, core.RejectBadName, p.String()+" is already being published")
		return
	}
	rc.publishing[ev.StreamID] = &relayPublisher{st: st}
	c.Accept(ev.Request)
	r.carryOut(st, fx) // disconnects the publisher taken over, if any
	st.pub = publisherRef{id: id, c: c, streamID: ev.StreamID}
	st.mu.Unlock()
	r.linkPublished(p, id)
	c.log.Info("publishing", "path", p.String(), "took_over", tookOver(fx))
}

func (r *Relay) play(c *Conn, rc *relayConn, ev core.PlayStreamStarted) {
	p := relay.Path{App: ev.App, Key: ev.StreamKey}
	id := clientID(c, ev.StreamID)
	st := r.stream(p)
	pl := &relayPlayer{c: c, streamID: ev.StreamID}
	pl.ack = func(cost int) { pl.written.Add(int64(cost)) }
	st.players[id] = pl
	fx, err := st.s.PlayView(id, rc.view)
	if err != nil {
		delete(st.players, id)
		st.mu.Unlock()
		c.log.Warn("play refused", "path", p.String(), "err", err)
		return
	}
	rc.playing[ev.StreamID] = st
	r.carryOut(st, fx)
	st.mu.Unlock()
	if c.nagle {
		// The fast start just queued leaves at once; what follows is
		// live media, which Nagle may coalesce.
		c.EnableNagle()
	}
	r.linkPlaying(p)
	c.log.Info("playing", "path", p.String())
}

// data fans out a data message of a publisher, AMF0 encoded as players
// receive it (type 18, whatever the publisher sent it as).
func (r *Relay) data(c *Conn, pub *relayPublisher, from relay.ClientID, kind relay.Kind, ts uint32, values ...amf0.Value) {
	payload, err := amf0.Append(nil, values...)
	if err != nil {
		c.log.Warn("data message not relayed", "kind", kind, "err", err)
		return
	}
	r.fanout(pub.st, from, relay.Media{Kind: kind, Timestamp: ts, Payload: payload})
}

// leave removes a publisher or player and forgets an empty path.
func (r *Relay) leave(st *relayStream, id relay.ClientID) {
	st.mu.Lock()
	if pub, ok := st.s.Publishing(); ok && pub == id {
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
