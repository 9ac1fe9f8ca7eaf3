package client

import "github.com/gortmp/rtmp/codec/message"

// countBytes acknowledges when the bytes received since the last
// Acknowledgement reach the server's window. The totals are cumulative: the
// new total replaces the old one (the seed client added each report to a
// running sum and so acknowledged bytes it never received).
func (s *Session) countBytes(fx []Effect, in BytesCounted) []Effect {
	s.bytes.acks.Count(in.Received)
	if ack, due := s.bytes.acks.Due(); due {
		fx = send(fx, 0, 0, ack)
	}
	return fx
}

// control handles the protocol control messages and user control events.
func (s *Session) control(fx []Effect, m message.Message) ([]Effect, bool) {
	switch b := m.Body.(type) {
	case message.SetChunkSize:
		fx = append(fx, PeerChunkSizeChanged{Size: b.Size})
	case message.Acknowledgement:
		fx = append(fx, AcknowledgementReceived{BytesReceived: b.SequenceNumber})
	case message.WindowAckSize:
		s.bytes.acks.SetWindow(b.Size)
		fx = append(fx, WindowSizeReceived{Size: b.Size})
	case message.SetPeerBandwidth:
		fx = s.peerBandwidth(fx, b)
	case message.PingRequest:
		fx = send(fx, 0, 0, message.PingResponse(b))
		fx = append(fx, PingAnswered{Timestamp: b.Timestamp})
	case message.StreamBegin:
		fx = append(fx, StreamBegan{StreamID: b.StreamID})
	case message.StreamEOF:
		fx = append(fx, StreamEnded{StreamID: b.StreamID})
	case message.Abort:
		fx = append(fx, MessageIgnored{m.StreamID, m.Body.Type(), "abort is applied by the chunk decoder"})
	case message.StreamDry, message.StreamIsRecorded, message.SetBufferLength,
		message.PingResponse, message.UnknownUserControl:
		fx = append(fx, MessageIgnored{m.StreamID, m.Body.Type(), "user control event a client does not act on"})
	default:
		return fx, false
	}
	return fx, true
}

func (s *Session) setBufferLength(fx []Effect, in SetBufferLength) []Effect {
	if s.find(in.StreamID) < 0 {
		return misuse(fx, "setBufferLength: no such stream")
	}
	return send(fx, 0, 0, message.SetBufferLength{StreamID: in.StreamID, Milliseconds: in.Milliseconds})
}
