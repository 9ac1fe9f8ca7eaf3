package clientconn

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// step applies one input to the session and carries out its effects in
// order.
func (c *Conn) step(in client.Input) {
	sess, fx := c.sess.Step(in)
	c.sess = sess
	if len(c.fx) == 0 && len(fx) > 0 {
		// The session's slice is new and ours: collect into it, which
		// saves the media path an allocation per message. apply adds at
		// most one effect for each it is given, so the writing never
		// overtakes the reading.
		c.fx = fx[:0]
	}
	for _, e := range fx {
		c.apply(e)
	}
}

// apply carries out a wire effect or passes an effect to the caller.
func (c *Conn) apply(e client.Effect) {
	switch e := e.(type) {
	case client.Send:
		c.send(e)
	case client.ChangeChunkSize:
		// The encoder applied the new size when it encoded the Set Chunk
		// Size message that comes right before this effect.
	case client.WindowSizeReceived:
		c.window = e.Size
		c.fx = append(c.fx, e)
	case client.Disconnect:
		if e.Err == nil {
			e.Err = c.failing
		}
		c.closed, c.err = true, e.Err
		c.fx = append(c.fx, e)
	default:
		c.fx = append(c.fx, e)
	}
}

// send encodes one message onto the output, or onto the held bytes while
// the handshake runs.
func (c *Conn) send(e client.Send) {
	raw, err := message.Encode(e.Message)
	if err == nil {
		if c.hs != nil {
			c.held, err = c.enc.Append(c.held, e.ChunkStreamID, raw)
		} else {
			n := len(c.out)
			c.out, err = c.enc.Append(c.out, e.ChunkStreamID, raw)
			c.seal(c.out[n:])
			c.produced += uint64(len(c.out) - n)
		}
	}
	if err != nil {
		// The codec refuses what the session asked for: the message is
		// dropped and the caller hears why.
		c.fx = append(c.fx, client.CallerError{Err: &EncodeError{Body: fmt.Sprintf("%T", e.Message.Body), Err: err}})
	}
}

// seal encrypts output in place when RTMPE runs.
func (c *Conn) seal(p []byte) {
	if c.encrypt != nil {
		c.encrypt.XORKeyStream(p, p)
	}
}

// write adds bytes produced outside the encoder (the handshake's, and
// the held messages once sealed).
func (c *Conn) write(p []byte) {
	c.out = append(c.out, p...)
	c.produced += uint64(len(p))
}
