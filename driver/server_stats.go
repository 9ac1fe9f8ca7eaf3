package driver

import "sync/atomic"

// ServerStats counts what a server does, for an application to report
// (Config.Stats). Its counters are updated as connections come, go and
// move bytes; Counts reads them.
type ServerStats struct {
	accepted, refused, handshakeFailed atomic.Uint64
	open                               atomic.Int64
	received, sent                     atomic.Uint64
	held                               atomic.Int64
	overBudget                         atomic.Uint64
}

// ServerCounts is a reading of ServerStats. Each field is read on its
// own, so a reading taken while connections come and go is exact per
// field, not across them.
type ServerCounts struct {
	// Accepted counts connections taken into service; Open is how many
	// of them are served now.
	Accepted uint64
	Open     int64
	// Refused counts connections closed at once because the server had
	// MaxConns already or was shutting down.
	Refused uint64
	// HandshakeFailed counts connections that ended before their RTMP
	// handshake completed: a timeout, bytes that are not RTMP, a peer
	// that left.
	HandshakeFailed uint64
	// BytesReceived and BytesSent count the RTMP bytes of all
	// connections each way, handshakes included: under TLS and in RTMPT
	// the bytes carried inside, on RTMPE the encrypted ones.
	BytesReceived, BytesSent uint64
	// MemoryHeld is what the open connections hold against their
	// Config.Budget (partial messages, send queues, a message being
	// handled), as of each one's last read, wake or write, summed.
	MemoryHeld int64
	// OverBudget counts connections closed for passing their
	// Config.Budget (ErrMemoryBudget).
	OverBudget uint64
}

// Counts reads the counters.
func (s *ServerStats) Counts() ServerCounts {
	return ServerCounts{
		Accepted:        s.accepted.Load(),
		Open:            s.open.Load(),
		Refused:         s.refused.Load(),
		HandshakeFailed: s.handshakeFailed.Load(),
		BytesReceived:   s.received.Load(),
		BytesSent:       s.sent.Load(),
		MemoryHeld:      s.held.Load(),
		OverBudget:      s.overBudget.Load(),
	}
}
