package flow

import "github.com/gortmp/rtmp/codec/message"

// Bandwidth is the output limit the peer set and the window size we last
// announced to it. The zero value has no limit and has announced nothing.
type Bandwidth struct {
	// limit is the output limit in effect, 0 before any; limitType its
	// type. LimitHard is the zero LimitType, so "no limit yet" is told by
	// limit == 0, never by the type alone.
	limit     uint32
	limitType message.LimitType
	// announced is the last Window Acknowledgement Size we sent.
	announced uint32
}

// Limit is the output limit in effect, 0 before any.
func (b *Bandwidth) Limit() uint32 { return b.limit }

// Announced records a Window Acknowledgement Size we sent on our own, so
// that a later Set Peer Bandwidth is answered only when it differs.
func (b *Bandwidth) Announced(size uint32) { b.announced = size }

// Apply applies Set Peer Bandwidth by its limit type: hard sets the limit;
// soft lowers it, or sets the first one; dynamic counts as hard when the
// limit in effect is hard and changes nothing otherwise. It reports false,
// changing nothing, for a type the specification does not define.
//
// The answer is the Window Acknowledgement Size owed to the peer: the
// specification asks for one whenever the limit in effect differs from
// the last window we sent. It is counted as sent.
func (b *Bandwidth) Apply(m message.SetPeerBandwidth) (answer message.WindowAckSize, owed, known bool) {
	switch m.Limit {
	case message.LimitHard:
		b.limit, b.limitType = m.Size, message.LimitHard
	case message.LimitSoft:
		if b.limit == 0 || m.Size < b.limit {
			b.limit = m.Size
		}
		b.limitType = message.LimitSoft
	case message.LimitDynamic:
		if b.limitType == message.LimitHard && b.limit != 0 {
			b.limit = m.Size
		}
	default:
		return message.WindowAckSize{}, false, false
	}
	if b.limit == 0 || b.limit == b.announced {
		return message.WindowAckSize{}, false, true
	}
	b.announced = b.limit
	return message.WindowAckSize{Size: b.limit}, true, true
}
