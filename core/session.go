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

// Session is the server side of one RTMP connection as a value. Step
// returns a new value and leaves the old one intact: the slices it holds
// are never written after they are shared (copy on write), so a Session
// may be kept, compared and stepped again.
type Session struct {
	// cfg is shared by every value of the session and never written.
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

	zeroBegun bool

	bytes bytesState
	ping  pingState
	// wake is the deadline last announced with WakeAt.
	wake time.Duration
}

// connection is what the accepted (or pending) connect said.
type connection struct {
	app            string
	objectEncoding float64
	txid           float64
}

// NewSession returns a session waiting for the client's connect. Zero
// fields of cfg take their defaults.
func NewSession(cfg Config) Session {
	cfg = cfg.withDefaults()
	s := Session{cfg: &cfg, nextStreamID: 1, nextRequest: 1, wake: Never}
	s.ping.nextAt = Never
	if cfg.PingInterval > 0 {
		s.ping.nextAt = cfg.PingInterval
	}
	return s
}

// Config returns the configuration in effect, defaults filled in.
func (s Session) Config() Config {
	if s.cfg == nil {
		return Config{}.withDefaults()
	}
	return *s.cfg
}

// Closed reports whether the session has ended.
func (s Session) Closed() bool { return s.phase == phaseClosed }

// Step applies one input and returns the next session and the effects, in
// the order the driver must carry them out. The returned slice is new on
// every call and belongs to the caller.
func (s Session) Step(in Input) (Session, []Effect) {
	if s.phase == phaseClosed {
		return s, nil
	}
	if s.cfg == nil {
		// The zero Session is a new session with the default configuration.
		s = NewSession(Config{})
	}
	if m, ok := in.(MessageReceived); ok {
		if fx, handled := s.media(m.Message); handled {
			return s, fx
		}
	}
	var fx []Effect
	switch in := in.(type) {
	case MessageReceived:
		fx = s.receive(fx, in.Message)
	case BytesCounted:
		fx = s.countBytes(fx, in)
	case Accept:
		fx = s.accept(fx, in)
	case Reject:
		fx = s.reject(fx, in)
	case SendPing:
		fx = s.sendPing(fx)
	case SendMessage:
		fx = s.sendMessage(fx, in)
	case BeginStreamZero:
		fx = s.beginStreamZero(fx)
	case Tick:
		fx = s.tick(fx, in.Now)
	case Close:
		fx = s.terminate(fx, nil)
	case nil:
		fx = append(fx, CallerError{UsageError{"nil input"}})
	}
	if s.phase != phaseClosed {
		if w := s.nextWake(); w != s.wake {
			s.wake = w
			fx = append(fx, WakeAt{w})
		}
	}
	return s, fx
}

// clock is the session time as an RTMP timestamp: milliseconds since
// start, wrapping at 2^32.
func (s *Session) clock() uint32 { return uint32(s.now / millisecond) }

// terminate finishes every active stream, then asks for the disconnect
// and enters the terminal phase.
func (s *Session) terminate(fx []Effect, err error) []Effect {
	if pe, ok := err.(ProtocolError); ok {
		fx = append(fx, ProtocolViolated{pe})
	}
	for _, st := range s.streams {
		fx = st.finished(fx, s.conn.app)
	}
	s.streams, s.requests, s.fcPublished = nil, nil, nil
	s.phase = phaseClosed
	return append(fx, Disconnect{err})
}

// violation closes the session for a peer protocol error.
func (s *Session) violation(fx []Effect, what string) []Effect {
	return s.terminate(fx, ProtocolError{what})
}

// send appends an outbound message stamped with the session time.
func (s *Session) send(fx []Effect, streamID uint32, body message.Body) []Effect {
	return s.sendAt(fx, streamID, s.clock(), body)
}

func (s *Session) sendAt(fx []Effect, streamID, ts uint32, body message.Body) []Effect {
	return append(fx, Send{
		ChunkStreamID: chunkStreamFor(body, streamID),
		Message:       message.Message{Timestamp: ts, StreamID: streamID, Body: body},
	})
}

// chunkStreamFor picks the outbound chunk stream: one per kind of traffic,
// so that control messages never wait behind media on the same stream.
func chunkStreamFor(b message.Body, streamID uint32) uint32 {
	switch b.Type() {
	case message.TypeSetChunkSize, message.TypeAbort, message.TypeAcknowledgement,
		message.TypeUserControl, message.TypeWindowAckSize, message.TypeSetPeerBandwidth:
		return 2
	case message.TypeAudio:
		return 6
	case message.TypeVideo:
		return 7
	}
	if streamID == 0 {
		return 3
	}
	return 5
}
