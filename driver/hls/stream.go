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
	inits   map[int][]byte
	parts   map[hls.Address][]byte
	bytes   int // held in inits and parts
	tracks  []fmp4.Track
	err     error // why segmenting stopped early, if it did
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

type renderKey struct {
	query string
	skip  bool
}

// errTooLarge ends a stream whose window outgrew Config.MaxBytes.
var errTooLarge = errors.New("hls: the stream's window outgrew its memory bound")

func newStream(p relay.Path, cfg hls.Config) *stream {
	return &stream{
		path: p, done: make(chan struct{}), tl: hls.NewTimeline(cfg), changed: make(chan struct{}),
		inits: map[int][]byte{}, parts: map[hls.Address][]byte{}, players: map[string]time.Time{}, rendered: map[renderKey][]byte{},
	}
}

// segmenter turns what a subscriber reads into parts, until the publisher
// stops, ctx ends or the window outgrows maxBytes.
type segmenter struct {
	st       *stream
	tags     fmp4.Tags
	mux      fmp4.Muxer
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
// section for the new ones.
func (s *segmenter) newTracks() error {
	tracks := s.tags.Tracks()
	initSeg, err := fmp4.AppendInit(nil, tracks)
	if err != nil {
		return err
	}
	s.lead, s.leadRate = 0, 0
	for _, video := range []bool{true, false} {
		for _, t := range tracks {
			if s.lead == 0 && t.Codec.IsVideo() == video && t.Timescale > 0 {
				s.lead, s.leadRate = t.ID, t.Timescale
			}
		}
	}
	st := s.st
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, open := st.tl.Current(); open {
		frag, err := s.mux.Flush(nil)
		if err != nil {
			return err
		}
		cut := st.tl.NewInit()
		s.store(cut, frag)
	} else {
		st.tl.NewInit()
	}
	s.mux.Reset()
	s.init++
	st.inits[s.init] = initSeg
	st.bytes += len(initSeg)
	st.tracks = tracks
	st.notify()
	return nil
}

// sample places one sample: the lead track's decide where parts and
// segments end; the others join the part that is open.
func (s *segmenter) sample(smp fmp4.TrackSample) error {
	st := s.st
	if smp.TrackID != s.lead {
		st.mu.Lock()
		_, open := st.tl.Current()
		st.mu.Unlock()
		if open {
			s.mux.Add(smp)
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
	s.mux.Add(smp)
	if !cut.PartDone {
		return nil
	}
	frag, err := s.mux.AppendFragment(nil)
	if err != nil {
		return err
	}
	s.store(cut, frag)
	if st.bytes > s.maxBytes {
		return errTooLarge
	}
	return nil
}

// store keeps a complete part and forgets the segments that left the
// window; st.mu is held.
func (s *segmenter) store(cut hls.Cut, frag []byte) {
	st := s.st
	// A segment that ended with its last part leaves only samples of the
	// other tracks in frag: they are dropped, as complete parts never
	// change.
	if cut.PartDone {
		st.parts[cut.Done] = frag
		st.bytes += len(frag)
	}
	for _, msn := range cut.Dropped {
		for p := 0; ; p++ {
			b, ok := st.parts[hls.Address{MSN: msn, Part: p}]
			if !ok {
				break
			}
			st.bytes -= len(b)
			delete(st.parts, hls.Address{MSN: msn, Part: p})
		}
	}
	// Init sections no segment of the window needs any more go too.
	if segs := st.tl.Segments(); len(segs) > 0 {
		for n, b := range st.inits {
			if n < segs[0].Init {
				st.bytes -= len(b)
				delete(st.inits, n)
			}
		}
	}
	st.notify()
}

// finish ends the timeline: the stream is over.
func (s *segmenter) finish(err error) {
	st := s.st
	st.mu.Lock()
	defer st.mu.Unlock()
	frag, ferr := s.mux.Flush(nil)
	cut := st.tl.End()
	if ferr == nil {
		s.store(cut, frag)
	}
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
