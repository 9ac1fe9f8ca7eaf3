package clientconn

import (
	"errors"
	"fmt"
)

// ErrOutputFull ends a connection whose pending output passed
// Config.MaxOutput: nobody takes what it produces.
var ErrOutputFull = errors.New("clientconn: pending output passed its bound")

// ErrHandshakeTimeout ends a connection whose handshake did not complete
// within Config.HandshakeTimeout.
var ErrHandshakeTimeout = errors.New("clientconn: handshake timed out")

// Layer names the part of the pipeline that refused the server's bytes.
type Layer uint8

// The layers of the receive pipeline.
const (
	LayerHandshake Layer = iota + 1
	LayerChunk
	LayerMessage
)

func (l Layer) String() string {
	switch l {
	case LayerHandshake:
		return "handshake"
	case LayerChunk:
		return "chunk stream"
	case LayerMessage:
		return "message"
	}
	return "unknown layer"
}

// PeerError is a protocol violation by the server found by a codec below
// the session: a failed handshake, a chunk stream error or limit, or a
// message whose payload does not have the shape its type requires. It is
// the Err of the Disconnect that ends the connection; Err is the codec's
// own error, so errors.As finds a *chunk.LimitError, a
// *message.FormatError and so on.
type PeerError struct {
	Layer Layer
	// TypeID is the message type for LayerMessage, else 0.
	TypeID uint8
	Err    error
}

func (e *PeerError) Error() string {
	if e.Layer == LayerMessage {
		return fmt.Sprintf("clientconn: %s type %d: %v", e.Layer, e.TypeID, e.Err)
	}
	return fmt.Sprintf("clientconn: %s: %v", e.Layer, e.Err)
}

func (e *PeerError) Unwrap() error { return e.Err }

// EncodeError reports a message the codec refused to encode (a body the
// application built wrongly, for example). It travels in a
// client.CallerError; the message is dropped and the connection goes on.
type EncodeError struct {
	Body string // the body's type, for diagnosis
	Err  error
}

func (e *EncodeError) Error() string {
	return fmt.Sprintf("clientconn: cannot encode %s: %v", e.Body, e.Err)
}

func (e *EncodeError) Unwrap() error { return e.Err }
