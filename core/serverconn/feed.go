package serverconn

import (
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

// Feed consumes bytes from the client, split in any way, and returns the
// effects meant for the caller, in order: OutputCipher (once, on an RTMPE
// connection), the session's events (requests to Accept or Reject among
// them, and CallerError), WakeAt and, last, Disconnect. The wire effects (Send, ChangeChunkSize) are carried out here
// and their bytes are added to the pending output. The returned slice is
// new and belongs to the caller. After Closed, Feed ignores its input.
//
// The pipeline is the socket driver's: handshake bytes to the handshake
// (its S0+S1+S2 become output), then core.BeginStreamZero, then the chunk
// decoder; each message is decoded (aggregates split, once) and stepped
// as core.MessageReceived before the next is decoded, all within the
// Budget; after every ReportEvery received bytes (or half the
// client's acknowledgement window, when that is less) the session is told
// the totals with core.BytesCounted. A codec error ends the
// connection: the session is closed (its streams finish) and the
// Disconnect carries a *PeerError.
func (c *Conn) Feed(p []byte) []core.Effect {
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
		if ci, ok := c.hs.Ciphers(); ok && c.decrypt == nil {
			c.decrypt = ci.In
			c.fx = append(c.fx, OutputCipher{Cipher: ci.Out, From: c.produced})
		}
		if out.State != handshake.Done {
			return c.finish()
		}
		c.hs = nil
		c.deadline = core.Never // the session's timers take over
		c.step(core.BeginStreamZero{})
		p = out.Rest
	}
	if c.decrypt != nil && len(p) > 0 {
		c.plain = append(c.plain[:0], p...)
		c.decrypt.XORKeyStream(c.plain, c.plain)
		p = c.plain
	}
	c.feedChunks(p)
	if c.received-c.reported >= c.reportEvery() && !c.closed {
		c.reported = c.received
		c.step(core.BytesCounted{Received: c.received, Sent: c.taken})
	}
	return c.finish()
}

// reportEvery is how many received bytes may pass before the session
// hears the totals: Config.ReportEvery, or half the window the client asked
// for when that is smaller, so that a client with a small window gets its
// Acknowledgements within half a window of when they fall due (plus what
// one Feed brings) rather than a whole ReportEvery late.
func (c *Conn) reportEvery() uint64 {
	every := uint64(c.cfg.ReportEvery)
	if w := uint64(c.sess.PeerWindow()); w > 0 {
		every = min(every, max(w/2, 1))
	}
	return every
}

// Step applies an application input (Accept, Reject, SendMessage,
// SendPing, Tick, Close, ...) and returns the effects for the
// application, as Feed does. Before the handshake completes only Tick and
// Close reach the session; other inputs are refused with a CallerError,
// and a Tick at or past Config.HandshakeTimeout ends the connection with
// ErrHandshakeTimeout.
func (c *Conn) Step(in core.Input) []core.Effect {
	if c.closed {
		return nil
	}
	c.fx = nil
	switch in := in.(type) {
	case core.Tick:
		if c.hs != nil && in.Now >= c.cfg.HandshakeTimeout {
			c.end(ErrHandshakeTimeout)
			return c.finish()
		}
	case core.Close:
		c.end(nil)
		return c.finish()
	default:
		if c.hs != nil {
			c.fx = append(c.fx, core.CallerError{Err: core.UsageError{Problem: "input before the handshake completed"}})
			return c.finish()
		}
	}
	c.step(in)
	return c.finish()
}

// feedChunks decodes p message by message, handling each before the next
// is decoded: the decoder's room for partial messages is set from the
// budget at every message, so where the budget ends the connection
// depends on the byte stream only, not on how it was cut.
func (c *Conn) feedChunks(p []byte) {
	for len(p) > 0 && !c.closed {
		c.roomForPartials()
		var n int
		var err error
		c.raw, n, err = c.dec.FeedMessage(c.raw[:0], p)
		p = p[n:]
		for i := range c.raw {
			if c.closed {
				break
			}
			c.receive(c.raw[i])
		}
		clear(c.raw)
		if err != nil && !c.closed {
			if be, ok := c.budgetError(err); ok {
				c.overBudget(be)
			} else {
				c.end(&PeerError{Layer: LayerChunk, Err: err})
			}
		}
	}
}

// receive decodes one raw message, splitting an aggregate, and steps it.
// An aggregate is split once: one that holds another is refused
// (message.ErrNestedAggregate), so nothing here recurses.
func (c *Conn) receive(raw chunk.Message) {
	if message.TypeID(raw.TypeID) != message.TypeAggregate {
		c.receiveOne(raw, len(raw.Payload))
		return
	}
	parts, err := message.AggregateParts(raw)
	if err != nil {
		c.end(&PeerError{Layer: LayerMessage, TypeID: raw.TypeID, Err: err})
		return
	}
	for part := range parts {
		if c.closed {
			return
		}
		c.receiveOne(part, len(raw.Payload))
	}
}

// receiveOne decodes a message that is not an aggregate, whose payload
// (or its aggregate's) is payload bytes, and steps it, within the budget.
func (c *Conn) receiveOne(raw chunk.Message, payload int) {
	if c.checkMessage(raw, payload) {
		return
	}
	m, err := c.cfg.AMF.Decode(raw)
	if err != nil {
		c.end(&PeerError{Layer: LayerMessage, TypeID: raw.TypeID, Err: err})
		return
	}
	before := c.sess.HeldCommands()
	c.step(core.MessageReceived{Message: m})
	c.countHeld(before, len(raw.Payload)+c.amfCost(raw))
}

// countHeld adds a message's cost to heldCommands when the session kept
// it to run after the connect is accepted (step clears the count once none
// is held), then checks the bounds, the output's and the budget's.
func (c *Conn) countHeld(before, cost int) {
	if c.sess.HeldCommands() > before {
		c.heldCommands += cost
		if c.checkBounds(partHeld) {
			return
		}
	}
	c.checkBounds(partOutput)
}

// end closes the session, whose Disconnect then carries err.
func (c *Conn) end(err error) {
	if c.closed {
		return
	}
	c.failing = err
	c.step(core.Close{})
	if !c.closed {
		// The session had already ended without us noticing; cannot
		// happen while every Disconnect passes through apply, but the
		// terminal state must hold whatever the session does.
		c.closed, c.err = true, err
		c.fx = append(c.fx, core.Disconnect{Err: err})
	}
}

// finish enforces the output bound and hands the collected effects over.
func (c *Conn) finish() []core.Effect {
	c.checkBounds(partOutput)
	if c.closed && c.dec != nil {
		// Partial messages are of no use any more.
		c.dec = nil
	}
	fx := c.fx
	c.fx = nil
	return fx
}

// dropOutput forgets the pending output; it counts as neither sent nor
// produced-and-pending any more.
func (c *Conn) dropOutput() {
	c.produced -= uint64(len(c.out) - c.off)
	c.out, c.off = c.out[:0], 0
}
