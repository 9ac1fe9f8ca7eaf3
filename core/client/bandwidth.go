package client

import "github.com/gortmp/rtmp/codec/message"

// peerBandwidth applies Set Peer Bandwidth by its limit type (RTMP 1.0,
// section 5.4.5; the rules are in core/internal/flow) and answers with our
// window when the limit in effect differs from the last window we sent.
// The server hears of every Set Peer Bandwidth, even one of an unknown
// type, which changes nothing.
func (s *Session) peerBandwidth(fx []Effect, b message.SetPeerBandwidth) []Effect {
	fx = append(fx, PeerBandwidthSet{Size: b.Size, Limit: b.Limit})
	if answer, owed, _ := s.bytes.bandwidth.Apply(b); owed {
		fx = send(fx, 0, 0, answer)
	}
	return fx
}
