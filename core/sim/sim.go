package sim

import (
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/core/serverconn"
)

// Config is what every run of a simulation shares.
type Config struct {
	// Server configures each server connection; Handshake.Random is set
	// per connection from the seed.
	Server serverconn.Config
	// Relay bounds each path's cache and player queues.
	Relay relay.Config
	// RefuseSecondPublisher refuses a publish to a path that has a
	// publisher, as live.RefuseSecondPublisher does; by default the new
	// publisher takes the path over, as with live.Relay's default.
	RefuseSecondPublisher bool
	// Window is the range of each pipe's window (bytes in flight), Delay
	// the range of each segment's delay.
	Window [2]int
	Delay  [2]time.Duration
	// Media is what every publisher sends, paced by its timestamps.
	Media []flv.Tag

	// plantedCheck, when set, is one more invariant, checked last: tests
	// of the failure reports plant one that fails (export_test.go).
	plantedCheck func(Result) string
	// Pull, if set, makes the server an edge that pulls a path without a
	// publisher from a simulated remote for its players.
	Pull *Remote
}

// policy is the relay.Policy of the simulated server.
func (c Config) policy() relay.Policy {
	p := relay.Policy{}
	if c.RefuseSecondPublisher {
		p.SecondPublisher = relay.RefuseSecondPublisher
	}
	return p
}

// DefaultConfig is a server with frequent pings, small acknowledgement
// reports and tight relay queues, so that a short run exercises them.
func DefaultConfig(media []flv.Tag) Config {
	return Config{
		Server: serverconn.Config{
			Session:          core.Config{PingInterval: second, PingTimeout: 3 * second},
			Decoder:          chunk.DecoderConfig{MaxBuffered: 1 << 20},
			ReportEvery:      4096,
			MaxOutput:        1 << 20,
			HandshakeTimeout: 3 * second,
		},
		Relay:  relay.Config{MaxQueueBytes: 48 << 10, HardQueueBytes: 96 << 10, MaxBehindMillis: 1500},
		Window: [2]int{4 << 10, 64 << 10},
		Delay:  [2]time.Duration{0, 40 * millisecond},
		Media:  media,
	}
}

// Scenario is one run: the seed of everything random and the clients'
// scripts.
type Scenario struct {
	Seed    uint64
	Clients []ClientSpec
}

func (s Scenario) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "seed %d, %d clients:", s.Seed, len(s.Clients))
	for i, c := range s.Clients {
		fmt.Fprintf(&b, "\n  c%d %v", i, c)
	}
	return b.String()
}

// Result is what a run found.
type Result struct {
	// Failures are the broken invariants, empty when all held.
	Failures []string
	// Digest summarizes every event of the run: equal scenarios give
	// equal digests.
	Digest uint64
	// End is the virtual time the run stopped at.
	End time.Duration
	// Counters of what happened, for tests that a scenario reached what
	// it meant to.
	Media, Pings, Acks, Dropped, Closed int
	// MetaData counts the onMetaData players read, and AMF3MetaData
	// those read by players that connected with objectEncoding 3.
	MetaData, AMF3MetaData int
	// TakenOver counts publishers a new one replaced.
	TakenOver int
	// Notices counts the publisher changes players were told of
	// (NetStream.Play.PublishNotify and UnpublishNotify).
	Notices int
	// PullAttempts are the times the edge connected to its remote;
	// PullsStopped counts pulls stopped after their linger, PullsGaveUp
	// those that ran out of retries.
	PullAttempts              []time.Duration
	PullsStopped, PullsGaveUp int
	// Trace holds the last events before the end, for diagnosis.
	Trace []string
}

// Sim is one run in progress.
type Sim struct {
	cfg     Config
	seed    uint64
	rng     *source
	now     time.Duration
	server  *server
	clients []*peer
	res     Result
	hash    uint64
	trail   []string
	// metaData is the onMetaData of Config.Media, what every player must
	// read whatever encoding it or the publisher chose; nil when the
	// media has none.
	metaData amf0.ECMAArray
}

// mediaMetaData is the object of the first onMetaData script tag of
// media, or nil.
func mediaMetaData(media []flv.Tag) amf0.ECMAArray {
	for _, t := range media {
		if t.Type != flv.TagScript {
			continue
		}
		vs, err := amf0.DecodeAll(t.Data)
		if err != nil || len(vs) < 2 || vs[0] != "onMetaData" {
			continue
		}
		if props, ok := amf0.Properties(vs[1]); ok {
			return amf0.ECMAArray(props)
		}
	}
	return nil
}

// maxRounds bounds a run whatever happens, so a bug that stops virtual
// time from advancing fails instead of hanging.
const maxRounds = 200000

// Run plays a scenario to its end and checks every invariant.
func Run(cfg Config, sc Scenario) Result {
	s := &Sim{cfg: cfg, seed: sc.Seed, rng: newSource(sc.Seed, sc.Seed^0x5eed), hash: fnvOffset}
	s.metaData = mediaMetaData(cfg.Media)
	s.server = newServer(s, cfg.Server, cfg.Relay, cfg.policy())
	for i, spec := range sc.Clients {
		s.clients = append(s.clients, newClient(s, i, spec))
	}
	horizon := s.horizon(sc)
	for round := 0; ; round++ {
		if round == maxRounds {
			s.fail("no end after %d rounds at %v", maxRounds, s.now)
			break
		}
		t := s.nextTime()
		if t > horizon {
			break
		}
		s.now = max(s.now, t)
		s.round()
	}
	s.res.End = s.now
	s.check()
	if s.cfg.plantedCheck != nil {
		res := s.res
		res.Digest = s.hash
		if msg := s.cfg.plantedCheck(res); msg != "" {
			s.fail("%s", msg)
		}
	}
	s.res.Digest = s.hash
	s.res.Trace = s.trail
	return s.res
}

// horizon leaves time after the last scripted event for the media to
// play out, the last answers to arrive and every timeout to fire.
func (s *Sim) horizon(sc Scenario) time.Duration {
	var last time.Duration
	for _, c := range sc.Clients {
		last = max(last, c.Start, c.Leave, c.DropAt, c.StallAt+c.StallFor)
	}
	var media time.Duration
	if n := len(s.cfg.Media); n > 0 {
		media = ms(s.cfg.Media[n-1].Timestamp)
	}
	sess := s.cfg.Server.Session
	return last + media + finishTimeout + linger + s.cfg.Server.HandshakeTimeout + sess.PingTimeout + 2*sess.PingInterval + second
}

// nextTime is the earliest thing that will happen.
func (s *Sim) nextTime() time.Duration {
	t := never
	for _, c := range s.clients {
		t = min(t, c.wake())
		if c.link != nil {
			t = min(t, c.link.c2s.next(), c.link.s2c.next())
		}
	}
	t = min(t, s.server.pullNext())
	for _, c := range s.server.conns {
		switch {
		case !c.closed:
			if d := c.conn.Deadline(); d != core.Never {
				t = min(t, c.start+d)
			}
		case !c.socketClosed:
			t = min(t, c.closedAt+linger)
		}
	}
	return t
}

// round does everything due now, then lets every writer write.
func (s *Sim) round() {
	now := s.now
	for _, c := range s.clients {
		c.tick(now)
	}
	for _, c := range s.clients {
		if c.link != nil && c.link.s2c.next() <= now {
			c.read(now)
		}
	}
	s.server.pullTick(now)
	for _, c := range s.server.conns {
		if c.link.c2s.next() > now {
			continue
		}
		b, eof := c.link.c2s.read(now)
		if len(b) > 0 && !c.closed {
			s.server.feed(c, b)
		}
		if eof && !c.closed {
			s.trace("s%d reads EOF", c.id)
			s.server.step(c, closeInput)
		}
	}
	for _, c := range s.server.conns {
		if !c.closed && c.conn.Deadline() != core.Never && c.start+c.conn.Deadline() <= now {
			s.server.step(c, core.Tick{Now: now - c.start})
		}
	}
	for _, c := range s.server.conns {
		s.server.flush(now, c)
		if c.socketClosed {
			c.link.c2s.cut = true
		}
	}
	for _, c := range s.clients {
		c.flush(now)
	}
}

var closeInput core.Input = core.Close{}

// trace folds an event into the run's digest and keeps the last few.
func (s *Sim) trace(format string, args ...any) {
	line := fmt.Sprintf("%v "+format, append([]any{s.now}, args...)...)
	h := fnv.New64a()
	h.Write([]byte(line))
	s.hash = s.hash*fnvPrime ^ h.Sum64()
	if len(s.trail) == traceKeep {
		copy(s.trail, s.trail[1:])
		s.trail = s.trail[:traceKeep-1]
	}
	s.trail = append(s.trail, line)
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
	traceKeep = 40
)

// fail records a broken invariant.
func (s *Sim) fail(format string, args ...any) {
	msg := fmt.Sprintf("at %v: ", s.now) + fmt.Sprintf(format, args...)
	s.trace("FAIL %s", msg)
	if len(s.res.Failures) < 20 {
		s.res.Failures = append(s.res.Failures, msg)
	}
}

// checkServerMemory holds a connection to its memory bounds.
func (s *Sim) checkServerMemory(c *sconn) {
	b, l := c.conn.Buffered(), c.conn.Limits()
	if b.DecoderBuffered > l.DecoderBuffered || b.Output > l.Output {
		s.fail("server connection %d holds %+v beyond %+v", c.id, b, l)
	}
}
