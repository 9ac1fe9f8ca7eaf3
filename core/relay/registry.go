package relay

import (
	"cmp"
	"slices"
)

// Registry maps paths to streams. It changes only when a client starts or
// stops publishing or playing, never per media message, so a concurrent
// caller can guard it with one lock and each Stream with its own.
type Registry struct {
	cfg     Config
	streams map[Path]*Stream
}

// NewRegistry returns an empty registry whose streams are bounded by cfg.
func NewRegistry(cfg Config) *Registry {
	return &Registry{cfg: cfg.WithDefaults(), streams: make(map[Path]*Stream)}
}

// Stream returns the stream of a path, creating an empty one if needed.
func (r *Registry) Stream(p Path) *Stream {
	s, ok := r.streams[p]
	if !ok {
		s = NewStream(r.cfg)
		s.path = p
		r.streams[p] = s
	}
	return s
}

// Lookup returns the stream of a path if it exists.
func (r *Registry) Lookup(p Path) (*Stream, bool) {
	s, ok := r.streams[p]
	return s, ok
}

// Forget drops the stream of a path if nobody publishes or plays on it, and
// reports whether it did. The caller must hold whatever guards that stream.
func (r *Registry) Forget(p Path) bool {
	if s, ok := r.streams[p]; ok && s.Empty() {
		delete(r.streams, p)
		return true
	}
	return false
}

// Paths returns every known path, sorted.
func (r *Registry) Paths() []Path {
	ps := make([]Path, 0, len(r.streams))
	for p := range r.streams {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b Path) int {
		return cmp.Or(cmp.Compare(a.App, b.App), cmp.Compare(a.Key, b.Key))
	})
	return ps
}
