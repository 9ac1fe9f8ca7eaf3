package clientconn

import (
	"time"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// Feed consumes bytes from the server, split in any way, and returns the
// effects meant for the application, in order: the session's events,
// CallerError and, last, Disconnect. The wire effects (Send,
// ChangeChunkSize) are carried out here and their bytes are added to the
// pending output. The returned slice is new and belongs to the caller.
// After Closed, Feed ignores its input.
//
// Handshake bytes go to the handshake (its C2, then the messages held for
// it, become output); what follows S2 is decrypted when RTMPE runs and goes
// to the chunk decoder; each message is decoded and stepped as client.MessageReceived; after every ReportEvery received
// bytes (or half the server's acknowledgement window, when that is less)
// the session is told the totals with client.BytesCounted. A codec error
// ends the connection: the session is closed and the Disconnect carries a
// *PeerError.
func (c *Conn) Feed(p []byte) []client.Effect {
	if c.closed {
		return nil
	}
	c.fx = nil
	c.received += uint64(len(p))
	if c.hs != nil {
		out, err := c.hs.Feed(p)
		if err != nil {
			c.end(&PeerError{Layer: LayerHandshake, Err: err})
			return c.finish()
		}
		c.write(out.Send)
		if out.State != handshake.Done {
			return c.finish()
		}
		c.handshaken()
		p = out.Rest
	}
	if c.decrypt != nil && len(p) > 0 {
		c.plain = append(c.plain[:0], p...)
		c.decrypt.XORKeyStream(c.plain, c.plain)
		p = c.plain
	}
	var err error
	c.raw, err = c.dec.Feed(c.raw[:0], p)
	for i := range c.raw {
		if c.closed {
			break
		}
		c.receive(c.raw[i])
	}
	clear(c.raw)
	if err != nil && !c.closed {
		c.end(&PeerError{Layer: LayerChunk, Err: err})
	}
	if c.received-c.reported >= c.reportEvery() && !c.closed {
		c.reported = c.received
		c.step(client.BytesCounted{Received: c.received, Sent: c.taken})
	}
	return c.finish()
}

// handshaken switches from the handshake to the chunk stream: the ciphers
// of RTMPE take over both ways, and the messages held for the handshake
// follow C2, encrypted like everything after it.
func (c *Conn) handshaken() {
	if ci, ok := c.hs.Ciphers(); ok {
		c.decrypt, c.encrypt = ci.In, ci.Out
	}
	c.hs = nil
	if len(c.held) > 0 {
		c.seal(c.held)
		c.write(c.held)
	}
	c.held = nil
}

// reportEvery is how many received bytes may pass before the session
// hears the totals: Config.ReportEvery, or half the window the server
// asked for when that is smaller, so that Acknowledgements leave within
// half a window of when they fall due (plus what one Feed brings).
func (c *Conn) reportEvery() uint64 {
	every := uint64(c.cfg.ReportEvery)
	if w := uint64(c.window); w > 0 {
		every = min(every, max(w/2, 1))
	}
	return every
}

// Step applies an application input (Connect, CreateStream, Publish,
// Play, SendMessage, DeleteStream, Close, ...) and returns the effects for
// the application, as Feed does. Inputs before the handshake completes
// run too; what they send waits for C2.
func (c *Conn) Step(in client.Input) []client.Effect {
	if c.closed {
		return nil
	}
	c.fx = nil
	if _, ok := in.(client.Close); ok {
		c.end(nil)
		return c.finish()
	}
	c.step(in)
	return c.finish()
}

// Tick tells the connection the time, counted from its start; at or past
// Config.HandshakeTimeout with the handshake incomplete it ends the
// connection with ErrHandshakeTimeout. Otherwise nothing happens: the
// client session keeps no timers.
func (c *Conn) Tick(now time.Duration) []client.Effect {
	if c.closed {
		return nil
	}
	c.fx = nil
	if c.hs != nil && now >= c.cfg.HandshakeTimeout {
		c.end(ErrHandshakeTimeout)
	}
	return c.finish()
}

// receive decodes one raw message and steps it. An aggregate goes to
// the session whole: the session splits it, once.
func (c *Conn) receive(raw chunk.Message) {
	m, err := message.Decode(raw)
	if err != nil {
		c.end(&PeerError{Layer: LayerMessage, TypeID: raw.TypeID, Err: err})
		return
	}
	c.step(client.MessageReceived{Message: m})
}

// end closes the session, whose Disconnect then carries err.
func (c *Conn) end(err error) {
	if c.closed {
		return
	}
	c.failing = err
	c.step(client.Close{})
	if !c.closed {
		// The session had already ended without us noticing; cannot
		// happen while every Disconnect passes through apply, but the
		// terminal state must hold whatever the session does.
		c.closed, c.err = true, err
		c.fx = append(c.fx, client.Disconnect{Err: err})
	}
}

// finish enforces the output bound and hands the collected effects over.
func (c *Conn) finish() []client.Effect {
	if len(c.out)-c.off+len(c.held) > c.cfg.MaxOutput && !c.closed {
		c.dropOutput()
		c.end(ErrOutputFull)
		c.dropOutput()
	}
	fx := c.fx
	c.fx = nil
	return fx
}

// dropOutput forgets the pending and held output; it counts as neither
// sent nor produced any more.
func (c *Conn) dropOutput() {
	c.produced -= uint64(len(c.out) - c.off)
	c.out, c.off, c.held = c.out[:0], 0, nil
}
