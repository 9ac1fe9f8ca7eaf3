package core

import (
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
)

// receive handles every message from the peer except media on a
// publishing stream, which takes the fast path in media.go.
func (s *state) receive(fx []Effect, m message.Message) []Effect {
	switch b := m.Body.(type) {
	case nil:
		return append(fx, CallerError{UsageError{"message without a body"}})
	case message.Command:
		// The one place values are read as they came: from here on a
		// command reads the same in AMF0 and AMF3 (see doc.go).
		return s.command(fx, m.StreamID, b.Normalized())
	case message.Data:
		return s.data(fx, m, b.Normalized())
	case message.Audio, message.Video:
		return append(fx, MessageIgnored{m.StreamID, b.Type(), "stream is not publishing"})
	case message.SetChunkSize:
		if b.Size == 0 || b.Size > chunk.MaxChunkSize {
			return s.violation(fx, "chunk size out of range")
		}
		return append(fx, PeerChunkSizeChanged{b.Size})
	case message.Abort:
		// The chunk decoder already dropped the partial message.
		return fx
	case message.Acknowledgement:
		return append(fx, AcknowledgementReceived{b.SequenceNumber})
	case message.WindowAckSize:
		s.bytes.acks.SetWindow(b.Size)
		return fx
	case message.SetPeerBandwidth:
		return s.peerBandwidth(fx, b)
	case message.PingRequest:
		return s.sendAt(fx, 0, s.clock(), message.PingResponse(b))
	case message.PingResponse:
		s.ping.outstanding = false
		return append(fx, PingResponseReceived{b.Timestamp})
	case message.SetBufferLength:
		if b.StreamID != 0 {
			if _, ok := s.findStream(b.StreamID); !ok {
				return append(fx, MessageIgnored{m.StreamID, b.Type(), "buffer length for an unknown stream"})
			}
		}
		return append(fx, BufferLengthSet{StreamID: b.StreamID, Milliseconds: b.Milliseconds})
	case message.Aggregate:
		return append(fx, MessageIgnored{m.StreamID, b.Type(), "aggregate messages are split by the driver"})
	}
	return append(fx, MessageIgnored{m.StreamID, m.Body.Type(), "not handled by a server session"})
}
