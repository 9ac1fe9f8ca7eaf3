package core

import (
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

// bytesState is the byte accounting behind Acknowledgements.
type bytesState struct {
	received, sent uint64
	// acked is the received total at the last Acknowledgement we sent.
	acked uint64
	// peerWindow is the peer's Window Acknowledgement Size; 0 means the
	// peer asked for none.
	peerWindow uint32
	// windowSent is the last Window Acknowledgement Size we sent.
	windowSent uint32
	// bandwidth is the output limit the peer set, 0 before any.
	bandwidth      uint32
	bandwidthLimit message.LimitType
}

// pingState is the keep-alive timer.
type pingState struct {
	// outstanding is set by a ping request and cleared by anything the
	// peer sends after it (liveness.go), not only by its Ping Response.
	outstanding bool
	sentAt      time.Duration
	nextAt      time.Duration
}

// countBytes reports the totals and acknowledges when the bytes received
// since the last acknowledgement reach the peer's window.
func (s *state) countBytes(fx []Effect, in BytesCounted) []Effect {
	if in.Received > s.bytes.received {
		// Bytes the driver read since its last report: the peer is alive,
		// even if they are the middle of a message still incomplete.
		s.heard()
		s.bytes.received = in.Received
	}
	if in.Sent > s.bytes.sent {
		s.bytes.sent = in.Sent
	}
	fx = append(fx, ByteTotalsReported{Received: s.bytes.received, Sent: s.bytes.sent})
	if w := uint64(s.bytes.peerWindow); w > 0 && s.bytes.received-s.bytes.acked >= w {
		s.bytes.acked = s.bytes.received
		// The sequence number is the total modulo 2^32, as the spec counts.
		fx = s.send(fx, 0, message.Acknowledgement{SequenceNumber: uint32(s.bytes.received)})
	}
	return fx
}

// peerBandwidth applies Set Peer Bandwidth by its limit type and answers
// with our window size when it differs from the last one we sent, as the
// specification asks.
func (s *state) peerBandwidth(fx []Effect, b message.SetPeerBandwidth) []Effect {
	switch b.Limit {
	case message.LimitHard:
		s.bytes.bandwidth, s.bytes.bandwidthLimit = b.Size, message.LimitHard
	case message.LimitSoft:
		if s.bytes.bandwidth == 0 || b.Size < s.bytes.bandwidth {
			s.bytes.bandwidth = b.Size
		}
		s.bytes.bandwidthLimit = message.LimitSoft
	case message.LimitDynamic:
		// Dynamic counts as hard only when the previous limit was hard.
		if s.bytes.bandwidthLimit == message.LimitHard && s.bytes.bandwidth != 0 {
			s.bytes.bandwidth = b.Size
		}
	default:
		return append(fx, MessageIgnored{0, b.Type(), "unknown limit type"})
	}
	fx = append(fx, PeerBandwidthSet{Size: b.Size, Limit: b.Limit, Effective: s.bytes.bandwidth})
	if s.bytes.bandwidth != 0 && s.bytes.bandwidth != s.bytes.windowSent {
		s.bytes.windowSent = s.bytes.bandwidth
		fx = s.send(fx, 0, message.WindowAckSize{Size: s.bytes.bandwidth})
	}
	return fx
}

// sendPing sends a ping request; the timeout runs from the oldest
// unanswered one.
func (s *state) sendPing(fx []Effect) []Effect {
	ts := s.clock()
	if !s.ping.outstanding {
		s.ping.outstanding = true
		s.ping.sentAt = s.now
	}
	if s.cfg.PingInterval > 0 {
		s.ping.nextAt = s.now + s.cfg.PingInterval
	}
	fx = s.send(fx, 0, message.PingRequest{Timestamp: ts})
	return append(fx, PingRequestSent{ts})
}

// tick advances the clock and fires the timers that are due.
func (s *state) tick(fx []Effect, now time.Duration) []Effect {
	if now > s.now {
		s.now = now
	}
	if s.ping.outstanding && s.cfg.PingTimeout > 0 && s.now >= s.ping.sentAt+s.cfg.PingTimeout {
		return s.terminate(fx, PingTimeoutError{s.cfg.PingTimeout})
	}
	if fx = s.checkIdle(fx); s.phase == phaseClosed {
		return fx
	}
	if s.cfg.PingInterval > 0 && s.now >= s.ping.nextAt {
		fx = s.sendPing(fx)
	}
	return fx
}

// nextWake is the earliest armed deadline.
func (s *state) nextWake() time.Duration {
	w := Never
	if s.ping.outstanding && s.cfg.PingTimeout > 0 {
		w = min(w, s.ping.sentAt+s.cfg.PingTimeout)
	}
	if s.cfg.PingInterval > 0 {
		w = min(w, s.ping.nextAt)
	}
	if s.idleWatching() {
		w = min(w, s.idle.checkAt)
	}
	return w
}

// beginStreamZero opens stream 0: the seed's four messages, with our chunk
// size announced and applied before onBWDone.
func (s *state) beginStreamZero(fx []Effect) []Effect {
	if s.zeroBegun {
		return append(fx, CallerError{UsageError{"stream zero already begun"}})
	}
	s.zeroBegun = true
	s.bytes.windowSent = s.cfg.WindowAckSize
	fx = s.send(fx, 0, message.SetPeerBandwidth{Size: s.cfg.PeerBandwidth, Limit: message.LimitDynamic})
	fx = s.send(fx, 0, message.WindowAckSize{Size: s.cfg.WindowAckSize})
	fx = s.send(fx, 0, message.SetChunkSize{Size: s.cfg.ChunkSize})
	fx = append(fx, ChangeChunkSize{s.cfg.ChunkSize})
	fx = s.send(fx, 0, message.StreamBegin{StreamID: 0})
	return s.send(fx, 0, message.Command{Name: "onBWDone", Args: []amf0.Value{8192.0}})
}

// sendMessage sends an application message on stream 0 or a live stream.
func (s *state) sendMessage(fx []Effect, in SendMessage) []Effect {
	if in.Body == nil {
		return append(fx, CallerError{UsageError{"SendMessage without a body"}})
	}
	if in.StreamID != 0 {
		if _, ok := s.findStream(in.StreamID); !ok {
			return append(fx, CallerError{UsageError{"SendMessage on a stream that does not exist"}})
		}
	}
	ts := s.clock()
	if in.ForceTimestamp {
		ts = in.Timestamp
	}
	fx = s.sendAt(fx, in.StreamID, ts, in.Body)
	if c, ok := in.Body.(message.SetChunkSize); ok && c.Size > 0 && c.Size <= maxChunkSize {
		// The encoder must follow what the peer is told.
		fx = append(fx, ChangeChunkSize{c.Size})
	}
	return fx
}
