package flv

// trackHeader is the part of an Enhanced RTMP header that says how the body
// is split into tracks.
type trackHeader struct {
	multitrack bool
	mode       MultitrackType
	packetType uint8
	fourCC     FourCC // shared codec; zero in ManyTracksManyCodecs mode
}

// readTrackHeader reads what follows the (ModEx-resolved) packet type: for a
// multitrack packet type, the mode/packet-type byte and the shared FourCC
// unless every track names its own; otherwise just the FourCC.
func readTrackHeader(rest []byte, packetType, multitrackType, modExType uint8) (trackHeader, []byte, error) {
	h := trackHeader{packetType: packetType}
	if packetType == multitrackType {
		if len(rest) < 1 {
			return h, nil, ErrTruncated
		}
		h.multitrack = true
		h.mode = MultitrackType(rest[0] >> 4)
		h.packetType = rest[0] & 0x0f
		rest = rest[1:]
		if h.mode > ManyTracksManyCodecs {
			return h, nil, ErrReserved
		}
		// A track cannot itself be multitrack, and ModEx belongs before
		// the multitrack byte.
		if h.packetType == multitrackType || h.packetType == modExType {
			return h, nil, ErrMultitrack
		}
		if h.mode == ManyTracksManyCodecs {
			return h, rest, nil
		}
	}
	if len(rest) < 4 {
		return h, nil, ErrTruncated
	}
	h.fourCC = readFourCC(rest)
	return h, rest[4:], nil
}

// rawTrack is one track of a message, every slice pointing into it.
type rawTrack struct {
	id     uint8
	fourCC FourCC
	body   []byte // the track body as carried
	data   []byte // body after the composition time, if any
	cto    int32
}

// trackScanner walks the tracks of a message body without copying. A
// single-track message is one track with id 0.
type trackScanner struct {
	hdr       trackHeader
	rest      []byte
	ctoPacket bool // composition times precede CodedFrames of avc1/hvc1
	preset    bool // cur was set by single and is yielded once
	started   bool
	done      bool
	cur       rawTrack
	err       error
}

// single makes a scanner that yields exactly the given track.
func single(t rawTrack) trackScanner {
	return trackScanner{cur: t, preset: true}
}

func (s *trackScanner) next() bool {
	if s.err != nil || s.done {
		return false
	}
	if s.preset {
		s.done = true
		return true
	}
	if !s.hdr.multitrack {
		s.started, s.done = true, true
		return s.finish(rawTrack{fourCC: s.hdr.fourCC, body: s.rest})
	}
	if len(s.rest) == 0 {
		if !s.started {
			s.err = ErrMultitrack
		}
		s.done = true
		return false
	}
	s.started = true
	t := rawTrack{fourCC: s.hdr.fourCC}
	r := s.rest
	if s.hdr.mode == ManyTracksManyCodecs {
		if len(r) < 4 {
			return s.fail(ErrTruncated)
		}
		t.fourCC = readFourCC(r)
		r = r[4:]
	}
	if len(r) < 1 {
		return s.fail(ErrTruncated)
	}
	t.id = r[0]
	r = r[1:]
	if s.hdr.mode == OneTrack {
		t.body, s.rest = r, nil
		s.done = true
		return s.finish(t)
	}
	if len(r) < 3 {
		return s.fail(ErrTruncated)
	}
	size := int(be24(r))
	r = r[3:]
	if size > len(r) {
		return s.fail(ErrMultitrack)
	}
	t.body, s.rest = r[:size:size], r[size:]
	return s.finish(t)
}

// finish splits the composition time off a video track body.
func (s *trackScanner) finish(t rawTrack) bool {
	t.data = t.body
	if s.ctoPacket && t.fourCC.hasCompositionTime() {
		if len(t.body) < 3 {
			return s.fail(ErrTruncated)
		}
		t.cto = si24(t.body)
		t.data = t.body[3:]
	}
	s.cur = t
	return true
}

func (s *trackScanner) fail(err error) bool {
	s.err = err
	return false
}

// count walks the remaining tracks, returning the first one and how many
// there were, and whether the body was consistent.
func (s *trackScanner) count() (first rawTrack, n int, err error) {
	for s.next() {
		if n == 0 {
			first = s.cur
		}
		n++
	}
	return first, n, s.err
}
