package sim

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/relay"
)

// check verifies the invariants at the end of a run.
func (s *Sim) check() {
	for _, c := range s.clients {
		if c.phase == waiting {
			continue
		}
		s.checkHalfOpen(c)
		s.checkAnswers(c)
		s.checkPings(c)
		s.checkAcks(c)
		if c.spec.Role == Player {
			s.checkMedia(c)
			s.res.Notices += c.epoch
		}
		s.res.Pings += len(c.pings)
		s.res.Acks += len(c.acks)
	}
	s.checkOnePublisher()
}

// checkOnePublisher: a path has one publisher at a time. Two publishers of
// a key whose accepted runs overlap (from Publish.Start to when they began
// to leave or their session ended) are possible only if one took the path
// over from the other, which the other was told. Clients the network cut
// or that stopped reading may never read that notice, and are left out.
func (s *Sim) checkOnePublisher() {
	for i, a := range s.clients {
		for _, b := range s.clients[i+1:] {
			if a.spec.Key != b.spec.Key || !a.published() || !b.published() || a.takenOver || b.takenOver {
				continue
			}
			if a.startAt < b.publishEnd() && b.startAt < a.publishEnd() {
				s.fail("c%d and c%d both published %q from %v and %v, and neither was taken over", a.id, b.id, a.spec.Key, a.startAt, b.startAt)
			}
		}
	}
}

// published reports whether a publisher was accepted and heard all the
// server told it.
func (c *peer) published() bool {
	return c.spec.Role == Publisher && c.status > 0 && !c.rejected && !c.dropped && c.spec.StallFor == 0
}

// publishEnd is the earliest the client or its session ended its run.
func (c *peer) publishEnd() time.Duration {
	end := never
	if c.doneAt > 0 {
		end = c.doneAt
	}
	if c.server != nil && c.server.closed {
		end = min(end, c.server.closedAt)
	}
	return end
}

// checkHalfOpen: a server session whose peer is gone has ended, and a
// client whose server ended has seen it.
func (s *Sim) checkHalfOpen(c *peer) {
	sc := c.server
	if c.phase == gone && !sc.closed {
		s.fail("c%d is gone (dropped %v, vanish %v) but its server session is still open", c.id, c.dropped, c.spec.Vanish)
	}
	if sc.socketClosed && !c.eof && c.phase != gone {
		s.fail("c%d never saw the server close its connection", c.id)
	}
	var pt core.PingTimeoutError
	if errors.As(sc.err, &pt) && !c.dropped && c.spec.StallFor < s.cfg.Server.Session.PingTimeout-s.cfg.Server.Session.PingInterval {
		s.fail("c%d answered its pings but its session timed out", c.id)
	}
}

// complete reports whether nothing cut the client short: the network did
// not drop it, the server did not close it, and if it closed itself it
// did so after its last answer or after waiting longer than any stall.
func (c *peer) complete() bool {
	return !c.dropped && !c.eof && (c.phase == gone || !c.server.closed)
}

// checkAnswers: every call got at most one answer, and exactly one when
// the client's connection lasted. The session matches each answer to its
// call once; a repeated or stray one fails the run as it arrives.
func (s *Sim) checkAnswers(c *peer) {
	for _, name := range sortedKeys(c.calls) {
		sent, n := c.calls[name], c.answers[name]
		if n > sent || n < sent && c.complete() {
			s.fail("c%d: %s (%d sent) got %d answers", c.id, name, sent, n)
		}
	}
	if c.status > 1 || c.asked && c.status == 0 && c.complete() {
		s.fail("c%d: its %v request got %d status answers", c.id, c.spec.Role, c.status)
	}
}

// sortedKeys keeps failure messages in one order, so that a run's
// failures replay word for word.
func sortedKeys(m map[string]int) []string {
	return slices.Sorted(maps.Keys(m))
}

// checkPings: pings come at the configured interval of session time.
func (s *Sim) checkPings(c *peer) {
	every := uint32(s.cfg.Server.Session.PingInterval / millisecond)
	for i, ts := range c.pings {
		if i == 0 && ts < every || i > 0 && ts-c.pings[i-1] != every {
			s.fail("c%d: ping timestamps %v, want one every %d ms", c.id, c.pings, every)
			return
		}
	}
}

// checkAcks: acknowledgements come at least a window apart and, on a
// connection that lasted, within a window and a report of the end.
func (s *Sim) checkAcks(c *peer) {
	w := uint64(c.spec.Window)
	var last uint64
	for _, a := range c.acks {
		if uint64(a) < last+w {
			s.fail("c%d: acknowledgements %v closer than the window %d", c.id, c.acks, w)
			return
		}
		last = uint64(a)
	}
	if c.phase != gone && !c.server.closed {
		if got := c.server.conn.Received(); got-last >= w+uint64(s.cfg.Server.ReportEvery) {
			s.fail("c%d: last acknowledgement at %d of %d received bytes, window %d", c.id, last, got, w)
		}
	}
}

// checkMedia: a player the relay never dropped anything for received, for
// each publisher it saw, a contiguous run of the media from a keyframe.
func (s *Sim) checkMedia(c *peer) {
	s.res.Media += len(c.got)
	if c.server == nil || s.server.behind[relay.ConnClient(uint64(c.server.id), c.streamID)] {
		s.res.Dropped++
		return
	}
	var audio, video []flv.Tag
	for _, t := range s.cfg.Media {
		switch {
		case t.Type == flv.TagAudio && !isHeader(relay.Audio, t.Data):
			audio = append(audio, t)
		case t.Type == flv.TagVideo && !isHeader(relay.Video, t.Data):
			video = append(video, t)
		}
	}
	for start := 0; start < len(c.got); {
		end := start
		for end < len(c.got) && c.got[end].epoch == c.got[start].epoch {
			end++
		}
		run := c.got[start:end]
		if problem := headersFirst(run); problem != "" {
			s.fail("c%d (epoch %d): %s", c.id, c.got[start].epoch, problem)
		}
		vShift, vOK, err := contiguous(run, relay.Video, video, true)
		if err != "" {
			s.fail("c%d video (epoch %d): %s", c.id, c.got[start].epoch, err)
		}
		aShift, aOK, err := contiguous(run, relay.Audio, audio, false)
		if err != "" {
			s.fail("c%d audio (epoch %d): %s", c.id, c.got[start].epoch, err)
		}
		if vOK && aOK && vShift != aShift {
			s.fail("c%d (epoch %d): video shifted by %d ms, audio by %d", c.id, c.got[start].epoch, vShift, aShift)
		}
		start = end
	}
}

// headersFirst: a player that joins a stream (late, through the fast
// start, or waiting for its publisher) gets each track's sequence header
// before the track's first frame, or it could not decode it.
func headersFirst(run []received) string {
	var seen [2]bool // audio, video headers
	for _, g := range run {
		i := 0
		if g.kind == relay.Video {
			i = 1
		}
		switch relay.Classify(relay.Media{Kind: g.kind, Payload: g.payload}) {
		case relay.AudioHeader, relay.VideoHeader:
			seen[i] = true
		case relay.Keyframe, relay.Frame:
			if !seen[i] {
				return fmt.Sprintf("%v frame at %d ms before any %v sequence header", g.kind, g.ts, g.kind)
			}
		}
	}
	return ""
}

func isHeader(kind relay.Kind, payload []byte) bool {
	switch relay.Classify(relay.Media{Kind: kind, Payload: payload}) {
	case relay.VideoHeader, relay.AudioHeader, relay.Meta, relay.Control:
		return true
	}
	return false
}

// contiguous checks that the frames of one kind in got are want[i:j] for
// some i (a keyframe when fromKey), byte for byte, with their timestamps
// shifted by one constant: the relay moves a later publisher's timestamps
// to continue after the previous one's. It returns the shift and whether
// there was a frame to measure it.
func contiguous(got []received, kind relay.Kind, want []flv.Tag, fromKey bool) (shift uint32, found bool, problem string) {
	i := -1
	for _, g := range got {
		if g.kind != kind || isHeader(kind, g.payload) {
			continue
		}
		if i < 0 {
			for k, t := range want {
				if bytes.Equal(t.Data, g.payload) {
					i = k
					break
				}
			}
			if i < 0 {
				return 0, false, "first frame is not one the publisher sent"
			}
			if fromKey && relay.Classify(relay.Media{Kind: kind, Payload: g.payload}) != relay.Keyframe {
				return 0, false, "first frame is not a keyframe"
			}
			shift, found = g.ts-want[i].Timestamp, true
		} else {
			i++
			if i >= len(want) || want[i].Timestamp+shift != g.ts || !bytes.Equal(want[i].Data, g.payload) {
				return shift, found, "a frame is missing, repeated or changed"
			}
		}
	}
	return shift, found, ""
}
