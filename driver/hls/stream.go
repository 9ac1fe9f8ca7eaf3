package hls

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/gortmp/rtmp/codec/fmp4"
	"github.com/gortmp/rtmp/core/hls"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/live"
)

// stream is one path being segmented: the timeline and the bytes of every
// part, segment and init section in its window, made once by the
// segmenter goroutine and shared by every request.
type stream struct {
	path   relay.Path
	cancel context.CancelFunc
	done   chan struct{} // closed when the segmenter returned

	mu sync.Mutex
	tl *hls.Timeline
	// changed is closed and replaced whenever the timeline moves on:
	// blocked requests wait on it.
	changed chan struct{}
	// renditions are what the stream's tracks are served as: the first
	// holds the video and the first audio track, each other one a further
	// audio track (an alternate audio rendition). They share the
	// timeline: every part is cut in all of them at once.
	renditions []*rendition
	// index keeps index.m3u8 the kind of playlist it was first served as
	// for the segmenter's life, whatever renditions come and go.
	index  hls.IndexKind
	bytes  int // held in the renditions' inits and parts
	tracks []fmp4.Track
	err    error // why segmenting stopped early, if it did
	// lastRequest is when a request last named the stream; the segmenter
	// stops when it is older than Config.Idle (unless Always).
	lastRequest time.Time
	inFlight    int // requests being answered: the stream is not idle
	players     map[string]time.Time
	// rendered caches the playlist as last rendered, per query and skip,
	// until the timeline moves on: every player of a stream asks for the
	// same one.
	rendered map[renderKey][]byte
}

// rendition is one fMP4 stream of a stream's tracks: its init sections
// (by the timeline's init number) and its parts.
type rendition struct {
	tracks []fmp4.Track
	inits  map[int][]byte
	parts  map[hls.Address][]byte
}

func newRendition(tracks []fmp4.Track) *rendition {
	return &rendition{tracks: tracks, inits: map[int][]byte{}, parts: map[hls.Address][]byte{}}
}

// rendition returns rendition i, or nil; st.mu is held.
func (st *stream) rendition(i int) *rendition {
	if i < 0 || i >= len(st.renditions) {
		return nil
	}
	return st.renditions[i]
}

type renderKey struct {
	query string
	skip  bool
}

// errTooLarge ends a stream whose window outgrew Config.MaxBytes.
var errTooLarge = errors.New("hls: the stream's window outgrew its memory bound")

func newStream(p relay.Path, cfg hls.Config) *stream {
	return &stream{
		path: p, done: make(chan struct{}), tl: hls.NewTimeline(cfg), changed: make(chan struct{}),
		renditions: []*rendition{newRendition(nil)}, players: map[string]time.Time{}, rendered: map[renderKey][]byte{},
	}
}

// segmenter turns what a subscriber reads into parts, until the publisher
// stops, ctx ends or the window outgrows maxBytes.
type segmenter struct {
	st   *stream
	tags fmp4.Tags
	// muxes are the renditions' muxers, in order; route maps a track to
	// its rendition.
	muxes    []*fmp4.Muxer
	route    map[uint32]int
	lead     uint32 // the track that decides the cuts: the first video track, else the first audio one
	leadRate uint32
	init     int
	maxBytes int
}

// run segments sub's messages into st until they end.
func (s *segmenter) run(ctx context.Context, sub *live.Subscriber) error {
	defer sub.Close()
	for {
		m, err := sub.Read(ctx)
		if err != nil {
			return err
		}
		if m.Kind != relay.Audio && m.Kind != relay.Video {
			continue
		}
		typeID := fmp4.TypeAudio
		if m.Kind == relay.Video {
			typeID = fmp4.TypeVideo
		}
		ev, err := s.tags.Push(typeID, m.Timestamp, m.Payload)
		if err != nil {
			continue // a malformed message: skipped, as a player would
		}
		if ev.TracksChanged {
			if err := s.newTracks(); err != nil {
				return err
			}
		}
		for _, smp := range ev.Samples {
			if err := s.sample(smp); err != nil {
				return err
			}
		}
	}
}

// newTracks ends what was cut with the old tracks and starts an init
// section for the new ones, in each rendition: the video tracks and the
// first audio track in the first, each other audio track in one of its
// own.
func (s *segmenter) newTracks() error {
	tracks := s.tags.Tracks()
	s.lead, s.leadRate = 0, 0
	for _, video := range []bool{true, false} {
		for _, t := range tracks {
			if s.lead == 0 && t.Codec.IsVideo() == video && t.Timescale > 0 {
				s.lead, s.leadRate = t.ID, t.Timescale
			}
		}
	}
	var sets [][]fmp4.Track
	sets = append(sets, nil)
	route := map[uint32]int{}
	mainAudio := false
	for _, t := range tracks {
		switch {
		case t.Codec.IsVideo() || !mainAudio:
			mainAudio = mainAudio || !t.Codec.IsVideo()
			route[t.ID] = 0
			sets[0] = append(sets[0], t)
		default:
			route[t.ID] = len(sets)
			sets = append(sets, []fmp4.Track{t})
		}
	}
	inits := make([][]byte, len(sets))
	for i, set := range sets {
		b, err := fmp4.AppendInit(nil, set)
		if err != nil {
			return err
		}
		inits[i] = b
	}
	st := s.st
	st.mu.Lock()
	defer st.mu.Unlock()
	s.endParts(st.tl.NewInit())
	s.init++
	s.route = route
	s.muxes = s.muxes[:0]
	renditions := make([]*rendition, len(sets))
	for i, set := range sets {
		s.muxes = append(s.muxes, new(fmp4.Muxer))
		r := st.rendition(i)
		if r == nil {
			r = newRendition(nil)
		}
		r.tracks = set
		r.inits[s.init] = inits[i]
		st.bytes += len(inits[i])
		renditions[i] = r
	}
	// Renditions that are no more keep their window's parts until the
	// window slides past them.
	for i := len(sets); i < len(st.renditions); i++ {
		renditions = append(renditions, st.renditions[i])
		st.renditions[i].tracks = nil
	}
	st.renditions = renditions
	st.tracks = tracks
	st.notify()
	return nil
}

// endParts flushes every rendition's muxer into the part a NewInit or End
// closed; st.mu is held.
func (s *segmenter) endParts(cut hls.Cut) {
	frags := make([][]byte, len(s.muxes))
	for i, m := range s.muxes {
		frags[i], _ = m.Flush(nil)
	}
	s.store(cut, frags)
}

// sample places one sample: the lead track's decide where parts and
// segments end; the others join the part that is open, in their
// rendition.
func (s *segmenter) sample(smp fmp4.TrackSample) error {
	st := s.st
	r, ok := s.route[smp.TrackID]
	if !ok {
		return nil
	}
	if smp.TrackID != s.lead {
		st.mu.Lock()
		_, open := st.tl.Current()
		st.mu.Unlock()
		if open {
			s.muxes[r].Add(smp)
		}
		return nil
	}
	dts := time.Duration(smp.DTS * uint64(time.Second) / uint64(s.leadRate))
	st.mu.Lock()
	defer st.mu.Unlock()
	cut := st.tl.Push(dts, smp.Keyframe || !isVideo(st.tracks, smp.TrackID))
	if cut.Skip {
		return nil
	}
	s.muxes[r].Add(smp)
	if !cut.PartDone {
		return nil
	}
	frags := make([][]byte, len(s.muxes))
	for i, m := range s.muxes {
		var err error
		if frags[i], err = m.AppendFragment(nil); err != nil {
			return err
		}
	}
	s.store(cut, frags)
	if st.bytes > s.maxBytes {
		return errTooLarge
	}
	return nil
}

// store keeps each rendition's fragment of a complete part and forgets
// the segments that left the window; st.mu is held.
func (s *segmenter) store(cut hls.Cut, frags [][]byte) {
	st := s.st
	// A segment that ended with its last part leaves only samples of the
	// other tracks in the fragments: they are dropped, as complete parts
	// never change. A rendition with no sample in a part has no fragment
	// for it.
	if cut.PartDone {
		for i, frag := range frags {
			if r := st.rendition(i); r != nil && len(frag) > 0 {
				r.parts[cut.Done] = frag
				st.bytes += len(frag)
			}
		}
	}
	segs := st.tl.Segments()
	for _, r := range st.renditions {
		for _, msn := range cut.Dropped {
			for p := 0; ; p++ {
				b, ok := r.parts[hls.Address{MSN: msn, Part: p}]
				if !ok {
					break
				}
				st.bytes -= len(b)
				delete(r.parts, hls.Address{MSN: msn, Part: p})
			}
		}
		// Init sections no segment of the window needs any more go too.
		for n, b := range r.inits {
			if len(segs) > 0 && n < segs[0].Init {
				st.bytes -= len(b)
				delete(r.inits, n)
			}
		}
	}
	// Renditions gone with an old track set leave once their parts did.
	for len(st.renditions) > 1 {
		last := st.renditions[len(st.renditions)-1]
		if last.tracks != nil || len(last.parts) > 0 {
			break
		}
		st.renditions = st.renditions[:len(st.renditions)-1]
	}
	st.notify()
}

// finish ends the timeline: the stream is over.
func (s *segmenter) finish(err error) {
	st := s.st
	st.mu.Lock()
	defer st.mu.Unlock()
	s.endParts(st.tl.End())
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF) {
		st.err = err
	}
	st.notify()
}

func isVideo(tracks []fmp4.Track, id uint32) bool {
	for _, t := range tracks {
		if t.ID == id {
			return t.Codec.IsVideo()
		}
	}
	return false
}

// playlist returns the media playlist for a query and skip, rendered once
// per change of the timeline; st.mu is held. The bytes must not be
// changed.
func (st *stream) playlist(query string, skip bool) []byte {
	k := renderKey{query, skip}
	b, ok := st.rendered[k]
	if !ok {
		if len(st.rendered) >= maxRendered {
			clear(st.rendered)
		}
		b = st.tl.AppendMedia(nil, query, skip)
		st.rendered[k] = b
	}
	return b
}

// maxRendered bounds the playlists cached per stream (one per play key
// given, and skip or not).
const maxRendered = 16

// notify wakes every blocked request; st.mu is held.
func (st *stream) notify() {
	clear(st.rendered)
	close(st.changed)
	st.changed = make(chan struct{})
}

// await waits, st.mu held, until ready says yes, the deadline passes or
// ctx ends, and reports whether ready said yes. st.mu is held again when
// it returns.
func (st *stream) await(ctx context.Context, deadline time.Time, ready func() bool) bool {
	for !ready() {
		ch := st.changed
		st.mu.Unlock()
		timer := time.NewTimer(time.Until(deadline))
		select {
		case <-ch:
		case <-timer.C:
		case <-ctx.Done():
		}
		timer.Stop()
		st.mu.Lock()
		if ctx.Err() != nil || !time.Now().Before(deadline) {
			return ready()
		}
	}
	return true
}
