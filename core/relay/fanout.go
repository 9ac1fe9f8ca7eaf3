package relay

// Fanout is the relay's decision for one media message: which players get
// it and which must be disconnected. It is reused across calls so the
// media path allocates nothing in steady state.
type Fanout struct {
	// Class is how the message was classified.
	Class Class
	// Unreadable, for a message of that class, is why codec/flv could
	// not read it; nil otherwise.
	Unreadable error
	// Timestamp is the message's timestamp as players get it, rebased
	// (see Stream.Media); meaningless when no publisher took it.
	Timestamp uint32
	// To lists the players that get the message, in join order, and
	// Views the view of each: To[i] gets Payload(Views[i]) and was
	// charged its Cost against its queue.
	To    []ClientID
	Views []View
	// Disconnect lists players removed for falling too far behind, in
	// join order.
	Disconnect []Disconnect

	// payloads holds the message in each view some player needed.
	payloads [viewCount]viewPayload
	// tracks is the video tracks the message carries.
	tracks trackSet
}

type viewPayload struct {
	done, ok bool
	m        Media
}

// Payload is the message as a player with view v gets it: the same bytes
// for every player of that view, so the caller encodes them once per
// view. For a view no recipient has, it may be the zero Media.
func (f *Fanout) Payload(v View) Media {
	if v >= viewCount || !f.payloads[v].ok {
		return Media{}
	}
	return f.payloads[v].m
}

// view returns the message in view v, working it out once per message.
func (f *Fanout) view(v View, m Media) (Media, bool) {
	vp := &f.payloads[v]
	if !vp.done {
		vp.done, vp.m = true, m
		if v == ViewLegacy {
			// The legacy view is the default track's, with avc1 and
			// mp4a rewritten: other codecs share its bytes.
			if d, ok := f.view(ViewDefaultTrack, m); ok {
				vp.m.Payload, vp.ok = legacyForm(m.Kind, d.Payload)
			}
		} else {
			vp.m.Payload, vp.ok = v.Payload(m)
		}
	}
	return vp.m, vp.ok
}

// MediaFrom is Media for a message sent by from, and reports whether the
// stream took it: a publisher that was taken over may still send before
// its connection closes, and what it sends goes nowhere.
func (s *Stream) MediaFrom(from ClientID, m Media, f *Fanout) bool {
	if !s.IsPublisher(from) {
		return false
	}
	s.Media(m, f)
	return true
}

// Media decides who gets one message of the publisher and updates the
// fast-start cache. A message with no publisher is ignored (f.To empty).
//
// Timestamps are rebased per publisher: the first publisher's pass as
// they are; each later one's are shifted by a constant so that its first
// message follows the latest timestamp the stream sent by 1 ms. Within a
// publisher the spacing of messages is kept exactly, and across publishers
// a player's timestamps never go back (a player also gets Stream EOF and
// Stream Begin at the boundary). Payload returns the rebased message, and
// the fast-start cache holds rebased messages.
//
// The per-player policy: sequence headers, metadata and audio are always
// sent; video is sent while the player's queue stays under
// Config.MaxQueueBytes. A video message that would pass it is dropped and
// the player skips video until a keyframe that fits, so it resumes on a
// clean picture. A player that keeps skipping for Config.MaxBehindMillis of
// media time, or whose queue would pass Config.HardQueueBytes, is
// disconnected.
func (s *Stream) Media(m Media, f *Fanout) {
	f.To, f.Views, f.Disconnect = f.To[:0], f.Views[:0], f.Disconnect[:0]
	f.payloads = [viewCount]viewPayload{}
	m, f.Class, f.Unreadable = readable(m)
	f.Timestamp, f.tracks = 0, trackSet{}
	if !s.publishing {
		return
	}
	if f.Class == Unreadable {
		s.unreadable++
	} else {
		f.tracks = videoTracks(m)
	}
	m.Timestamp = s.clock.rebase(m.Timestamp)
	f.Timestamp = m.Timestamp
	s.cache.update(m, f.Class, f.tracks, s.cfg.MaxCacheBytes)
	var viewTracks [viewCount]trackSet
	for v := range viewCount {
		viewTracks[v] = f.tracks.and(v.tracks())
	}
	// Players are updated in place and the ones kept moved down over
	// the ones removed: a player is too big to copy twice per message.
	kept := 0
	for i := range s.players {
		p := &s.players[i]
		vm, ok := f.view(p.view, m)
		if ok {
			cost := vm.Cost()
			send, reason := s.decide(p, vm, f.Class, cost, &viewTracks[p.view])
			if reason != nil {
				f.Disconnect = append(f.Disconnect, Disconnect{Player: p.id, Reason: reason})
				continue
			}
			if send {
				p.queued += cost
				p.stats.sent(cost)
				s.totals.sent(cost)
				f.To = append(f.To, p.id)
				f.Views = append(f.Views, p.view)
			} else {
				p.stats.dropped(cost)
				s.totals.dropped(cost)
			}
		} // else nothing in this message is for the player's view.
		if kept != i {
			s.players[kept] = *p
		}
		kept++
	}
	clear(s.players[kept:])
	s.players = s.players[:kept]
	if len(f.Disconnect) > 0 {
		s.reindex()
	}
}

// decide applies the drop policy to one player, updating its skip state.
// tracks is the video tracks of the message the player reads: each
// starts on its own keyframe, and a frame goes out only when every track
// it carries has started (a frame held back stops the others it carries
// too, until their next keyframe, so no decoder sees a gap).
func (s *Stream) decide(p *player, m Media, class Class, cost int, tracks *trackSet) (send bool, disconnect error) {
	fits := p.queued+cost <= s.cfg.MaxQueueBytes
	switch {
	case class == Keyframe:
		if fits {
			p.started.addAll(tracks)
			p.overflow = false
			return true, nil
		}
		s.overflow(p, m)
	case class == Frame && m.Kind == Video:
		if fits && p.started.covers(tracks) {
			return true, nil
		}
		if fits {
			p.started.removeAll(tracks)
		} else {
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
// is full: every track waits for its next keyframe.
func (s *Stream) overflow(p *player, m Media) {
	if !p.overflow {
		p.overflow, p.behindSince = true, m.Timestamp
	}
	p.started = trackSet{}
}
