package client

import (
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/internal/flow"
)

// phase is where the connection stands.
type phase uint8

const (
	phaseIdle       phase = iota // no Connect yet
	phaseConnecting              // connect sent, no answer yet
	phaseConnected               // connect answered with _result
	phaseClosed                  // terminal: every input is ignored
)

// connectTransaction is the transaction id of connect, 1 as every client
// sends it; later requests count up from 2.
const connectTransaction = 1

// Session is the client side of one RTMP connection as a value. Step
// returns a new value and leaves the old one intact: the slices it holds
// are never written after they are shared (copy on write), so a Session
// may be kept, compared and stepped again.
type Session struct {
	// cfg is shared by every value of the session and never written.
	cfg    *Config
	phase  phase
	nextTx float64
	// objectEncoding is what the connect asked for: with 3, every command
	// and data message after the connect goes out in AMF3.
	objectEncoding float64

	// creating holds the createStream requests waiting for an answer, in
	// the order they went out; streams the created streams, by id. Both
	// are replaced, never modified in place.
	creating []creation
	streams  []stream
	// calls are the calls waiting for an answer (calls.go), replaced
	// like creating.
	calls []call

	bytes bytesState
}

// creation is a createStream waiting for its _result.
type creation struct {
	tx      float64
	request RequestID
}

// bytesState is the byte accounting behind Acknowledgements and the
// output limit the server set; the rules are shared with the server
// session.
type bytesState struct {
	acks      flow.Acks
	bandwidth flow.Bandwidth
}

// New returns a session waiting for Connect. Zero fields of cfg take their
// defaults.
func New(cfg Config) Session {
	cfg = cfg.withDefaults()
	return Session{cfg: &cfg, nextTx: connectTransaction + 1}
}

// Config returns the configuration in effect, defaults filled in.
func (s Session) Config() Config {
	if s.cfg == nil {
		return Config{}.withDefaults()
	}
	return *s.cfg
}

// Connected reports whether the server accepted the connect.
func (s Session) Connected() bool { return s.phase == phaseConnected }

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
		s = New(Config{})
	}
	var fx []Effect
	switch in := in.(type) {
	case MessageReceived:
		fx = s.receive(fx, in.Message)
	case BytesCounted:
		fx = s.countBytes(fx, in)
	case Connect:
		fx = s.connect(fx, in)
	case CreateStream:
		fx = s.createStream(fx, in)
	case Publish:
		fx = s.publish(fx, in)
	case Play:
		fx = s.play(fx, in)
	case SetBufferLength:
		fx = s.setBufferLength(fx, in)
	case SendMessage:
		fx = s.sendMessage(fx, in)
	case SendMetaData:
		fx = s.sendMetaData(fx, in)
	case DeleteStream:
		fx = s.deleteStream(fx, in)
	case Close:
		fx = s.terminate(fx, nil)
	default:
		fx = misuse(fx, "nil input")
	}
	if _, connecting := in.(Connect); !connecting && s.objectEncoding == 3 {
		// The connect itself stays AMF0, as Flash Player sends it: the
		// server cannot know our encoding before reading it.
		inAMF3(fx)
	}
	return s, fx
}

// inAMF3 turns the commands and data messages among fx into the AMF3 form
// (types 17 and 15, values behind the AVM+ switch).
func inAMF3(fx []Effect) {
	for i, e := range fx {
		if snd, ok := e.(Send); ok {
			snd.Message.Body = message.InEncoding(snd.Message.Body, 3)
			fx[i] = snd
		}
	}
}

// misuse reports a caller error and changes nothing.
func misuse(fx []Effect, problem string) []Effect {
	return append(fx, CallerError{UsageError{problem}})
}

// terminate answers every waiting request with CodeClosed, finishes every
// started stream, asks for the disconnect and enters the terminal phase.
func (s *Session) terminate(fx []Effect, err error) []Effect {
	if s.phase == phaseConnecting {
		fx = append(fx, ConnectFailed{Code: CodeClosed, Description: "connection closed"})
	}
	for _, c := range s.creating {
		fx = append(fx, CreateStreamFailed{Request: c.request, Code: CodeClosed, Description: "connection closed"})
	}
	for _, st := range s.streams {
		fx = st.stopped(fx, CodeClosed)
	}
	s.creating, s.streams = nil, nil
	s.phase = phaseClosed
	return append(fx, Disconnect{err})
}

// transaction returns the next transaction id and counts it. Ids are
// floats on the wire, and clients count them from 1.
func (s *Session) transaction() float64 {
	tx := s.nextTx
	s.nextTx++
	return tx
}

// send appends an outbound message on the chunk stream of the policy.
func send(fx []Effect, streamID, timestamp uint32, body message.Body) []Effect {
	return append(fx, Send{
		ChunkStreamID: message.ChunkStreamID(body, streamID),
		Message:       message.Message{Timestamp: timestamp, StreamID: streamID, Body: body},
	})
}

// command appends a command with a null command object.
func command(fx []Effect, streamID uint32, name string, tx float64, args ...any) []Effect {
	return send(fx, streamID, 0, message.Command{Name: name, TransactionID: tx, Args: args})
}
