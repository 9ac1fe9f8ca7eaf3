package core

import (
	"time"

	"github.com/gortmp/rtmp/codec/message"
)

// Input is everything that can happen to a session: a message from the
// peer, a report from the driver, or a call of the application. The set is
// closed; the variants are the exported types of this file.
type Input interface{ isInput() }

// RequestID names a request (connect, publish or play) that waits for the
// application's Accept or Reject. Ids start at 1 and are never reused
// within a session.
type RequestID uint32

// MessageReceived passes one decoded message from the peer.
type MessageReceived struct{ Message message.Message }

// BytesCounted reports the byte totals of the connection so far, in both
// directions. Totals only grow; the session acknowledges received bytes
// against the window the peer asked for. A Received total higher than the
// last one is a sign of life that answers an outstanding ping, so a driver
// reports totals when it has read bytes (as core/serverconn does), never
// from a timer alone.
type BytesCounted struct {
	Received uint64
	Sent     uint64
}

// Accept accepts a pending request.
type Accept struct{ Request RequestID }

// RejectReason selects the status code of a refusal.
type RejectReason uint8

// The reasons for a refusal and the codes they answer with:
//
//	             connect                     publish                    play
//	RejectDenied NetConnection.Connect.Rejected NetStream.Publish.Denied  NetStream.Play.Failed
//	RejectBadName NetConnection.Connect.Rejected NetStream.Publish.BadName NetStream.Play.StreamNotFound
const (
	RejectDenied RejectReason = iota
	RejectBadName
)

// Reject refuses a pending request. A refused connect is answered and then
// the session asks the driver to close the connection.
type Reject struct {
	Request     RequestID
	Reason      RejectReason
	Description string
}

// SendPing sends a ping request; its timestamp is the session time.
type SendPing struct{}

// SendMessage sends an application message (media to a player, for
// example) on stream 0 or on a stream the peer created. Its timestamp is
// the session time unless ForceTimestamp is set.
type SendMessage struct {
	StreamID       uint32
	Body           message.Body
	Timestamp      uint32
	ForceTimestamp bool
}

// BeginStreamZero sends the messages that open the connection for the
// client: peer bandwidth, window size, our chunk size, Stream Begin 0 and
// onBWDone. Drivers step it right after the handshake (OBS waits for it).
type BeginStreamZero struct{}

// RequestReconnect asks an Enhanced RTMP client to reconnect (before a
// server update, or to move it to another server): the session sends
// onStatus NetConnection.Connect.ReconnectRequest on stream 0 and carries on
// until the client leaves. TCURL, when set, is where to reconnect (absolute,
// or relative to the current tcUrl); empty means the current one.
// Description is for people. A client that did not declare capsEx Reconnect
// gets nothing and the caller a CallerError with a CapabilityError.
type RequestReconnect struct {
	TCURL       string
	Description string
}

// Tick tells the session the time since it started. Time never goes back;
// an earlier Now is taken as the latest one seen.
type Tick struct{ Now time.Duration }

// Close ends the session: active streams finish and the driver is told to
// disconnect.
type Close struct{}

func (MessageReceived) isInput()  {}
func (BytesCounted) isInput()     {}
func (Accept) isInput()           {}
func (Reject) isInput()           {}
func (SendPing) isInput()         {}
func (SendMessage) isInput()      {}
func (BeginStreamZero) isInput()  {}
func (RequestReconnect) isInput() {}
func (Tick) isInput()             {}
func (Close) isInput()            {}
