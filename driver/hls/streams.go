package hls

import (
	"context"
	"time"

	"github.com/gortmp/rtmp/core/relay"
)

// start returns the path's stream, starting its segmenter if it has
// none, or a new one if its publisher stopped and the path is published
// again; nil when the path has no publisher. A stream that ended for
// outgrowing its bound stays ended until Run forgets it.
func (h *Handler) start(p relay.Path) *stream {
	h.mu.Lock()
	defer h.mu.Unlock()
	st := h.streams[p]
	if st != nil && (!st.isDone() || st.failed()) {
		return st
	}
	if !h.relay.Publishing(p) {
		return st // an ended stream still answers, with its last window
	}
	sub, err := h.relay.Subscribe(p, relay.ViewAll)
	if err != nil {
		return st
	}
	st = newStream(p, h.cfg.Timeline)
	st.lastRequest = time.Now()
	ctx, cancel := context.WithCancel(h.ctx)
	st.cancel = cancel
	h.streams[p] = st
	seg := &segmenter{st: st, maxBytes: h.cfg.MaxBytes}
	go func() {
		defer close(st.done)
		defer cancel()
		seg.finish(seg.run(ctx, sub))
	}()
	return st
}

// running returns the path's stream, if it has one.
func (h *Handler) running(p relay.Path) *stream {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.streams[p]
}

// failed reports whether the stream ended for another reason than its
// publisher's end.
func (st *stream) failed() bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.err != nil
}

func (st *stream) isDone() bool {
	select {
	case <-st.done:
		return true
	default:
		return false
	}
}

// Run stops segmenting streams nobody requested for Config.Idle, and with
// Config.Always starts segmenting every published stream, checking the
// relay every half second, until ctx ends; then it stops every stream.
func (h *Handler) Run(ctx context.Context) {
	h.mu.Lock()
	h.ctx = ctx
	h.mu.Unlock()
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			h.stopAll()
			return
		case <-tick.C:
		}
		if h.cfg.Always {
			for _, s := range h.relay.Streams() {
				if s.Publishing {
					if st := h.start(s.Path); st != nil {
						st.mu.Lock()
						st.lastRequest = time.Now()
						st.mu.Unlock()
					}
				}
			}
		}
		h.reap(time.Now())
	}
}

// reap stops and forgets the streams idle for longer than Config.Idle.
func (h *Handler) reap(now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for p, st := range h.streams {
		st.mu.Lock()
		idle := st.inFlight == 0 && now.Sub(st.lastRequest) > h.cfg.Idle
		for c, at := range st.players {
			if now.Sub(at) > h.cfg.PlayerTimeout {
				delete(st.players, c)
			}
		}
		st.mu.Unlock()
		if idle {
			st.cancel()
			delete(h.streams, p)
		}
	}
}

func (h *Handler) stopAll() {
	h.mu.Lock()
	streams := h.streams
	h.streams = map[relay.Path]*stream{}
	h.mu.Unlock()
	for _, st := range streams {
		st.cancel()
		<-st.done
	}
}

// StreamStats is what Streams reports of one path.
type StreamStats struct {
	Path relay.Path
	// Players counts the clients (address and user agent) that requested
	// the stream within Config.PlayerTimeout.
	Players int
	// Segmenting: the stream is being cut now.
	Segmenting bool
	// Bytes is what its window holds.
	Bytes int
	// Codecs names the codecs (RFC 6381, see CodecName) of its first
	// rendition (index.m3u8?r=0: the video and the first audio track),
	// video first; Width and Height are its first video track's size.
	Codecs        []string
	Width, Height int
}

// Streams returns the paths the handler serves.
func (h *Handler) Streams() []StreamStats {
	h.mu.Lock()
	streams := make([]*stream, 0, len(h.streams))
	for _, st := range h.streams {
		streams = append(streams, st)
	}
	h.mu.Unlock()
	now := time.Now()
	out := make([]StreamStats, 0, len(streams))
	for _, st := range streams {
		st.mu.Lock()
		n := 0
		for _, at := range st.players {
			if now.Sub(at) <= h.cfg.PlayerTimeout {
				n++
			}
		}
		s := StreamStats{Path: st.path, Players: n, Segmenting: !st.isDone(), Bytes: st.bytes}
		for _, video := range []bool{true, false} {
			for _, t := range st.renditions[0].tracks {
				if t.Codec.IsVideo() != video {
					continue
				}
				if name := CodecName(t); name != "" {
					s.Codecs = append(s.Codecs, name)
				}
				if video && s.Width == 0 {
					s.Width, s.Height = int(t.Width), int(t.Height)
				}
			}
		}
		out = append(out, s)
		st.mu.Unlock()
	}
	return out
}

// Players returns the number of HLS players of a path (see
// StreamStats.Players).
func (h *Handler) Players(p relay.Path) int {
	for _, s := range h.Streams() {
		if s.Path == p {
			return s.Players
		}
	}
	return 0
}
