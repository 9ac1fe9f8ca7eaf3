package sim

import (
	"fmt"
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/relay"
)

// Role is what a simulated client does.
type Role uint8

// The roles.
const (
	Publisher Role = iota + 1
	Player
)

func (r Role) String() string {
	if r == Publisher {
		return "publisher"
	}
	return "player"
}

// ClientSpec is the script of one simulated client. Times are virtual,
// from the start of the run; zero DropAt, StallFor and Leave mean never.
type ClientSpec struct {
	Role  Role
	Key   string // stream key on app "live"
	Start time.Duration
	// Leave is when a player closes its connection (a publisher leaves
	// after its last tag and the answers to its unpublish).
	Leave time.Duration
	// The client's reader stops reading for StallFor from StallAt.
	StallAt, StallFor time.Duration
	// DropAt cuts the connection: with Vanish the server is not told
	// (a peer gone without a trace), otherwise both sides see a reset.
	DropAt time.Duration
	Vanish bool
	// Window is the acknowledgement window the client asks the server
	// for.
	Window uint32
}

func (c ClientSpec) String() string {
	s := fmt.Sprintf("%v %q start=%v window=%d", c.Role, c.Key, c.Start, c.Window)
	if c.Leave > 0 {
		s += fmt.Sprintf(" leave=%v", c.Leave)
	}
	if c.StallFor > 0 {
		s += fmt.Sprintf(" stall=%v+%v", c.StallAt, c.StallFor)
	}
	if c.DropAt > 0 {
		s += fmt.Sprintf(" drop=%v vanish=%v", c.DropAt, c.Vanish)
	}
	return s
}

type clientPhase uint8

const (
	waiting    clientPhase = iota // not dialled yet
	connecting                    // handshake and connect
	creating                      // createStream sent
	starting                      // publish or play sent
	running                       // publishing or playing
	finishing                     // script done, waiting for the last answers
	gone                          // closed, dropped or vanished
)

// received is one media message a player got.
type received struct {
	kind    relay.Kind
	ts      uint32
	payload []byte
	// epoch counts publisher changes the player was told of, so runs of
	// different publishers are checked apart.
	epoch int
}

type client struct {
	sim  *Sim
	id   int
	spec ClientSpec

	phase    clientPhase
	wire     *Wire
	link     *link
	server   *sconn
	pending  []byte
	written  uint64
	closing  bool // close once pending is written
	eof      bool // the server closed the connection
	dropped  bool // the network cut the connection
	rejected bool // publish refused: the path was taken
	// takenOver: a new publisher replaced this one, which the server
	// told and is closing.
	takenOver bool
	asked     bool // publish or play was sent

	txid     float64
	expected map[float64]string // calls that want an answer
	answers  map[float64]int
	status   int // answers to publish or play
	streamID uint32

	next    int // publisher: next tag
	startAt time.Duration
	doneAt  time.Duration // when finishing began

	got   []received
	epoch int
	pings []uint32
	acks  []uint32
}

func newClient(s *Sim, id int, spec ClientSpec) *client {
	return &client{sim: s, id: id, spec: spec, expected: map[float64]string{}, answers: map[float64]int{}}
}

// dial connects to the server and starts the handshake.
func (c *client) dial(now time.Duration) {
	s := c.sim
	c.link = &link{
		c2s: newPipe(s.rng, s.cfg.Window[0]+s.rng.IntN(s.cfg.Window[1]-s.cfg.Window[0]+1), s.cfg.Delay),
		s2c: newPipe(s.rng, s.cfg.Window[0]+s.rng.IntN(s.cfg.Window[1]-s.cfg.Window[0]+1), s.cfg.Delay),
	}
	if c.spec.StallFor > 0 {
		c.link.s2c.stallFrom, c.link.s2c.stallUntil = c.spec.StallAt, c.spec.StallAt+c.spec.StallFor
	}
	c.server = s.server.accept(now, c.link)
	c.wire = NewWire(handshake.ClientConfig{Random: fmt.Appendf(nil, "client %d %d", s.seed, c.id)})
	c.phase = connecting
	c.send(message.Message{Body: message.WindowAckSize{Size: c.spec.Window}})
	c.call(Connect("live", 0))
}

// send queues a message (the wire holds it until the handshake is done).
func (c *client) send(m message.Message) {
	if err := c.wire.Send(m); err != nil {
		c.sim.fail("client %d: %v", c.id, err)
	}
}

// call sends a command that wants an answer, with the next transaction id.
func (c *client) call(m message.Message) {
	cmd := m.Body.(message.Command)
	c.txid++
	cmd.TransactionID = c.txid
	m.Body = cmd
	c.expected[c.txid] = cmd.Name
	c.send(m)
}

// flush moves the wire's output to the network as the window allows.
func (c *client) flush(now time.Duration) {
	if c.phase == gone || c.phase == waiting {
		return
	}
	c.pending = append(c.pending, c.wire.TakeOutput()...)
	if n := min(c.link.c2s.room(), len(c.pending)); n > 0 {
		c.link.c2s.write(now, append([]byte(nil), c.pending[:n]...))
		c.pending = c.pending[n:]
		c.written += uint64(n)
	}
	if c.closing && len(c.pending) == 0 {
		c.close()
	}
}

// close ends the connection cleanly: the server reads EOF after what was
// sent, and what it still sends is lost.
func (c *client) close() {
	c.phase = gone
	c.link.c2s.fin = true
	c.link.s2c.cut = true
	c.sim.trace("c%d closes", c.id)
}

// drop cuts the connection in the network.
func (c *client) drop() {
	c.phase, c.dropped = gone, true
	c.link.c2s.cut, c.link.s2c.cut = true, true
	c.sim.trace("c%d dropped (vanish %v)", c.id, c.spec.Vanish)
	if !c.spec.Vanish {
		c.sim.server.step(c.server, closeInput)
	}
}

// read takes what the server sent and reacts to it.
func (c *client) read(now time.Duration) {
	b, eof := c.link.s2c.read(now)
	if len(b) > 0 {
		msgs, err := c.wire.Receive(b)
		for _, m := range msgs {
			c.onMessage(now, m)
		}
		if err != nil {
			c.sim.fail("client %d: server output does not decode: %v", c.id, err)
		}
	}
	if eof && !c.eof {
		c.eof = true
		c.sim.trace("c%d sees EOF", c.id)
		if c.phase != gone {
			c.phase = gone
			c.link.c2s.fin = true
		}
	}
}

func (c *client) onMessage(now time.Duration, m message.Message) {
	switch b := m.Body.(type) {
	case message.PingRequest:
		c.pings = append(c.pings, b.Timestamp)
		c.send(message.Message{Body: message.PingResponse(b)})
	case message.Acknowledgement:
		c.acks = append(c.acks, b.SequenceNumber)
		if uint64(b.SequenceNumber) > c.written {
			c.sim.fail("client %d: acknowledged %d bytes of %d written", c.id, b.SequenceNumber, c.written)
		}
	case message.Command:
		c.onCommand(now, b)
	case message.Audio:
		c.media(m, relay.Audio, b.Payload)
	case message.Video:
		c.media(m, relay.Video, b.Payload)
	}
}

func (c *client) media(m message.Message, kind relay.Kind, payload []byte) {
	if c.spec.Role != Player || m.StreamID != c.streamID || c.streamID == 0 {
		c.sim.fail("client %d (%v): media on stream %d", c.id, c.spec.Role, m.StreamID)
		return
	}
	c.got = append(c.got, received{kind: kind, ts: m.Timestamp, payload: payload, epoch: c.epoch})
}

func (c *client) onCommand(now time.Duration, cmd message.Command) {
	switch cmd.Name {
	case "_result", "_error":
		name, ok := c.expected[cmd.TransactionID]
		if !ok {
			c.sim.fail("client %d: answer %s to transaction %v it never sent", c.id, cmd.Name, cmd.TransactionID)
			return
		}
		c.answers[cmd.TransactionID]++
		if cmd.Name == "_error" {
			c.sim.fail("client %d: %s refused: %v", c.id, name, cmd.Args)
			return
		}
		if c.phase == finishing {
			// Leaving: answers still count, but nothing new starts.
			c.maybeFinish(now)
			return
		}
		switch name {
		case "connect":
			c.phase = creating
			if c.spec.Role == Publisher {
				c.call(Command(0, "releaseStream", 0, nil, c.spec.Key))
				c.call(Command(0, "FCPublish", 0, nil, c.spec.Key))
			}
			c.call(Command(0, "createStream", 0, nil))
		case "createStream":
			id, _ := argNumber(cmd.Args)
			c.streamID = uint32(id)
			c.phase, c.asked = starting, true
			if c.spec.Role == Publisher {
				c.send(Command(c.streamID, "publish", 0, nil, c.spec.Key, "live"))
			} else {
				c.send(Command(c.streamID, "play", 0, nil, c.spec.Key))
				c.send(message.Message{Body: message.SetBufferLength{StreamID: c.streamID, Milliseconds: 1000}})
			}
		}
		c.maybeFinish(now)
	case "onStatus":
		code := statusCode(cmd)
		switch code {
		case "NetStream.Publish.Start", "NetStream.Play.Start":
			c.status++
			if c.phase == starting {
				c.phase, c.startAt = running, now
			}
			c.maybeFinish(now)
		case "NetStream.Publish.BadName", "NetStream.Publish.Denied", "NetStream.Play.Failed", "NetStream.Play.StreamNotFound":
			if code == "NetStream.Publish.BadName" && c.status > 0 {
				// Not an answer to the publish, which was accepted: the
				// path was taken over. The server closes the connection.
				c.takenOver = true
				c.sim.trace("c%d taken over", c.id)
				return
			}
			c.status++
			c.rejected = true
			c.finish(now)
			c.maybeFinish(now)
		case "NetStream.Play.PublishNotify", "NetStream.Play.UnpublishNotify":
			c.epoch++
		}
	}
}

// finish ends the script: unpublish (a publisher), then wait for the
// answers before closing.
func (c *client) finish(now time.Duration) {
	if c.phase == gone || c.phase == finishing {
		return
	}
	switch {
	case c.phase != running:
		// Nothing started: leave without further calls.
	case c.spec.Role == Publisher:
		c.call(Command(0, "FCUnpublish", 0, nil, c.spec.Key))
		c.send(Command(0, "deleteStream", 0, nil, float64(c.streamID)))
	default:
		c.send(Command(c.streamID, "closeStream", 0, nil))
	}
	c.phase, c.doneAt = finishing, now
	c.maybeFinish(now)
}

// maybeFinish closes a finishing client once every call, publish or play
// included, was answered.
func (c *client) maybeFinish(time.Duration) {
	if c.phase != finishing || c.asked && c.status == 0 {
		return
	}
	for txid := range c.expected {
		if c.answers[txid] == 0 {
			return
		}
	}
	c.closing = true
}

// tick runs the client's timers at now.
func (c *client) tick(now time.Duration) {
	switch {
	case c.phase == waiting && now >= c.spec.Start:
		c.dial(now)
	case c.phase == gone:
		return
	case c.spec.DropAt > 0 && now >= c.spec.DropAt:
		c.drop()
		return
	}
	if c.phase == running && c.spec.Role == Publisher {
		tags := c.sim.cfg.Media
		for c.next < len(tags) && c.startAt+ms(tags[c.next].Timestamp) <= now {
			m, err := TagMessage(tags[c.next], c.streamID)
			if err != nil {
				c.sim.fail("client %d: %v", c.id, err)
			}
			c.send(m)
			c.next++
		}
		if c.next == len(tags) {
			c.finish(now)
		}
	}
	if c.spec.Role == Player && c.spec.Leave > 0 && now >= c.spec.Leave && c.phase != waiting {
		c.finish(now)
	}
	// A server that stops answering must not keep a client forever.
	if c.phase == finishing && now >= c.doneAt+finishTimeout {
		c.closing = true
	}
}

// It is longer than any stall a scenario makes.
const finishTimeout = 6 * time.Second

// wake is the client's next timer.
func (c *client) wake() time.Duration {
	switch c.phase {
	case waiting:
		return c.spec.Start
	case gone:
		return never
	}
	w := never
	if c.spec.DropAt > 0 {
		w = c.spec.DropAt
	}
	if c.phase == running && c.spec.Role == Publisher && c.next < len(c.sim.cfg.Media) {
		w = min(w, c.startAt+ms(c.sim.cfg.Media[c.next].Timestamp))
	}
	if c.spec.Role == Player && c.spec.Leave > 0 && c.phase != finishing {
		w = min(w, c.spec.Leave)
	}
	if c.phase == finishing {
		w = min(w, c.doneAt+finishTimeout)
	}
	return w
}

func ms(t uint32) time.Duration { return time.Duration(t) * time.Millisecond }

func argNumber(args []amf0.Value) (float64, bool) {
	if len(args) == 0 {
		return 0, false
	}
	f, ok := args[0].(float64)
	return f, ok
}

// statusCode returns the code of an onStatus command.
func statusCode(cmd message.Command) string {
	if len(cmd.Args) == 0 {
		return ""
	}
	props, _ := amf0.Properties(cmd.Args[0])
	code, _ := amf0.Object(props).String("code")
	return code
}
