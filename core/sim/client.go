package sim

import (
	"fmt"
	"reflect"
	"time"

	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/clientconn"
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
	// AMF3 makes the client connect with objectEncoding 3: its commands
	// and data go out in AMF3, and the server's come back so.
	AMF3 bool
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
	if c.AMF3 {
		s += " amf3"
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

// peer is one simulated client: a script driving the shipped client
// connection over a simulated link.
type peer struct {
	sim  *Sim
	id   int
	spec ClientSpec

	phase clientPhase
	// conn is the shipped client pipeline (handshake, chunk stream,
	// client session); born is when it was dialled, the zero of its clock.
	conn    *clientconn.Conn
	born    time.Duration
	link    *link
	server  *sconn
	closing bool // close once the pending output is written
	eof     bool // the server closed the connection
	dropped bool // the network cut the connection
	// rejected: the server refused the publish or play.
	rejected bool
	// takenOver: a new publisher replaced this one, which the server
	// told and is closing.
	takenOver bool
	asked     bool // publish or play was sent

	// calls counts, by name, the calls made that want an answer, and
	// answers the answers the session matched to them.
	calls, answers map[string]int
	status         int // answers to publish or play
	streamID       uint32

	next    int // publisher: next tag
	startAt time.Duration
	doneAt  time.Duration // when finishing began

	got   []received
	epoch int
	pings []uint32
	acks  []uint32
}

func newClient(s *Sim, id int, spec ClientSpec) *peer {
	return &peer{sim: s, id: id, spec: spec, calls: map[string]int{}, answers: map[string]int{}}
}

// dial connects to the server and starts the handshake; connect goes out
// right after it.
func (c *peer) dial(now time.Duration) {
	s := c.sim
	c.link = &link{
		c2s: newPipe(s.rng, s.cfg.Window[0]+s.rng.IntN(s.cfg.Window[1]-s.cfg.Window[0]+1), s.cfg.Delay),
		s2c: newPipe(s.rng, s.cfg.Window[0]+s.rng.IntN(s.cfg.Window[1]-s.cfg.Window[0]+1), s.cfg.Delay),
	}
	if c.spec.StallFor > 0 {
		c.link.s2c.stallFrom, c.link.s2c.stallUntil = c.spec.StallAt, c.spec.StallAt+c.spec.StallFor
	}
	c.server = s.server.accept(now, c.link)
	c.conn = clientconn.New(clientconn.Config{
		// Publishers make the calls OBS and FFmpeg make around publish;
		// every client announces the window its script asks for.
		Session:   client.Config{Window: c.spec.Window, FMLECalls: c.spec.Role == Publisher},
		Handshake: handshake.ClientConfig{Random: fmt.Appendf(nil, "client %d %d", s.seed, c.id)},
	})
	c.born, c.phase = now, connecting
	connect := client.Connect{App: "live", TCURL: "rtmp://127.0.0.1/live"}
	if c.spec.AMF3 {
		connect.ObjectEncoding = 3
	}
	c.call(now, "connect", connect)
}

// step gives the session an input and reacts to its effects.
func (c *peer) step(now time.Duration, in client.Input) {
	c.handle(now, c.conn.Step(in))
}

// call steps an input that makes a call wanting an answer.
func (c *peer) call(now time.Duration, name string, in client.Input) {
	c.calls[name]++
	c.step(now, in)
}

// flush moves the connection's output to the network as the window allows.
func (c *peer) flush(now time.Duration) {
	if c.phase == gone || c.phase == waiting {
		return
	}
	p := c.conn.Pending()
	if n := min(c.link.c2s.room(), len(p)); n > 0 {
		c.link.c2s.write(now, append([]byte(nil), p[:n]...))
		c.conn.Advance(n)
	}
	if c.closing && len(c.conn.Pending()) == 0 {
		c.close()
	}
}

// close ends the connection cleanly: the server reads EOF after what was
// sent, and what it still sends is lost.
func (c *peer) close() {
	c.gone()
	c.link.c2s.fin = true
	c.link.s2c.cut = true
	c.sim.trace("c%d closes", c.id)
}

// drop cuts the connection in the network.
func (c *peer) drop() {
	c.gone()
	c.dropped = true
	c.link.c2s.cut, c.link.s2c.cut = true, true
	c.sim.trace("c%d dropped (vanish %v)", c.id, c.spec.Vanish)
	if !c.spec.Vanish {
		c.sim.server.step(c.server, closeInput)
	}
}

// gone ends the client's part: its connection closes as a driver closes
// it when the socket ends. The session's closing notices (pending
// requests failing with CodeClosed) are its own, not the server's
// answers, so they are not checked.
func (c *peer) gone() {
	c.phase = gone
	c.conn.Step(client.Close{})
}

// read takes what the server sent and feeds it to the connection.
func (c *peer) read(now time.Duration) {
	b, eof := c.link.s2c.read(now)
	if len(b) > 0 && c.conn.State() != clientconn.Closed {
		c.handle(now, c.conn.Feed(b))
	}
	if eof && !c.eof {
		c.eof = true
		c.sim.trace("c%d sees EOF", c.id)
		if c.phase != gone {
			c.gone()
			c.link.c2s.fin = true
		}
	}
}

// handle reacts to what the connection reports, in order.
func (c *peer) handle(now time.Duration, fx []client.Effect) {
	for _, e := range fx {
		c.effect(now, e)
	}
}

func (c *peer) effect(now time.Duration, e client.Effect) {
	switch e := e.(type) {
	case client.Connected:
		c.answered(now, "connect", false, e)
	case client.ConnectFailed:
		c.answered(now, "connect", true, e)
	case client.StreamCreated:
		c.answered(now, "createStream", false, e)
	case client.CreateStreamFailed:
		c.answered(now, "createStream", true, e)
	case client.CallAnswered:
		c.answered(now, e.Name, e.Failed, e.Command)
	case client.PublishStarted, client.PlayStarted:
		c.started(now)
	case client.PublishFailed:
		c.refused(now, e.Code)
	case client.PlayFailed:
		c.refused(now, e.Code)
	case client.PlayFinished:
		if e.Code != "" {
			// The server ended a started play: a second answer to it.
			c.status++
		}
	case client.StatusReceived:
		c.statusReceived(now, e.Code)
	case client.MediaReceived:
		c.media(e)
	case client.MetaDataReceived:
		c.metaDataReceived(e)
	case client.MessageIgnored:
		if isMedia(e.Type) && c.phase != finishing {
			c.sim.fail("client %d (%v): media on stream %d: %s", c.id, c.spec.Role, e.MessageStreamID, e.Reason)
		}
	case client.PingAnswered:
		c.pings = append(c.pings, e.Timestamp)
	case client.AcknowledgementReceived:
		c.acks = append(c.acks, e.BytesReceived)
		if uint64(e.BytesReceived) > c.conn.Sent() {
			c.sim.fail("client %d: acknowledged %d bytes of %d written", c.id, e.BytesReceived, c.conn.Sent())
		}
	case client.CommandUnhandled:
		if n := e.Command.Name; n == "_result" || n == "_error" {
			c.sim.fail("client %d: answer %s to transaction %v it never sent or that was answered", c.id, n, e.Command.TransactionID)
		}
	case client.CallerError:
		c.sim.fail("client %d: %v", c.id, e.Err)
	case client.Disconnect:
		if e.Err != nil {
			c.sim.fail("client %d: server output does not decode: %v", c.id, e.Err)
		}
		if c.phase != gone {
			c.closing = true
		}
	}
}

// answered counts the answer to a call and goes on with the script.
func (c *peer) answered(now time.Duration, name string, failed bool, answer any) {
	c.answers[name]++
	if failed {
		c.sim.fail("client %d: %s refused: %+v", c.id, name, answer)
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
		c.call(now, "createStream", client.CreateStream{Request: 1})
	case "createStream":
		c.streamID = answer.(client.StreamCreated).StreamID
		c.phase, c.asked = starting, true
		if c.spec.Role == Publisher {
			c.calls["releaseStream"]++
			c.calls["FCPublish"]++
			c.step(now, client.Publish{StreamID: c.streamID, Name: c.spec.Key, Type: client.PublishLive})
		} else {
			c.step(now, client.Play{StreamID: c.streamID, Name: c.spec.Key, Start: -2})
		}
	}
	c.maybeFinish(now)
}

// started: the publish or play was accepted.
func (c *peer) started(now time.Duration) {
	c.status++
	if c.phase == starting {
		c.phase, c.startAt = running, now
	}
	c.maybeFinish(now)
}

// refused: the publish or play was refused, or failed because the
// client stopped it (CodeClosed), which is no answer of the server's.
func (c *peer) refused(now time.Duration, code string) {
	if code == client.CodeClosed {
		return
	}
	c.status++
	c.rejected = true
	c.finish(now)
	c.maybeFinish(now)
}

// statusReceived handles the statuses the session does not turn into
// answers: a repeated start or refusal, a takeover, a publisher change.
func (c *peer) statusReceived(now time.Duration, code string) {
	switch code {
	case "NetStream.Publish.BadName":
		if c.status > 0 {
			// Not an answer to the publish, which was accepted: the
			// path was taken over. The server closes the connection.
			c.takenOver = true
			c.sim.trace("c%d taken over", c.id)
			return
		}
		c.status++
	case "NetStream.Publish.Start", "NetStream.Play.Start", "NetStream.Publish.Denied":
		c.status++
	case "NetStream.Play.PublishNotify", "NetStream.Play.UnpublishNotify":
		c.epoch++
	}
}

func (c *peer) media(e client.MediaReceived) {
	if c.spec.Role != Player || e.StreamID != c.streamID || c.streamID == 0 {
		c.sim.fail("client %d (%v): media on stream %d", c.id, c.spec.Role, e.StreamID)
		return
	}
	kind := relay.Audio
	if e.Kind == client.KindVideo {
		kind = relay.Video
	}
	// The payload belongs to the connection's buffers only until the
	// next Feed.
	payload := append([]byte(nil), e.Data...)
	c.got = append(c.got, received{kind: kind, ts: e.Timestamp, payload: payload, epoch: c.epoch})
}

// metaDataReceived holds a player to the metadata every publisher sends:
// the same keys and values, whichever encoding the publisher and the
// player chose.
func (c *peer) metaDataReceived(e client.MetaDataReceived) {
	if want := c.sim.metaData; want != nil && !reflect.DeepEqual(want, e.MetaData) {
		c.sim.fail("client %d (%v, amf3 %v): metadata %v, published %v", c.id, c.spec.Role, c.spec.AMF3, e.MetaData, want)
		return
	}
	c.sim.res.MetaData++
	if c.spec.AMF3 {
		c.sim.res.AMF3MetaData++
	}
}

// finish ends the script: the stream is deleted (a publisher's with
// FCUnpublish), then the client waits for the answers before closing.
func (c *peer) finish(now time.Duration) {
	if c.phase == gone || c.phase == finishing {
		return
	}
	switch {
	case c.phase != running:
		// Nothing started: leave without further calls.
		c.phase, c.doneAt = finishing, now
	case c.spec.Role == Publisher:
		c.phase, c.doneAt = finishing, now
		c.call(now, "FCUnpublish", client.DeleteStream{StreamID: c.streamID})
	default:
		c.phase, c.doneAt = finishing, now
		c.step(now, client.DeleteStream{StreamID: c.streamID})
	}
	c.maybeFinish(now)
}

// maybeFinish closes a finishing client once every call, publish or play
// included, was answered.
func (c *peer) maybeFinish(time.Duration) {
	if c.phase != finishing || c.asked && c.status == 0 {
		return
	}
	for name, n := range c.calls {
		if c.answers[name] < n {
			return
		}
	}
	c.closing = true
}

// tick runs the client's timers at now.
func (c *peer) tick(now time.Duration) {
	switch {
	case c.phase == waiting && now >= c.spec.Start:
		c.dial(now)
	case c.phase == gone || c.phase == waiting:
		return
	case c.spec.DropAt > 0 && now >= c.spec.DropAt:
		c.drop()
		return
	}
	if d := c.conn.Deadline(); d != clientconn.Never && now >= c.born+d {
		c.handle(now, c.conn.Tick(now-c.born))
	}
	if c.phase == running && c.spec.Role == Publisher {
		tags := c.sim.cfg.Media
		for c.next < len(tags) && c.startAt+ms(tags[c.next].Timestamp) <= now {
			m, err := TagMessage(tags[c.next], c.streamID)
			if err != nil {
				c.sim.fail("client %d: %v", c.id, err)
			}
			c.step(now, client.SendMessage{StreamID: m.StreamID, Timestamp: m.Timestamp, Body: m.Body})
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
const finishTimeout = 6 * second

// wake is the client's next timer.
func (c *peer) wake() time.Duration {
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
	if d := c.conn.Deadline(); d != clientconn.Never {
		w = min(w, c.born+d)
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

func ms(t uint32) time.Duration { return time.Duration(t) * millisecond }

func isMedia(t message.TypeID) bool { return t == message.TypeAudio || t == message.TypeVideo }
