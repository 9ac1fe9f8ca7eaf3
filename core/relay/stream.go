package relay

// ClientID names one publishing or playing stream of one connection. The
// caller chooses ids; the relay only compares them, except that a network
// client's id is its connection's and its message stream's (ConnClient),
// so that the relay can address its notices.
type ClientID uint64

// ConnClient is the id of message stream streamID of connection conn. Ids
// with the top bit set are free for the caller's other players and
// publishers (in-process ones, HTTP-FLV players), which get no notices.
func ConnClient(conn uint64, streamID uint32) ClientID {
	return ClientID(conn<<32 | uint64(streamID))
}

// StreamID is the message stream of a network client's id.
func (id ClientID) StreamID() uint32 { return uint32(id) }

// Path names a relayed stream: the application and the stream key, as in
// rtmp://host/App/Key.
type Path struct{ App, Key string }

// String is the path as it appears in a URL.
func (p Path) String() string { return p.App + "/" + p.Key }

// Stream is the state of one path: its publisher, its players in the order
// they joined, the fast-start cache and each player's queue accounting.
// It is a plain mutable value with deterministic methods and no locks;
// a concurrent caller guards each Stream with its own lock, so media on
// one path never waits for another path.
type Stream struct {
	cfg        Config
	path       Path
	owner      any
	publishing bool
	publisher  ClientID
	cache      cache
	players    []player
	// index maps a player id to its position in players; it is rebuilt
	// whenever players change, which is rare next to Written calls.
	index  map[ClientID]int
	totals PlayerStats
	// unreadable counts the publishers' messages classified Unreadable.
	unreadable uint64
	// clock keeps timestamps going forward across publishers.
	clock timeline
}

// NewStream returns an empty stream bounded by cfg.
func NewStream(cfg Config) *Stream {
	return &Stream{cfg: cfg.WithDefaults()}
}

// player is one player's view of the stream.
type player struct {
	id ClientID
	// view is how much of the stream the player takes.
	view View
	// queued is the cost of what was sent to the player and not yet
	// reported written.
	queued int
	// started is the video tracks the player gets frames of: each starts
	// at its keyframe, in the fast start or live, and all stop after a
	// publisher (re)start or an overflow until their next keyframe.
	started trackSet
	// overflow marks video held back by a full queue; behindSince is the
	// media time it began.
	overflow    bool
	behindSince uint32
	stats       PlayerStats
}

// PlayerStats counts what the relay did with one player's messages.
type PlayerStats struct {
	Sent, SentBytes       uint64
	Dropped, DroppedBytes uint64
}

func (s *PlayerStats) sent(cost int)    { s.Sent++; s.SentBytes += uint64(cost) }
func (s *PlayerStats) dropped(cost int) { s.Dropped++; s.DroppedBytes += uint64(cost) }

// Path is the path the stream was made for by its Registry.
func (s *Stream) Path() Path { return s.path }

// SetOwner keeps a value of the caller's with the stream: a driver keeps
// there what carries the stream out (its lock, its players' queues), so
// that an effect naming the Stream leads to it without a lookup. The
// relay never reads it.
func (s *Stream) SetOwner(v any) { s.owner = v }

// Owner is the value given to SetOwner.
func (s *Stream) Owner() any { return s.owner }

// Publishing reports whether the stream has a publisher, and which.
func (s *Stream) Publishing() (ClientID, bool) { return s.publisher, s.publishing }

// Players returns the ids of the players in the order they joined.
func (s *Stream) Players() []ClientID {
	ids := make([]ClientID, len(s.players))
	for i, p := range s.players {
		ids[i] = p.id
	}
	return ids
}

// Empty reports whether nobody publishes or plays, so the stream may be
// forgotten.
func (s *Stream) Empty() bool { return !s.publishing && len(s.players) == 0 }

// PlayerStats returns the counters of one player, if it is on the stream.
func (s *Stream) PlayerStats(id ClientID) (PlayerStats, bool) {
	if i := s.find(id); i >= 0 {
		return s.players[i].stats, true
	}
	return PlayerStats{}, false
}

// Totals returns the counters summed over every player the stream ever
// had, including those that left.
func (s *Stream) Totals() PlayerStats { return s.totals }

// Unreadable is how many messages of the stream's publishers codec/flv
// could not read (see Unreadable), for as long as the stream exists.
func (s *Stream) Unreadable() uint64 { return s.unreadable }

// Queued returns the cost queued to a player and not yet written.
func (s *Stream) Queued(id ClientID) int {
	if i := s.find(id); i >= 0 {
		return s.players[i].queued
	}
	return 0
}

func (s *Stream) find(id ClientID) int {
	if i, ok := s.index[id]; ok {
		return i
	}
	return -1
}

func (s *Stream) reindex() {
	clear(s.index)
	if s.index == nil {
		s.index = make(map[ClientID]int, len(s.players))
	}
	for i, p := range s.players {
		s.index[p.id] = i
	}
}

// Publish makes id the publisher. A path has one publisher at a time: a
// second gets ErrPublisherExists and changes nothing. Waiting players are
// told the publisher started, and wait for its first keyframe. The new
// publisher's timestamps are shifted to continue after the latest the
// stream sent (see Media), so waiting players never see time go back.
func (s *Stream) Publish(id ClientID) ([]Effect, error) {
	if s.publishing {
		return nil, ErrPublisherExists
	}
	if s.find(id) >= 0 {
		return nil, ErrClientExists
	}
	return s.start(id, make([]Effect, 0, len(s.players))), nil
}

// start makes id the publisher, whoever published before, and appends a
// PublishStarted for each player to fx.
func (s *Stream) start(id ClientID, fx []Effect) []Effect {
	s.publishing, s.publisher = true, id
	s.cache.reset()
	s.clock.restart()
	for i := range s.players {
		p := &s.players[i]
		p.started, p.overflow = trackSet{}, false
		fx = append(fx, PublishStarted{Player: p.id, Notice: publishNotice(s.path, p.id.StreamID())})
	}
	return fx
}

// TakeOver makes id the publisher like Publish, and if the path already
// has a publisher, replaces it instead of refusing: the first effect is a
// DisconnectPublisher for the old one, which is no longer the stream's
// (IsPublisher says so from now on, so a caller drops whatever it still
// sends). The players stay and are told a publisher started, not that one
// stopped: a player that takes NetStream.Play.UnpublishNotify for the end
// of the stream (ffmpeg does) would otherwise quit instead of going on
// with the new publisher. As after any new publisher, they wait for its
// first keyframe, and its timestamps continue the stream's.
func (s *Stream) TakeOver(id ClientID) ([]Effect, error) {
	if !s.publishing {
		return s.Publish(id)
	}
	if s.publisher == id || s.find(id) >= 0 {
		return nil, ErrClientExists
	}
	old := s.publisher
	fx := []Effect{DisconnectPublisher{Publisher: old, Reason: ErrTakenOver, Notice: takenOverNotice(s.path, old.StreamID())}}
	return s.start(id, fx), nil
}

// IsPublisher reports whether id is the stream's publisher now: one that
// was taken over is not, though its messages may still be on their way.
func (s *Stream) IsPublisher(id ClientID) bool { return s.publishing && s.publisher == id }

// Play adds a player that takes every track (ViewAll). On a live stream
// it returns the fast-start cache as Send effects (metadata, the audio and
// video configurations of every track, then the messages since the
// tracks' last keyframes), so the player starts every video track on a
// keyframe of its own at once; otherwise the player waits for a
// publisher.
func (s *Stream) Play(id ClientID) ([]Effect, error) { return s.PlayView(id, ViewAll) }

// PlayView is Play for a player with the given view: the fast-start Sends
// and every later message reach it in that view (see View.Payload), and
// what holds nothing for it (a multitrack message without track 0) does
// not reach it at all.
func (s *Stream) PlayView(id ClientID, v View) ([]Effect, error) {
	if s.find(id) >= 0 || (s.publishing && s.publisher == id) {
		return nil, ErrClientExists
	}
	if v >= viewCount {
		v = ViewAll
	}
	s.players = append(s.players, player{id: id, view: v})
	s.reindex()
	if !s.publishing {
		return nil, nil
	}
	p := &s.players[len(s.players)-1]
	var fx []Effect
	send := func(m Media) {
		payload, ok := v.Payload(m)
		if !ok {
			return
		}
		m.Payload = payload
		p.queued += m.Cost()
		p.stats.sent(m.Cost())
		s.totals.sent(m.Cost())
		fx = append(fx, Send{Player: id, Media: m})
	}
	c := &s.cache
	if c.meta != nil {
		send(*c.meta)
	}
	for _, m := range c.configMessages() {
		send(*m)
	}
	// Frames more than the player's queue takes would only be dropped
	// again; the player waits for the next keyframes instead.
	if p.queued+c.logBytes <= s.cfg.MaxQueueBytes {
		logged, started := c.fastStart(v)
		for _, e := range logged {
			send(e.m)
		}
		p.started = started
	}
	return fx, nil
}

// Leave removes a player or the publisher; an unknown id does nothing.
// When the publisher leaves, the cache is emptied and every player is told
// the stream stopped; the players stay and wait for the next publisher.
func (s *Stream) Leave(id ClientID) []Effect {
	if s.publishing && s.publisher == id {
		s.publishing, s.publisher = false, 0
		s.cache.reset()
		fx := make([]Effect, 0, len(s.players))
		for i := range s.players {
			p := &s.players[i]
			p.started, p.overflow = trackSet{}, false
			fx = append(fx, PublishStopped{Player: p.id, Notice: unpublishNotice(s.path, p.id.StreamID())})
		}
		return fx
	}
	if i := s.find(id); i >= 0 {
		s.players = append(s.players[:i], s.players[i+1:]...)
		s.reindex()
	}
	return nil
}

// ClearMetadata forgets the cached metadata (the publisher sent
// @clearDataFrame): players joining later get none until the publisher
// sends metadata again. Players that already have it are not told; RTMP
// has no message that takes metadata back.
func (s *Stream) ClearMetadata() { s.cache.meta = nil }

// Written reports that n (by Media.Cost) of what was sent to a player has
// left its queue. Unknown ids are ignored: the player may have left while
// its bytes were in flight.
func (s *Stream) Written(id ClientID, n int) {
	if i := s.find(id); i >= 0 {
		p := &s.players[i]
		p.queued = max(p.queued-n, 0)
	}
}
