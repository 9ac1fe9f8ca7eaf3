package hls

import "time"

// Part is one partial segment: a fragment a player can fetch before its
// segment is complete.
type Part struct {
	Duration time.Duration
	// Independent: the part starts with a keyframe.
	Independent bool
}

// Segment is one media segment of the window, complete or being cut.
type Segment struct {
	// MSN is the segment's media sequence number.
	MSN uint64
	// Start is the decode time of its first sample.
	Start time.Duration
	// Duration is known once the segment is complete.
	Duration time.Duration
	// Parts are its complete parts, in order.
	Parts []Part
	// Complete: the next segment has begun (or the stream ended).
	Complete bool
	// Init numbers the initialization section its samples need; a change
	// from the segment before is a discontinuity.
	Init int
}

// Address names a part: its segment's MSN and its index there.
type Address struct {
	MSN  uint64
	Part int
}

// Cut is what one Push changed before the sample it was given.
type Cut struct {
	// Skip: the sample comes before the stream's first keyframe and
	// belongs to no segment.
	Skip bool
	// PartDone: the part at Done is complete; the sample begins a new one.
	PartDone bool
	// SegmentDone: so is the segment Done.MSN.
	SegmentDone bool
	Done        Address
	// Dropped lists segments that left the window: their bytes can go.
	Dropped []uint64
}

// Timeline cuts one stream into segments and parts. Its zero value is not
// usable; make one with NewTimeline.
type Timeline struct {
	cfg  Config
	segs []Segment // the window, oldest first; the last may be open
	// The open part, when the last segment is open.
	partStart       time.Duration
	partIndependent bool
	partSamples     int
	last, lastDelta time.Duration
	init            int
	// nextMSN numbers the next segment; discSeq counts the discontinuities
	// before the window's first segment.
	nextMSN uint64
	discSeq uint64
	longest time.Duration
	ended   bool
}

// NewTimeline returns an empty timeline; its first segment starts on the
// first keyframe pushed.
func NewTimeline(c Config) *Timeline {
	return &Timeline{cfg: c.withDefaults()}
}

// Config returns the timeline's configuration, defaults filled in.
func (t *Timeline) Config() Config { return t.cfg }

// Segments returns the window, oldest first; the last one may be open.
// The slice is the timeline's: read it before the next Push.
func (t *Timeline) Segments() []Segment { return t.segs }

// Ended reports whether End was called.
func (t *Timeline) Ended() bool { return t.ended }

// open reports whether a segment is being cut.
func (t *Timeline) open() bool {
	return len(t.segs) > 0 && !t.segs[len(t.segs)-1].Complete
}

// Current is the address of the part the last pushed sample went into,
// and false when no segment is open.
func (t *Timeline) Current() (Address, bool) {
	if !t.open() {
		return Address{}, false
	}
	s := &t.segs[len(t.segs)-1]
	return Address{s.MSN, len(s.Parts)}, true
}

// Push places one sample, by its decode time and whether a player can
// start decoding there (a video keyframe; any audio sample of a stream
// without video), and reports what closed before it. Decode times must not
// go backwards; one that does is treated as equal to the last.
func (t *Timeline) Push(dts time.Duration, key bool) Cut {
	if t.ended {
		return Cut{Skip: true}
	}
	if !t.open() {
		if !key {
			return Cut{Skip: true}
		}
		cut := Cut{Dropped: t.begin(dts)}
		t.note(dts, key)
		return cut
	}
	dts = max(dts, t.last)
	delta := dts - t.last
	s := &t.segs[len(t.segs)-1]
	var cut Cut
	switch {
	case key && dts-s.Start >= t.cfg.TargetDuration:
		cut = Cut{PartDone: true, SegmentDone: true, Done: Address{s.MSN, len(s.Parts)}}
		t.closeSegment(dts)
		cut.Dropped = t.begin(dts)
	case t.partSamples > 0 && dts-t.partStart+max(delta, t.lastDelta) > t.cfg.PartTarget:
		cut = Cut{PartDone: true, Done: Address{s.MSN, len(s.Parts)}}
		t.closePart(dts)
	}
	t.lastDelta = delta
	t.note(dts, key)
	return cut
}

// note counts a sample into the open part.
func (t *Timeline) note(dts time.Duration, key bool) {
	if t.partSamples == 0 {
		t.partIndependent = key
	}
	t.partSamples++
	t.last = dts
}

// closePart ends the open part at end.
func (t *Timeline) closePart(end time.Duration) {
	s := &t.segs[len(t.segs)-1]
	s.Parts = append(s.Parts, Part{Duration: end - t.partStart, Independent: t.partIndependent})
	t.partStart, t.partSamples, t.partIndependent = end, 0, false
}

// closeSegment ends the open segment, and its part, at end.
func (t *Timeline) closeSegment(end time.Duration) {
	t.closePart(end)
	s := &t.segs[len(t.segs)-1]
	s.Duration, s.Complete = end-s.Start, true
	t.longest = max(t.longest, s.Duration)
}

// begin opens a segment at dts and slides the window.
func (t *Timeline) begin(dts time.Duration) []uint64 {
	t.segs = append(t.segs, Segment{MSN: t.nextMSN, Start: dts, Init: t.init})
	t.nextMSN++
	t.partStart, t.partSamples, t.last = dts, 0, dts
	var dropped []uint64
	for len(t.segs) > t.cfg.Window+1 {
		if t.segs[1].Init != t.segs[0].Init {
			t.discSeq++
		}
		dropped = append(dropped, t.segs[0].MSN)
		t.segs = t.segs[1:]
	}
	return dropped
}

// NewInit starts a new initialization section (the tracks changed): the
// open segment ends at the last sample's time plus its usual spacing, and
// the next segment, which starts on the next keyframe, follows a
// discontinuity. It returns what that closed, as Push does.
func (t *Timeline) NewInit() Cut {
	t.init++
	return t.finish()
}

// End closes the open segment: the stream ended, and the playlist says so.
func (t *Timeline) End() Cut {
	cut := t.finish()
	t.ended = true
	return cut
}

func (t *Timeline) finish() Cut {
	if !t.open() {
		return Cut{}
	}
	s := &t.segs[len(t.segs)-1]
	done := Address{s.MSN, len(s.Parts)}
	if t.partSamples == 0 {
		// Nothing in the open part: the segment ends with its last part.
		if len(s.Parts) == 0 {
			t.segs = t.segs[:len(t.segs)-1]
			t.nextMSN--
			return Cut{}
		}
		s.Duration, s.Complete = t.partStart-s.Start, true
		t.longest = max(t.longest, s.Duration)
		return Cut{SegmentDone: true, Done: Address{s.MSN, len(s.Parts) - 1}}
	}
	t.closeSegment(t.last + t.lastDelta)
	return Cut{PartDone: true, SegmentDone: true, Done: done}
}

// Has reports whether a part is in the window and complete, and so can be
// served.
func (t *Timeline) Has(a Address) bool {
	s, ok := t.segment(a.MSN)
	return ok && a.Part >= 0 && a.Part < len(s.Parts)
}

// HasSegment reports whether a segment is in the window and complete.
func (t *Timeline) HasSegment(msn uint64) bool {
	s, ok := t.segment(msn)
	return ok && s.Complete
}

func (t *Timeline) segment(msn uint64) (Segment, bool) {
	if len(t.segs) == 0 || msn < t.segs[0].MSN {
		return Segment{}, false
	}
	i := msn - t.segs[0].MSN
	if i >= uint64(len(t.segs)) {
		return Segment{}, false
	}
	return t.segs[i], true
}

// Next is the address of the part that will complete next: the preload
// hint's.
func (t *Timeline) Next() Address {
	if t.open() {
		s := t.segs[len(t.segs)-1]
		return Address{s.MSN, len(s.Parts)}
	}
	return Address{t.nextMSN, 0}
}

// Upcoming reports whether a part is not complete yet but soon will be:
// the open part, or the first part of the next segment. A request for it
// can wait.
func (t *Timeline) Upcoming(a Address) bool {
	if t.ended {
		return false
	}
	n := t.Next()
	return a == n || (a.MSN == n.MSN+1 && a.Part == 0 && t.open())
}
