package serverconn

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

// step applies one input to the session and carries out its effects in
// order.
func (c *Conn) step(in core.Input) {
	sess, fx := c.sess.Step(in)
	c.sess = sess
	// The larger budget holds from the accept on, for good.
	c.connected = c.connected || sess.Connected()
	if sess.HeldCommands() == 0 {
		c.heldCommands = 0 // they ran (Accept) or were dropped (Reject, Close)
	}
	for _, e := range fx {
		c.apply(e)
	}
}

// apply carries out a wire effect or passes an effect to the caller.
func (c *Conn) apply(e core.Effect) {
	switch e := e.(type) {
	case core.Send:
		raw, err := message.Encode(e.Message)
		if err == nil {
			n := len(c.out)
			c.out, err = c.enc.Append(c.out, e.ChunkStreamID, raw)
			c.produced += uint64(len(c.out) - n)
		}
		if err != nil {
			// The codec refuses what the session asked for: the message
			// is dropped and the caller hears why.
			c.fx = append(c.fx, core.CallerError{Err: &EncodeError{Body: fmt.Sprintf("%T", e.Message.Body), Err: err}})
		}
	case core.ChangeChunkSize:
		// The encoder applied the new size when it encoded the Set Chunk
		// Size message that comes right before this effect.
	case core.WakeAt:
		c.deadline = e.At
		c.fx = append(c.fx, e)
	case core.Disconnect:
		if e.Err == nil {
			e.Err = c.failing
		}
		c.closed, c.err = true, e.Err
		c.fx = append(c.fx, e)
	default:
		c.fx = append(c.fx, e)
	}
}

// write adds bytes produced outside the encoder (the handshake's).
func (c *Conn) write(p []byte) {
	c.out = append(c.out, p...)
	c.produced += uint64(len(p))
}
