package core

import (
	"crypto/rc4"
	"time"

	"github.com/gortmp/rtmp/codec/message"
)

// Effect is what a Step asks of the driver. The set is closed: the
// variants are the instructions of this file and the events of events.go
// (see Event), and OutputCipher, which core/serverconn puts among them.
// The driver carries effects out in the order Step returns them: a Send
// goes to the chunk encoder, a ChangeChunkSize applies to the encoder after
// the Sends before it, an event goes to the application, WakeAt rearms the
// single timer and Disconnect, always last, closes the connection.
type Effect interface{ isEffect() }

// Send is an outbound message with its chunk stream id, picked by
// message.ChunkStreamID: 2 for protocol and user control, 3 for commands
// and data on stream 0, 5 for commands and data on other streams, 6 for
// audio and 7 for video.
type Send struct {
	ChunkStreamID uint32
	Message       message.Message
}

// ChangeChunkSize tells the chunk encoder to use a new outbound chunk size
// from now on; the Set Chunk Size message that announces it comes right
// before it.
type ChangeChunkSize struct{ Size uint32 }

// WakeAt is the next time the session wants a Tick, since session start.
// Never disarms the timer. It is returned only when the deadline changes.
type WakeAt struct{ At time.Duration }

// Disconnect asks the driver to close the connection. Err says why: nil
// for Close, or a ProtocolError, PingTimeoutError, PublishIdleError or
// ConnectRejectedError.
// Nothing follows it: the session ignores every later input.
type Disconnect struct{ Err error }

func (Send) isEffect()            {}
func (ChangeChunkSize) isEffect() {}
func (WakeAt) isEffect()          {}
func (Disconnect) isEffect()      {}

// OutputCipher is the RC4 stream that encrypts every byte sent from output
// byte From on. No Session returns it: core/serverconn, which runs a
// Session over bytes, returns it once, when an RTMPE handshake completes,
// among the session's effects so that the driver meets it in order with
// the rest (see serverconn.OutputCipher). It is not an Event.
type OutputCipher struct {
	Cipher *rc4.Cipher
	From   uint64
}

func (OutputCipher) isEffect() {}
