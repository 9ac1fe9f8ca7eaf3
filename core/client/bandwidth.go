package client

import "github.com/gortmp/rtmp/codec/message"

// peerBandwidth applies Set Peer Bandwidth by its limit type (RTMP 1.0,
// section 5.4.5) and answers with our window when the limit in effect
// differs from the last window we sent. Hard sets the limit; soft lowers
// it (or sets the first one); dynamic counts as hard only when the limit
// in effect is hard, and is ignored otherwise, as is an unknown type.
func (s *Session) peerBandwidth(fx []Effect, b message.SetPeerBandwidth) []Effect {
	fx = append(fx, PeerBandwidthSet{Size: b.Size, Limit: b.Limit})
	switch b.Limit {
	case message.LimitHard:
		s.bytes.bandwidth, s.bytes.bandwidthLimit = b.Size, message.LimitHard
	case message.LimitSoft:
		if s.bytes.bandwidth == 0 || b.Size < s.bytes.bandwidth {
			s.bytes.bandwidth = b.Size
		}
		s.bytes.bandwidthLimit = message.LimitSoft
	case message.LimitDynamic:
		// LimitHard is the zero LimitType: no limit yet is not hard.
		if s.bytes.bandwidthLimit != message.LimitHard || s.bytes.bandwidth == 0 {
			return fx
		}
		s.bytes.bandwidth = b.Size
	default:
		return fx
	}
	if s.bytes.bandwidth != 0 && s.bytes.bandwidth != s.bytes.windowSent {
		s.bytes.windowSent = s.bytes.bandwidth
		fx = send(fx, 0, 0, message.WindowAckSize{Size: s.bytes.bandwidth})
	}
	return fx
}
