package core

import (
	"time"

	"github.com/gortmp/rtmp/codec/message"
)

// Effect is what a Step asks of the driver. The set is closed: the
// variants are the instructions of this file and the events of events.go
// (see Event), and ConnEffect admits the effects of core/serverconn.
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

// ConnEffect is embedded by the effects that core/serverconn, which runs a
// Session over bytes, puts among the session's own so that the driver
// meets them in order with the rest (its OutputCipher, at the byte where
// RTMPE encryption starts). No Session returns one, and none is an Event.
type ConnEffect struct{}

func (ConnEffect) isEffect() {}
