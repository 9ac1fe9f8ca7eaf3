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

// server is one relay server running rtmpd's decisions: each connection's
// events go to a relay.Conn, as live.Relay's do, and its effects are
// carried out here with serverconn in place of sockets and goroutines:
// one caller, no locks. What is decided (who publishes, takeovers, fast
// start, notices, drops, disconnections) is core/relay's alone; the
// server only moves messages and records what the checks look at.
type server struct {
	sim    *Sim
	cfg    serverconn.Config
	reg    *relay.Registry
	policy relay.Policy
	conns  []*sconn
	// work holds effects still to carry out, so that a step on one
	// connection can cause steps on others without recursion.
	work []work
	// behind records players the relay dropped or disconnected.
	behind map[relay.ClientID]bool
	// fanout is reused for every message, as a driver does.
	fanout relay.Fanout
	// pulls decides the pulls of an edge (Config.Pull); pulling holds
	// those in progress.
	pulls   *relay.Pulls
	pulling map[relay.Path]*pulling
}

type work struct {
	c  *sconn
	fx []core.Effect
}

// sconn is the server's side of one connection.
type sconn struct {
	id    int
	conn  *serverconn.Conn
	relay *relay.Conn
	link  *link
	start time.Duration // session time zero
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
const linger = 2 * second

type mediaAck struct {
	end  uint64
	st   *relay.Stream
	id   relay.ClientID
	cost int
}

func newServer(s *Sim, cfg serverconn.Config, limits relay.Config, policy relay.Policy) *server {
	srv := &server{sim: s, cfg: cfg, reg: relay.NewRegistry(limits), policy: policy, behind: map[relay.ClientID]bool{},
		pulling: map[relay.Path]*pulling{}}
	if r := s.cfg.Pull; r != nil {
		srv.pulls = relay.NewPulls(r.Linger)
	}
	return srv
}

// accept starts serving a new connection.
func (s *server) accept(now time.Duration, l *link) *sconn {
	cfg := s.cfg
	cfg.Handshake.Random = fmt.Appendf(nil, "server %d %d", s.sim.seed, len(s.conns))
	id := len(s.conns)
	c := &sconn{id: id, conn: serverconn.New(cfg), link: l, start: now,
		relay: relay.NewConn(uint64(id), fmt.Sprintf("client-%d:1935", id), s.policy)}
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

// handle takes one effect of a connection's session, as driver.Conn and
// live.Relay.HandleEvent do.
func (s *server) handle(c *sconn, e core.Effect) {
	s.sim.trace("s%d %T", c.id, e)
	switch e := e.(type) {
	case core.CallerError:
		s.sim.fail("server connection %d: caller error: %v", c.id, e.Err)
	case core.Disconnect:
		c.closed, c.closedAt, c.err = true, s.sim.now, e.Err
		s.sim.res.Closed++
		s.sim.trace("s%d closed: %v", c.id, e.Err)
		// Whatever the session still held is released, as HandleClose does.
		s.carryOut(c, c.relay.Close())
	case core.AudioVideoDataReceived:
		if st, from, m, ok := c.relay.Media(e); ok {
			s.fan(st, from, m)
		}
	case core.Event:
		s.carryOut(c, c.relay.Step(e))
	}
}

// carryOut executes the effects of a connection's relay.Conn.
func (s *server) carryOut(c *sconn, fx []relay.Effect) {
	for _, e := range fx {
		switch e := e.(type) {
		case relay.AcceptRequest:
			s.step(c, core.Accept{Request: e.Request})
		case relay.RejectRequest:
			s.step(c, core.Reject{Request: e.Request, Reason: e.Reason, Description: e.Description})
		case relay.Authorize:
			// The simulation's server has no authorizer: it allows all.
			s.carryOut(c, c.relay.Authorized(e.Request, nil))
		case relay.Publish:
			st := s.reg.Stream(e.Path)
			s.carryOutStream(c, st, c.relay.Apply(st, e))
		case relay.Play:
			st := s.reg.Stream(e.Path)
			s.carryOutStream(c, st, c.relay.Apply(st, e))
		case relay.Leave:
			if ps, ok := e.Stream.PlayerStats(e.ID); ok && ps.Dropped > 0 {
				s.behind[e.ID] = true
			}
			s.carryOutStream(c, e.Stream, c.relay.Apply(e.Stream, e))
		case relay.ClearMetadata:
			s.carryOutStream(c, e.Stream, c.relay.Apply(e.Stream, e))
		case relay.Forward:
			s.fan(e.Stream, e.ID, e.Media)
		case relay.Warning:
			s.sim.fail("server connection %d: %s on %v: %v", c.id, e.What, e.Path, e.Err)
		}
	}
}

// carryOutStream executes what applying an effect to st returned.
func (s *server) carryOutStream(c *sconn, st *relay.Stream, fx []relay.Effect) {
	for _, e := range fx {
		switch e := e.(type) {
		case relay.AcceptRequest, relay.RejectRequest, relay.Warning:
			s.carryOut(c, []relay.Effect{e})
		case relay.Published:
			s.sim.trace("s%d publishes %v (took over: %v)", c.id, e.Path, e.TookOver)
		case relay.Playing:
			s.sim.trace("s%d plays %v", c.id, e.Path)
			s.pullPlaying(st)
		case relay.Left:
			s.sim.trace("s%d left %v: %s", c.id, e.Path, e.Why)
			s.pullLeft(st)
		case relay.Forget:
			if s.pulling[st.Path()] == nil {
				s.reg.Forget(st.Path())
			}
		default:
			s.carryOutPlayers(st, []relay.Effect{e})
		}
	}
}

// carryOutPlayers executes a Stream's effects on its players and
// publisher.
func (s *server) carryOutPlayers(st *relay.Stream, fx []relay.Effect) {
	for _, e := range fx {
		switch e := e.(type) {
		case relay.Send:
			s.deliver(st, e.Player, e.Media)
		case relay.PublishStarted:
			s.notify(st, e.Player, e.Notice)
		case relay.PublishStopped:
			s.notify(st, e.Player, e.Notice)
		case relay.DisconnectPublisher:
			if e.Publisher>>63 == 1 {
				s.pullTakenOver(e.Publisher)
				continue
			}
			old := s.conns[int(e.Publisher>>32)]
			s.sim.trace("s%d taken over: %v", old.id, e.Reason)
			s.sim.res.TakenOver++
			s.step(old, core.SendMessage{StreamID: e.Notice.StreamID, Body: e.Notice.Body})
			s.step(old, core.Close{})
		case relay.Disconnect:
			s.disconnect(st, e)
		}
	}
}

// player finds the connection of a relay client id, if it still plays st.
func (s *server) player(st *relay.Stream, id relay.ClientID) (*sconn, bool) {
	c := s.conns[int(id>>32)]
	if _, on := st.PlayerStats(id); !on || c.closed {
		return nil, false
	}
	return c, true
}

// fan relays one message of a publisher: the relay decides, the server
// moves the message in each player's view.
func (s *server) fan(st *relay.Stream, from relay.ClientID, m relay.Media) {
	f := &s.fanout
	if !st.MediaFrom(from, m, f) {
		return // taken over; its connection is closing
	}
	if len(f.To) < len(st.Players()) {
		for _, id := range st.Players() {
			if ps, _ := st.PlayerStats(id); ps.Dropped > 0 {
				s.behind[id] = true
			}
		}
	}
	for i, id := range f.To {
		s.deliver(st, id, f.Payload(f.Views[i]))
	}
	for _, d := range f.Disconnect {
		s.disconnect(st, d)
	}
	s.checkQueues(st)
}

// disconnect closes a player the relay removed.
func (s *server) disconnect(st *relay.Stream, d relay.Disconnect) {
	s.behind[d.Player] = true
	c := s.conns[int(d.Player>>32)]
	if !c.closed {
		s.sim.trace("s%d relay disconnects a player: %v", c.id, d.Reason)
		s.step(c, core.Close{})
	}
}

// notify sends a player the relay's notice.
func (s *server) notify(st *relay.Stream, id relay.ClientID, notice []message.Message) {
	if c, ok := s.player(st, id); ok {
		for _, m := range notice {
			s.step(c, core.SendMessage{StreamID: m.StreamID, Body: m.Body})
		}
	}
}

// deliver sends one message to a player through its session, and reports
// it written when the player is gone, as a driver's refused offer does.
func (s *server) deliver(st *relay.Stream, id relay.ClientID, m relay.Media) {
	c, ok := s.player(st, id)
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
			s.sim.fail("server: data payload does not decode: %v", err)
			return
		}
		body = message.Data{Values: vs}
	}
	s.step(c, core.SendMessage{StreamID: id.StreamID(), Body: body, Timestamp: m.Timestamp, ForceTimestamp: true})
	c.acks = append(c.acks, mediaAck{end: c.conn.Produced(), st: st, id: id, cost: m.Cost()})
}

// checkQueues holds the relay to its bounds on every player of st.
func (s *server) checkQueues(st *relay.Stream) {
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
		a.st.Written(a.id, a.cost)
		k++
	}
	c.acks = c.acks[k:]
	if c.closed && (len(c.conn.Pending()) == 0 || out.cut || now >= c.closedAt+linger) {
		c.socketClosed = true
		out.fin = true
		s.sim.trace("s%d socket closed", c.id)
	}
}
