package fmp4

import (
	"cmp"
	"math"
	"slices"
)

// Muxer gathers the samples Tags gives and writes them as fragments. A
// sample's duration is the distance to its track's next sample, so the
// last sample of each track waits for the next fragment (or Flush). To
// start fragments on keyframes, Add the keyframe, then AppendFragment:
// the fragment holds everything before it, and the keyframe, whose
// duration is not known yet, opens the next one. The muxer copies sample
// data: what it is handed may be reused at once. The zero value is ready
// to use.
type Muxer struct {
	tracks   []muxTrack
	data     []byte // the pending samples' data, in Add order
	scratch  []byte // the data of samples kept over a fragment
	runs     []Run
	sequence uint32
}

type muxTrack struct {
	id      uint32
	pending []pendingSample
	// last is the duration of the track's most recent complete sample,
	// the guess for a final sample's.
	last uint32
	// out is reused for the run of each fragment.
	out []Sample
}

type pendingSample struct {
	dts       uint64
	sample    Sample // Data is nil; at and size locate it in Muxer.data
	at, size  int
	hasLength bool
}

// Add queues one sample.
func (m *Muxer) Add(s TrackSample) {
	tr := m.track(s.TrackID)
	if n := len(tr.pending); n > 0 {
		prev := &tr.pending[n-1]
		prev.sample.Duration = duration(prev.dts, s.DTS)
		prev.hasLength = true
		tr.last = prev.sample.Duration
	}
	ps := pendingSample{dts: s.DTS, sample: s.Sample, at: len(m.data), size: len(s.Sample.Data)}
	ps.sample.Data = nil
	m.data = append(m.data, s.Sample.Data...)
	tr.pending = append(tr.pending, ps)
}

// duration is the step from one decode time to the next: zero when time
// went back (a publisher's clock reset), and at most what trun can hold.
func duration(from, to uint64) uint32 {
	if to <= from {
		return 0
	}
	return uint32(min(to-from, math.MaxUint32))
}

func (m *Muxer) track(id uint32) *muxTrack {
	for i := range m.tracks {
		if m.tracks[i].id == id {
			return &m.tracks[i]
		}
	}
	m.tracks = append(m.tracks, muxTrack{id: id})
	slices.SortFunc(m.tracks, func(a, b muxTrack) int { return cmp.Compare(a.id, b.id) })
	return m.track(id)
}

// Pending is how many samples wait, of every track.
func (m *Muxer) Pending() int {
	n := 0
	for i := range m.tracks {
		n += len(m.tracks[i].pending)
	}
	return n
}

// PendingBytes is the size of the waiting samples' data.
func (m *Muxer) PendingBytes() int { return len(m.data) }

// AppendFragment appends a fragment of every sample whose duration is
// known: all but the latest of each track. dst is returned unchanged when
// there is none.
func (m *Muxer) AppendFragment(dst []byte) ([]byte, error) { return m.appendFragment(dst, false) }

// Flush appends a fragment of every pending sample, the last of each
// track lasting as long as the one before it: the end of a recording.
func (m *Muxer) Flush(dst []byte) ([]byte, error) { return m.appendFragment(dst, true) }

// Reset forgets every pending sample and track, as when the track set
// changes and a new init segment starts. Fragment numbers go on.
func (m *Muxer) Reset() {
	m.tracks, m.data = m.tracks[:0], m.data[:0]
}

func (m *Muxer) appendFragment(dst []byte, all bool) ([]byte, error) {
	m.runs = m.runs[:0]
	for i := range m.tracks {
		tr := &m.tracks[i]
		n := len(tr.pending)
		if n > 0 && !all && !tr.pending[n-1].hasLength {
			n--
		}
		if n == 0 {
			continue
		}
		tr.out = slices.Grow(tr.out[:0], n)[:n]
		run := Run{TrackID: tr.id, BaseDecodeTime: tr.pending[0].dts, Samples: tr.out}
		for j := range n {
			ps := tr.pending[j]
			run.Samples[j] = ps.sample
			if !ps.hasLength {
				run.Samples[j].Duration = tr.last
			}
			run.Samples[j].Data = m.data[ps.at : ps.at+ps.size]
		}
		m.runs = append(m.runs, run)
	}
	if len(m.runs) == 0 {
		return dst, nil
	}
	m.sequence++
	out, err := AppendFragment(dst, m.sequence, m.runs)
	if err != nil {
		m.sequence--
		return dst, err
	}
	m.dropWritten(all)
	return out, nil
}

// dropWritten removes the samples just written and moves the data of
// those left to the front.
func (m *Muxer) dropWritten(all bool) {
	kept := m.scratch[:0]
	for i := range m.tracks {
		tr := &m.tracks[i]
		if all {
			tr.pending = tr.pending[:0]
			continue
		}
		n := len(tr.pending)
		if n == 0 || tr.pending[n-1].hasLength {
			tr.pending = tr.pending[:0]
			continue
		}
		last := tr.pending[n-1]
		kept = append(kept, m.data[last.at:last.at+last.size]...)
		last.at = len(kept) - last.size
		tr.pending = append(tr.pending[:0], last)
	}
	m.data = append(m.data[:0], kept...)
	m.scratch = kept
}
