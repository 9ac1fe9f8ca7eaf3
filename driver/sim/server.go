package sim

import (
	"fmt"
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/core/serverconn"
)

// server is one relay server with the decisions rtmpd makes: accept every
// connect and play, one publisher per path (a second takes it over, or
// with Config.RefuseSecondPublisher gets BadName), fast start and the drop
// policy of core/relay. It mirrors driver.Relay with
// serverconn in place of sockets and goroutines: one caller, no locks.
type server struct {
	sim *Sim
	cfg serverconn.Config
	reg *relay.Registry
	// refuse is Config.RefuseSecondPublisher.
	refuse bool
	conns  []*sconn
	// work holds effects still to carry out, so that a step on one
	// connection can cause steps on others without recursion.
	work []work
	// behind records players the relay dropped or disconnected.
	behind map[relay.ClientID]bool
}

type work struct {
	c  *sconn
	fx []core.Effect
}

// sconn is the server's side of one connection.
type sconn struct {
	id    int
	conn  *serverconn.Conn
	link  *link
	start time.Duration // session time zero
	// publishing and playing map message stream ids to paths.
	publishing map[uint32]relay.Path
	playing    map[uint32]relay.Path
	// acks are media handed to the session and not yet taken by the
	// network, in order; each is reported written once Sent passes end.
	acks []mediaAck
	// closed: the session ended; the socket closes once output drained.
	closed, socketClosed bool
	closedAt             time.Duration
	err                  error // why the session ended
}

// linger bounds how long an ended session waits for its output to leave,
// as the driver's does.
const linger = 2 * time.Second

type mediaAck struct {
	end  uint64
	path relay.Path
	id   relay.ClientID
	cost int
}

func newServer(s *Sim, cfg serverconn.Config, limits relay.Config) *server {
	return &server{sim: s, cfg: cfg, reg: relay.NewRegistry(limits), behind: map[relay.ClientID]bool{}}
}

func clientID(c *sconn, streamID uint32) relay.ClientID {
	return relay.ClientID(uint64(c.id)<<32 | uint64(streamID))
}

// accept starts serving a new connection.
func (s *server) accept(now time.Duration, l *link) *sconn {
	cfg := s.cfg
	cfg.Handshake.Random = fmt.Appendf(nil, "server %d %d", s.sim.seed, len(s.conns))
	c := &sconn{id: len(s.conns), conn: serverconn.New(cfg), link: l, start: now,
		publishing: map[uint32]relay.Path{}, playing: map[uint32]relay.Path{}}
	s.conns = append(s.conns, c)
	return c
}

// feed passes bytes read from the client.
func (s *server) feed(c *sconn, b []byte) { s.run(c, c.conn.Feed(b)) }

// step passes an input to a connection.
func (s *server) step(c *sconn, in core.Input) { s.run(c, c.conn.Step(in)) }

// run carries out effects, and those they cause, until none are left.
func (s *server) run(c *sconn, fx []core.Effect) {
	s.work = append(s.work, work{c, fx})
	if len(s.work) > 1 {
		return // an outer run is draining the queue
	}
	for len(s.work) > 0 {
		w := s.work[0]
		for _, e := range w.fx {
			s.handle(w.c, e)
		}
		s.work = s.work[1:]
		s.sim.checkServerMemory(w.c)
	}
	s.work = nil
}

func (s *server) handle(c *sconn, e core.Effect) {
	s.sim.trace("s%d %T", c.id, e)
	switch e := e.(type) {
	case core.ConnectionRequested:
		s.step(c, core.Accept{Request: e.Request})
	case core.PublishStreamRequested:
		s.publish(c, e)
	case core.PlayStreamRequested:
		s.step(c, core.Accept{Request: e.Request})
	case core.PlayStreamStarted:
		s.play(c, e)
	case core.AudioVideoDataReceived:
		kind := relay.Audio
		if e.Kind == core.KindVideo {
			kind = relay.Video
		}
		s.media(c, e.StreamID, relay.Media{Kind: kind, Timestamp: e.Timestamp, Payload: e.Data})
	case core.StreamMetaDataChanged:
		payload, err := amf0.Append(nil, "onMetaData", e.MetaData)
		if err != nil {
			s.sim.fail("server: metadata does not encode: %v", err)
			return
		}
		s.media(c, e.StreamID, relay.Media{Kind: relay.Metadata, Payload: payload})
	case core.PublishingFinished:
		if p, ok := c.publishing[e.StreamID]; ok {
			delete(c.publishing, e.StreamID)
			s.leave(p, clientID(c, e.StreamID))
		}
	case core.PlayStreamFinished:
		if p, ok := c.playing[e.StreamID]; ok {
			delete(c.playing, e.StreamID)
			s.leave(p, clientID(c, e.StreamID))
		}
	case core.CallerError:
		s.sim.fail("server connection %d: caller error: %v", c.id, e.Err)
	case core.Disconnect:
		c.closed, c.closedAt, c.err = true, s.sim.now, e.Err
		s.sim.res.Closed++
		s.sim.trace("s%d closed: %v", c.id, e.Err)
		// Whatever the session still held is released, as HandleClose does.
		for id, p := range c.publishing {
			s.leave(p, clientID(c, id))
		}
		for id, p := range c.playing {
			s.leave(p, clientID(c, id))
		}
		clear(c.publishing)
		clear(c.playing)
	}
}

func (s *server) publish(c *sconn, e core.PublishStreamRequested) {
	p := relay.Path{App: e.App, Key: e.StreamKey}
	st := s.reg.Stream(p)
	publish := st.TakeOver
	if s.refuse {
		publish = st.Publish
	}
	fx, err := publish(clientID(c, e.StreamID))
	if err != nil {
		s.reg.Forget(p)
		s.step(c, core.Reject{Request: e.Request, Reason: core.RejectBadName, Description: p.String() + " is already being published"})
		return
	}
	c.publishing[e.StreamID] = p
	s.step(c, core.Accept{Request: e.Request})
	s.carryOut(p, fx)
}

func (s *server) play(c *sconn, e core.PlayStreamStarted) {
	p := relay.Path{App: e.App, Key: e.StreamKey}
	st := s.reg.Stream(p)
	fx, err := st.Play(clientID(c, e.StreamID))
	if err != nil {
		s.sim.fail("server: play refused: %v", err)
		return
	}
	c.playing[e.StreamID] = p
	s.carryOut(p, fx)
}

// player finds the connection and stream of a relay client id, if it is
// still playing.
func (s *server) player(id relay.ClientID) (*sconn, uint32, bool) {
	c := s.conns[int(id>>32)]
	streamID := uint32(id)
	if _, ok := c.playing[streamID]; !ok || c.closed {
		return nil, 0, false
	}
	return c, streamID, true
}

func (s *server) media(c *sconn, streamID uint32, m relay.Media) {
	p, ok := c.publishing[streamID]
	if !ok {
		return
	}
	st := s.reg.Stream(p)
	if !st.IsPublisher(clientID(c, streamID)) {
		return // taken over; its connection is closing
	}
	var f relay.Fanout
	st.Media(m, &f)
	// Players get the stream's timestamps, which continue across
	// publishers.
	m.Timestamp = f.Timestamp
	if len(f.To) < len(st.Players()) {
		for _, id := range st.Players() {
			if ps, _ := st.PlayerStats(id); ps.Dropped > 0 {
				s.behind[id] = true
			}
		}
	}
	for _, id := range f.To {
		s.deliver(p, id, m)
	}
	for _, d := range f.Disconnect {
		s.behind[d.Player] = true
		if pc, _, ok := s.player(d.Player); ok {
			s.sim.trace("s%d relay disconnects a player: %v", pc.id, d.Reason)
			s.step(pc, core.Close{})
		}
	}
	s.checkQueues(p)
}

// deliver sends one message to a player through its session.
func (s *server) deliver(p relay.Path, id relay.ClientID, m relay.Media) {
	st := s.reg.Stream(p)
	c, streamID, ok := s.player(id)
	if !ok {
		st.Written(id, m.Cost())
		return
	}
	var body message.Body
	switch m.Kind {
	case relay.Audio:
		body = message.Audio{Payload: m.Payload}
	case relay.Video:
		body = message.Video{Payload: m.Payload}
	default:
		vs, err := amf0.DecodeAll(m.Payload)
		if err != nil {
			s.sim.fail("server: metadata payload does not decode: %v", err)
			return
		}
		body = message.Data{Values: vs}
	}
	s.step(c, core.SendMessage{StreamID: streamID, Body: body, Timestamp: m.Timestamp, ForceTimestamp: true})
	c.acks = append(c.acks, mediaAck{end: c.conn.Produced(), path: p, id: id, cost: m.Cost()})
}

// carryOut executes the relay's effects on path p.
func (s *server) carryOut(p relay.Path, fx []relay.Effect) {
	for _, e := range fx {
		switch e := e.(type) {
		case relay.Send:
			s.deliver(p, e.Player, e.Media)
		case relay.DisconnectPublisher:
			// As driver.Relay does: the old publisher is told, then closed.
			c := s.conns[int(e.Publisher>>32)]
			s.sim.trace("s%d taken over: %v", c.id, e.Reason)
			s.sim.res.TakenOver++
			s.step(c, core.SendMessage{StreamID: uint32(e.Publisher), Body: message.Command{
				Name: "onStatus",
				Args: []amf0.Value{amf0.Object{
					{Key: "level", Value: "error"},
					{Key: "code", Value: "NetStream.Publish.BadName"},
					{Key: "description", Value: p.String() + " taken over by a new publisher"},
				}},
			}})
			s.step(c, core.Close{})
		case relay.PublishStarted:
			if c, streamID, ok := s.player(e.Player); ok {
				s.step(c, core.SendMessage{Body: message.StreamBegin{StreamID: streamID}})
				s.step(c, core.SendMessage{StreamID: streamID, Body: onStatus("NetStream.Play.PublishNotify")})
			}
		case relay.PublishStopped:
			if c, streamID, ok := s.player(e.Player); ok {
				s.step(c, core.SendMessage{Body: message.StreamEOF{StreamID: streamID}})
				s.step(c, core.SendMessage{StreamID: streamID, Body: onStatus("NetStream.Play.UnpublishNotify")})
			}
		case relay.Disconnect:
			s.behind[e.Player] = true
			if c, _, ok := s.player(e.Player); ok {
				s.step(c, core.Close{})
			}
		}
	}
}

func onStatus(code string) message.Command {
	return message.Command{Name: "onStatus", Args: []amf0.Value{amf0.Object{
		{Key: "level", Value: "status"}, {Key: "code", Value: code}, {Key: "description", Value: code},
	}}}
}

// leave removes a publisher or player from its path.
func (s *server) leave(p relay.Path, id relay.ClientID) {
	st, ok := s.reg.Lookup(p)
	if !ok {
		return
	}
	if ps, ok := st.PlayerStats(id); ok && ps.Dropped > 0 {
		s.behind[id] = true
	}
	s.carryOut(p, st.Leave(id))
	s.reg.Forget(p)
}

// checkQueues holds the relay to its bounds on every player of p.
func (s *server) checkQueues(p relay.Path) {
	st, ok := s.reg.Lookup(p)
	if !ok {
		return
	}
	for _, id := range st.Players() {
		if q := st.Queued(id); q > s.sim.cfg.Relay.HardQueueBytes {
			s.sim.fail("server: player %x has %d queued, beyond the hard bound %d", id, q, s.sim.cfg.Relay.HardQueueBytes)
		}
	}
}

// flush moves output to the network as the window allows, reports the
// media that left, and closes the socket of an ended session once its
// output is out.
func (s *server) flush(now time.Duration, c *sconn) {
	if c.socketClosed {
		return
	}
	out := c.link.s2c
	if n := min(out.room(), len(c.conn.Pending())); n > 0 {
		out.write(now, append([]byte(nil), c.conn.Pending()[:n]...))
		c.conn.Advance(n)
	}
	sent := c.conn.Sent()
	k := 0
	for k < len(c.acks) && c.acks[k].end <= sent {
		a := c.acks[k]
		if st, ok := s.reg.Lookup(a.path); ok {
			st.Written(a.id, a.cost)
		}
		k++
	}
	c.acks = c.acks[k:]
	if c.closed && (len(c.conn.Pending()) == 0 || out.cut || now >= c.closedAt+linger) {
		c.socketClosed = true
		out.fin = true
		s.sim.trace("s%d socket closed", c.id)
	}
}
