package serverconn

import (
	"errors"
	"fmt"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

// Budget bounds the memory a peer can make one connection hold at once:
//
//   - the payload of partial messages in the chunk decoder (what it has
//     counted: each chunk in full once its header arrives);
//   - the message being handled: its payload, an aggregate's parts (which
//     alias it, so they add nothing) and, for a command or data message,
//     the AMF values it decodes to, counted before decoding as its
//     payload again plus amfValueCost bytes for each value it can hold
//     (at most one per payload byte, and at most the AMF MaxElements);
//   - the commands the session holds until the connect is accepted, each
//     counted as when it was handled, until they run or are dropped;
//   - the encoded output not yet taken;
//   - what the caller holds on the connection's behalf, as it last told
//     Account (the socket driver: its send queue, relayed media and the
//     fast-start frames a player's queue pins included).
//
// A peer unknown until its connect is accepted gets BeforeConnect; once
// the session accepts the connect, Max applies. The sum is checked at
// every point where a part grows (each chunk header, each message before
// and after it is handled, each call and Account), all of them points of
// the peer's byte stream and the caller's inputs, so however the bytes
// are cut into Feeds the connection ends at the same message. Past the
// budget the connection ends with a *BudgetError, its pending output
// dropped.
type Budget struct {
	// Max bounds a connection whose connect was accepted. Default 48 MiB:
	// a queue twice the socket driver's default MaxQueuedBytes (the most
	// it holds before it ends a connection with ErrWriteBacklog) and one
	// 16 MiB message.
	Max int
	// BeforeConnect bounds a connection until its connect is accepted.
	// Default 1 MiB, a thousand times a real connect command; at most
	// Max.
	BeforeConnect int
}

// Defaults of Budget.
const (
	DefaultMaxMemory           = 48 << 20
	DefaultMemoryBeforeConnect = 1 << 20
)

// amfValueCost is what one decoded AMF value may cost beyond the bytes
// of its strings: a property (a name and an interface value, 32 bytes)
// and the box of a number or the header of a composite.
const amfValueCost = 48

func (b Budget) withDefaults() Budget {
	if b.Max <= 0 {
		b.Max = DefaultMaxMemory
	}
	if b.BeforeConnect <= 0 {
		b.BeforeConnect = DefaultMemoryBeforeConnect
	}
	b.BeforeConnect = min(b.BeforeConnect, b.Max)
	return b
}

// ErrMemoryBudget is what every *BudgetError is (errors.Is).
var ErrMemoryBudget = errors.New("serverconn: connection over its memory budget")

// BudgetError ends a connection that would hold more than its Budget.
type BudgetError struct {
	// Held is what the connection would hold, Budget the bound in effect.
	Held, Budget int
	// Connected says the bound was Budget.Max; before the connect was
	// accepted it is Budget.BeforeConnect.
	Connected bool
	// Part names what grew past the bound.
	Part string
	// Err is the chunk decoder's *chunk.LimitError when partial messages
	// passed it, else nil.
	Err error
}

func (e *BudgetError) Error() string {
	which := "before connect"
	if e.Connected {
		which = "connected"
	}
	return fmt.Sprintf("serverconn: %s would take the connection to %d bytes, past its %s memory budget of %d", e.Part, e.Held, which, e.Budget)
}

// Is makes every BudgetError ErrMemoryBudget.
func (e *BudgetError) Is(target error) bool { return target == ErrMemoryBudget }

func (e *BudgetError) Unwrap() error { return e.Err }

// The parts a BudgetError names.
const (
	partPartial   = "partial messages"
	partMessage   = "a message and its AMF values"
	partOutput    = "output"
	partElsewhere = "what the caller holds"
	partHeld      = "commands held for the connect"
)

// budgetNow is the bound in effect.
func (c *Conn) budgetNow() int {
	if c.connected {
		return c.cfg.Budget.Max
	}
	return c.cfg.Budget.BeforeConnect
}

// held is what the connection holds between messages.
func (c *Conn) held() int {
	h := len(c.out) - c.off + c.elsewhere + c.heldCommands
	if c.dec != nil {
		h += c.dec.Buffered()
	}
	return h
}

// amfCost is what decoding raw may build beside its payload: for a
// command or data message, its strings (at most its payload again) and
// its values; nothing for the other types, whose bodies alias the payload.
func (c *Conn) amfCost(raw chunk.Message) int {
	switch message.TypeID(raw.TypeID) {
	case message.TypeCommandAMF0, message.TypeCommandAMF3, message.TypeDataAMF0, message.TypeDataAMF3:
		n := len(raw.Payload)
		elems := c.cfg.AMF.MaxElements
		if elems <= 0 {
			elems = amf0.DefaultMaxElements
		}
		return n + min(n, elems)*amfValueCost
	}
	return 0
}

// checkMessage ends the connection when handling raw, of payload bytes
// the decoder no longer counts (an aggregate's, when raw is one of its
// parts), would take it past its budget, and reports whether it did.
func (c *Conn) checkMessage(raw chunk.Message, payload int) bool {
	if h := c.held() + payload + c.amfCost(raw); h > c.budgetNow() {
		c.overBudget(&BudgetError{Held: h, Budget: c.budgetNow(), Connected: c.connected, Part: partMessage})
		return true
	}
	return false
}

// roomForPartials sets the decoder's bound on partial messages to what the
// budget leaves them, within Config.Decoder.MaxBuffered.
func (c *Conn) roomForPartials() {
	room := c.budgetNow() - (len(c.out) - c.off) - c.elsewhere
	c.dec.SetMaxBuffered(max(min(room, c.cfg.Decoder.MaxBuffered), 1))
}

// checkBounds ends the connection when it holds more than its output
// bound or its budget, dropping the output, and reports whether it did.
func (c *Conn) checkBounds(part string) bool {
	if c.closed {
		return false
	}
	if len(c.out)-c.off > c.cfg.MaxOutput {
		c.dropOutput()
		c.end(ErrOutputFull)
		c.dropOutput()
		return true
	}
	if h := c.held(); h > c.budgetNow() {
		c.overBudget(&BudgetError{Held: h, Budget: c.budgetNow(), Connected: c.connected, Part: part})
		return true
	}
	return false
}

// overBudget ends the connection with err, dropping what it holds.
func (c *Conn) overBudget(err *BudgetError) {
	c.dropOutput()
	c.end(err)
	c.dropOutput()
}

// budgetError turns the decoder's MaxBuffered limit into a BudgetError
// when the budget, not Config.Decoder.MaxBuffered, set it.
func (c *Conn) budgetError(err error) (*BudgetError, bool) {
	var le *chunk.LimitError
	if !errors.As(err, &le) || le.Limit != chunk.LimitBuffered || int(le.Max) >= c.cfg.Decoder.MaxBuffered {
		return nil, false
	}
	held := int(le.Value) + len(c.out) - c.off + c.elsewhere
	return &BudgetError{Held: held, Budget: c.budgetNow(), Connected: c.connected, Part: partPartial, Err: err}, true
}

// Account tells the connection how many bytes its caller holds for it
// (its output once taken and not yet written, media queued for the peer),
// which count against the Budget with the connection's own. Past the
// budget the connection ends with a *BudgetError, and the effects are
// returned as from Step.
func (c *Conn) Account(elsewhere int) []core.Effect {
	c.elsewhere = max(elsewhere, 0)
	if c.closed {
		return nil
	}
	c.fx = nil
	c.checkBounds(partElsewhere)
	return c.finish()
}
