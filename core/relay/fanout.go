package relay

// Fanout is the relay's decision for one media message: which players get
// it and which must be disconnected. It is reused across calls so the
// media path allocates nothing in steady state.
type Fanout struct {
	// Class is how the message was classified.
	Class Class
	// To lists the players that get the message, in join order. Each was
	// charged Media.Cost against its queue.
	To []ClientID
	// Disconnect lists players removed for falling too far behind, in
	// join order.
	Disconnect []Disconnect
}

// Media decides who gets one message of the publisher and updates the
// fast-start cache. A message with no publisher is ignored (f.To empty).
//
// The per-player policy: sequence headers, metadata and audio are always
// sent; video is sent while the player's queue stays under
// Config.MaxQueueBytes. A video message that would pass it is dropped and
// the player skips video until a keyframe that fits, so it resumes on a
// clean picture. A player that keeps skipping for Config.MaxBehindMillis of
// media time, or whose queue would pass Config.HardQueueBytes, is
// disconnected.
func (s *Stream) Media(m Media, f *Fanout) {
	f.To, f.Disconnect = f.To[:0], f.Disconnect[:0]
	f.Class = Classify(m)
	if !s.publishing {
		return
	}
	s.cache.update(m, f.Class, s.cfg.MaxCacheBytes)
	cost := m.Cost()
	kept := s.players[:0]
	for _, p := range s.players {
		send, reason := s.decide(&p, m, f.Class, cost)
		if reason != nil {
			f.Disconnect = append(f.Disconnect, Disconnect{Player: p.id, Reason: reason})
			continue
		}
		if send {
			p.queued += cost
			p.stats.sent(cost)
			s.totals.sent(cost)
			f.To = append(f.To, p.id)
		} else {
			p.stats.dropped(cost)
			s.totals.dropped(cost)
		}
		kept = append(kept, p)
	}
	clear(s.players[len(kept):])
	s.players = kept
	if len(f.Disconnect) > 0 {
		s.reindex()
	}
}

// decide applies the drop policy to one player, updating its skip state.
func (s *Stream) decide(p *player, m Media, class Class, cost int) (send bool, disconnect error) {
	fits := p.queued+cost <= s.cfg.MaxQueueBytes
	switch {
	case class == Keyframe:
		if fits {
			p.waitKey, p.overflow = false, false
			return true, nil
		}
		s.overflow(p, m)
	case class == Frame && m.Kind == Video:
		if !p.waitKey && fits {
			return true, nil
		}
		if !fits {
			s.overflow(p, m)
		}
	default:
		// Audio, sequence headers and metadata are kept: they are small,
		// and a player without them cannot decode what follows.
		if p.queued+cost > s.cfg.HardQueueBytes {
			return false, ErrQueueFull
		}
		send = true
	}
	if p.overflow && int32(m.Timestamp-p.behindSince) > int32(s.cfg.MaxBehindMillis) {
		return false, ErrBehind
	}
	return send, nil
}

// overflow starts (or continues) skipping video for a player whose queue
// is full.
func (s *Stream) overflow(p *player, m Media) {
	if !p.overflow {
		p.overflow, p.behindSince = true, m.Timestamp
	}
	p.waitKey = true
}
