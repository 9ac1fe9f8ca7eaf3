package flow

import "github.com/gortmp/rtmp/codec/message"

// Acks decides when received bytes are acknowledged. The zero value has
// received nothing and acknowledges nothing until the peer sets a window.
type Acks struct {
	received uint64
	// acked is the received total at the last Acknowledgement.
	acked uint64
	// window is the peer's Window Acknowledgement Size; 0 means the peer
	// asked for none (or has not asked yet).
	window uint32
}

// SetWindow records the peer's Window Acknowledgement Size.
func (a *Acks) SetWindow(size uint32) { a.window = size }

// Window is the peer's Window Acknowledgement Size, 0 before any.
func (a *Acks) Window() uint32 { return a.window }

// Received is the total of bytes received so far.
func (a *Acks) Received() uint64 { return a.received }

// Count records the cumulative total of bytes received and reports
// whether it grew. Totals replace each other rather than add up, and a
// total below the last one changes nothing: reports may repeat.
func (a *Acks) Count(total uint64) (grew bool) {
	if total <= a.received {
		return false
	}
	a.received = total
	return true
}

// Due returns the Acknowledgement owed once the bytes received since the
// last one reach the peer's window, and counts it as sent.
func (a *Acks) Due() (message.Acknowledgement, bool) {
	w := uint64(a.window)
	if w == 0 || a.received-a.acked < w {
		return message.Acknowledgement{}, false
	}
	a.acked = a.received
	// The sequence number is the total modulo 2^32, as the spec counts.
	return message.Acknowledgement{SequenceNumber: uint32(a.received)}, true
}
