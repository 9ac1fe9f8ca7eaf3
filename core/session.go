package core

import (
	"time"

	"github.com/gortmp/rtmp/codec/message"
)

// phase is where the connection stands.
type phase uint8

const (
	phaseAwaitingConnect phase = iota // no connect yet
	phaseConnecting                   // connect waits for the application
	phaseConnected                    // connect accepted
	phaseClosed                       // terminal: every input is ignored
)

// Session is the server side of one RTMP connection as a value. It is a
// handle on an immutable snapshot: Step never writes the snapshot it was
// given; it returns a new one when anything changes (and the slices inside
// are copied on write too), so a Session may be kept, compared and
// stepped again with the same result. The zero Session is a new session
// with the default configuration.
type Session struct{ st *state }

// state is one snapshot of the session.
type state struct {
	// cfg is shared by every snapshot of the session and never written.
	cfg   *Config
	phase phase
	now   time.Duration

	conn connection

	// streams is sorted by id; requests is in arrival order. Both are
	// replaced, never modified in place.
	streams      []stream
	nextStreamID uint32
	requests     []request
	nextRequest  RequestID
	// fcPublished holds the keys announced by FCPublish whose publish was
	// not yet accepted; onFCPublish goes out on acceptance.
	fcPublished []string
	// held are the commands that arrived while the connect was pending,
	// in arrival order; they run once it is accepted.
	held []heldCommand

	zeroBegun bool

	bytes bytesState
	ping  pingState
	idle  idleState
	// wake is the deadline last announced with WakeAt.
	wake time.Duration
}

// connection is what the accepted (or pending) connect said.
type connection struct {
	app            string
	objectEncoding float64
	txid           float64
	// client is what the client declared in connect; server is what our
	// _result announces (zero for a legacy client, who hears nothing).
	client, server Capabilities
}

// NewSession returns a session waiting for the client's connect. Zero
// fields of cfg take their defaults.
func NewSession(cfg Config) Session {
	cfg = cfg.withDefaults()
	st := &state{cfg: &cfg, nextStreamID: 1, nextRequest: 1, wake: Never}
	st.ping.nextAt = Never
	if cfg.PingInterval > 0 {
		st.ping.nextAt = cfg.PingInterval
	}
	return Session{st}
}

// Config returns the configuration in effect, defaults filled in.
func (s Session) Config() Config {
	if s.st == nil {
		return Config{}.withDefaults()
	}
	return *s.st.cfg
}

// ClientCapabilities is what the client declared in its connect (zero
// before a connect, and for a legacy client). A relay asks it, for
// example, whether a player reads multitrack.
func (s Session) ClientCapabilities() Capabilities {
	if s.st == nil {
		return Capabilities{}
	}
	return s.st.conn.client.clone()
}

// ServerCapabilities is what the connect _result announced or will
// announce (zero for a legacy client).
func (s Session) ServerCapabilities() Capabilities {
	if s.st == nil {
		return Capabilities{}
	}
	return s.st.conn.server.clone()
}

// PeerWindow is the Window Acknowledgement Size the peer asked for, 0
// before it asked. The session acknowledges once that many bytes arrived
// since its last Acknowledgement, but only learns of bytes through
// BytesCounted, so a driver reports at least twice per window.
func (s Session) PeerWindow() uint32 {
	if s.st == nil {
		return 0
	}
	return s.st.bytes.acks.Window()
}

// Closed reports whether the session has ended.
func (s Session) Closed() bool { return s.st != nil && s.st.phase == phaseClosed }

// Connected reports whether the peer's connect was accepted and the
// session has not ended since.
func (s Session) Connected() bool { return s.st != nil && s.st.phase == phaseConnected }

// HeldCommands is how many commands wait for the connect to be accepted
// (see Config.MaxPendingRequests); a byte-level caller counts what they
// hold against its memory bound.
func (s Session) HeldCommands() int {
	if s.st == nil {
		return 0
	}
	return len(s.st.held)
}

// Step applies one input and returns the next session and the effects, in
// the order the driver must carry them out. The returned slice is new on
// every call and belongs to the caller.
func (s Session) Step(in Input) (Session, []Effect) {
	if s.st == nil {
		s = NewSession(Config{})
	}
	if s.st.phase == phaseClosed {
		return s, nil
	}
	if m, ok := in.(MessageReceived); ok {
		// Media on a publishing stream reads the snapshot and changes
		// nothing, so it needs no copy.
		if fx, handled := s.st.media(m.Message); handled {
			if s.st.mediaNews() {
				return s.heardMedia(fx)
			}
			return s, fx
		}
	}
	if m, ok := in.(SendMessage); ok {
		// Sending reads the snapshot only: the relay path stays cheap too.
		return s, s.st.sendMessage(nil, m)
	}
	next := *s.st
	return Session{&next}, next.step(in)
}

// step applies an input to a fresh snapshot.
func (s *state) step(in Input) []Effect {
	var fx []Effect
	switch in := in.(type) {
	case MessageReceived:
		s.heard()
		fx = s.receive(fx, in.Message)
	case BytesCounted:
		fx = s.countBytes(fx, in)
	case Accept:
		fx = s.accept(fx, in)
	case Reject:
		fx = s.reject(fx, in)
	case SendPing:
		fx = s.sendPing(fx)
	case BeginStreamZero:
		fx = s.beginStreamZero(fx)
	case RequestReconnect:
		fx = s.requestReconnect(fx, in)
	case Tick:
		fx = s.tick(fx, in.Now)
	case Close:
		fx = s.terminate(fx, nil)
	case nil:
		fx = append(fx, CallerError{UsageError{"nil input"}})
	}
	return s.rearm(fx)
}

// rearm announces the earliest deadline when it changed.
func (s *state) rearm(fx []Effect) []Effect {
	if s.phase != phaseClosed {
		if w := s.nextWake(); w != s.wake {
			s.wake = w
			fx = append(fx, WakeAt{w})
		}
	}
	return fx
}

// clock is the session time as an RTMP timestamp: milliseconds since
// start, wrapping at 2^32.
func (s *state) clock() uint32 { return uint32(s.now / millisecond) }

// terminate finishes every active stream, then asks for the disconnect
// and enters the terminal phase.
func (s *state) terminate(fx []Effect, err error) []Effect {
	if pe, ok := err.(ProtocolError); ok {
		fx = append(fx, ProtocolViolated{pe})
	}
	for _, st := range s.streams {
		fx = st.finished(fx, s.conn.app)
	}
	s.streams, s.requests, s.fcPublished, s.held = nil, nil, nil, nil
	s.phase = phaseClosed
	return append(fx, Disconnect{err})
}

// violation closes the session for a peer protocol error.
func (s *state) violation(fx []Effect, what string) []Effect {
	return s.terminate(fx, ProtocolError{what})
}

// send appends an outbound message stamped with the session time.
func (s *state) send(fx []Effect, streamID uint32, body message.Body) []Effect {
	return s.sendAt(fx, streamID, s.clock(), body)
}

// sendAt sends body at ts, commands and data in the encoding the client
// chose in its connect.
func (s *state) sendAt(fx []Effect, streamID, ts uint32, body message.Body) []Effect {
	return s.sendAsIs(fx, streamID, ts, message.InEncoding(body, s.conn.objectEncoding))
}

// sendAsIs sends body as it is: the answer to connect, which is AMF0
// whatever the client chose (see doc.go).
func (s *state) sendAsIs(fx []Effect, streamID, ts uint32, body message.Body) []Effect {
	return append(fx, Send{
		ChunkStreamID: message.ChunkStreamID(body, streamID),
		Message:       message.Message{Timestamp: ts, StreamID: streamID, Body: body},
	})
}
