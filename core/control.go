package core

import (
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/internal/flow"
)

// bytesState is the byte accounting behind Acknowledgements and the
// output limit the peer set; the rules are shared with the client session.
type bytesState struct {
	acks      flow.Acks
	sent      uint64
	bandwidth flow.Bandwidth
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
	if s.bytes.acks.Count(in.Received) {
		// Bytes the driver read since its last report: the peer is alive,
		// even if they are the middle of a message still incomplete.
		s.heard()
	}
	if in.Sent > s.bytes.sent {
		s.bytes.sent = in.Sent
	}
	fx = append(fx, ByteTotalsReported{Received: s.bytes.acks.Received(), Sent: s.bytes.sent})
	if ack, due := s.bytes.acks.Due(); due {
		fx = s.send(fx, 0, ack)
	}
	return fx
}

// peerBandwidth applies Set Peer Bandwidth and answers with our window
// size when the limit differs from the last one we sent, as the
// specification asks.
func (s *state) peerBandwidth(fx []Effect, b message.SetPeerBandwidth) []Effect {
	answer, owed, known := s.bytes.bandwidth.Apply(b)
	if !known {
		return append(fx, MessageIgnored{0, b.Type(), "unknown limit type"})
	}
	fx = append(fx, PeerBandwidthSet{Size: b.Size, Limit: b.Limit, Effective: s.bytes.bandwidth.Limit()})
	if owed {
		fx = s.send(fx, 0, answer)
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
	s.bytes.bandwidth.Announced(s.cfg.WindowAckSize)
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
	if c, ok := in.Body.(message.SetChunkSize); ok && c.Size > 0 && c.Size <= chunk.MaxChunkSize {
		// The encoder must follow what the peer is told.
		fx = append(fx, ChangeChunkSize{c.Size})
	}
	return fx
}
