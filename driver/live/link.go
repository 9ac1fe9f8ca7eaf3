package live

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gortmp/rtmp/driver/dial"

	"github.com/gortmp/rtmp/core/relay"
)

// LinkConfig says which other servers a Relay forwards streams to (push,
// an origin feeding others) and fetches streams from (pull, an edge).
type LinkConfig struct {
	// Push lists rtmp[s]://host[:port]/app URLs. Every stream published
	// on the relay as APP/KEY, by a network or a local publisher, is
	// published to each URL as URL/KEY for as long as it lasts, as
	// nginx-rtmp's push does: metadata, sequence headers and media in
	// order.
	Push []string
	// Pull lists rtmp[s]://host[:port]/app URLs. A network play of APP/KEY
	// on a path without a publisher makes the relay play URL/KEY and
	// publish what it gets on APP/KEY. The URLs whose app is APP are
	// tried in order; when none is, every URL is, in order. The first that
	// connects and plays wins.
	Pull []string
	// Dial configures the links' client connections; its OnEvent, if
	// set, sees the events of every link connection. Its
	// HandshakeTimeout also bounds the wait for the remote's answer to
	// publish or play.
	Dial dial.Config
	// Record, if set, is a folder: every stream published on the relay
	// is also written, from its first message to its publisher's leaving,
	// to a new FLV file Record/APP/KEY-YYYYMMDD-HHMMSS.flv (UTC; the names
	// reduced to letters, digits, '.', '-' and '_'), with the timestamps
	// and every message as published. A disk slower than the stream is a
	// slow player: the relay skips video to the next keyframe for it.
	Record string
	// RecordFormat is "flv" (or empty) for FLV recordings, or RecordMP4
	// for fragmented MP4 files (KEY-YYYYMMDD-HHMMSS.mp4) readable while
	// they are written and, after a crash, up to their last fragment; a
	// new decoder configuration mid-stream starts a new file. MP4 holds
	// the codecs codec/fmp4 maps (H.264, H.265, AV1, VP9, AAC, Opus, MP3,
	// FLAC, AC-3, E-AC-3) and not the metadata.
	RecordFormat string
	// PushView is what a push sends when the relay holds Enhanced RTMP
	// multitrack media; the zero value, relay.ViewAll, forwards every
	// message as published.
	PushView relay.View
	// MinBackoff is the wait before the first reconnection after a link
	// failed or dropped; each further failure in a row doubles it up to
	// MaxBackoff. Defaults 500 ms (or MaxBackoff, if that is set and
	// shorter) and 10 s (or MinBackoff, if that is longer).
	MinBackoff, MaxBackoff time.Duration
	// MaxRetries is how many failures in a row a link tolerates before it
	// gives up: a push until its stream is published again, a pull until
	// the next player arrives. A link that carried media before it
	// dropped starts counting again. Default 10.
	MaxRetries int
	// Linger is how long a pull goes on after the last network player of
	// its path left, so a player that reconnects at once finds the
	// stream still live. Default 3 s.
	Linger time.Duration
	// Logger receives link-level logs; nil discards them.
	Logger *slog.Logger
}

func (c LinkConfig) withDefaults() LinkConfig {
	b := c.backoff().WithDefaults()
	c.MinBackoff, c.MaxBackoff, c.MaxRetries = b.Min, b.Max, b.MaxRetries
	if c.Linger <= 0 {
		c.Linger = relay.DefaultLinger
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// backoff is how the links retry, decided by relay.Retry.
func (c LinkConfig) backoff() relay.Backoff {
	return relay.Backoff{Min: c.MinBackoff, Max: c.MaxBackoff, MaxRetries: c.MaxRetries}
}

// Links runs a Relay's push and pull links, and its recordings. Each link is one goroutine
// (plus a short-lived watcher while it is connected); all of them end when
// the context given to Link ends.
type Links struct {
	r   *Relay
	cfg LinkConfig
	ctx context.Context
	// pullApps is the app of each Pull URL, in order.
	pullApps []string

	wg     sync.WaitGroup
	mu     sync.Mutex // guards the maps and wg.Add against Wait
	pushes map[pushKey]*pushLink
	pulls  map[relay.Path]*pullLink
	// plan decides when pulls start and stop, on the clock read by now.
	plan  *relay.Pulls
	epoch time.Time
	// waiting is set once Wait runs and the context has ended.
	waiting bool

	connects, failures atomic.Uint64
	pushing, pulling   atomic.Int64
}

// LinkStats counts what the links did so far.
type LinkStats struct {
	// Pushing and Pulling are the links connected now.
	Pushing, Pulling int
	// Connects counts connections that reached publish or play;
	// Failures counts failed attempts and dropped connections.
	Connects, Failures uint64
}

// Link starts forwarding and fetching streams as cfg says, until ctx
// ends. A relay has at most one set of links. The URLs are checked here:
// each must name an app and no stream key.
func (r *Relay) Link(ctx context.Context, cfg LinkConfig) (*Links, error) {
	r.init()
	cfg = cfg.withDefaults()
	l := &Links{r: r, cfg: cfg, ctx: ctx, pushes: map[pushKey]*pushLink{}, pulls: map[relay.Path]*pullLink{},
		plan: relay.NewPulls(cfg.Linger), epoch: time.Now()}
	switch cfg.RecordFormat {
	case "", "flv", RecordMP4:
	default:
		return nil, fmt.Errorf("live: record format %q: want flv or mp4", cfg.RecordFormat)
	}
	for _, u := range cfg.Push {
		if _, err := linkTarget(u); err != nil {
			return nil, fmt.Errorf("live: push: %w", err)
		}
	}
	for _, u := range cfg.Pull {
		t, err := linkTarget(u)
		if err != nil {
			return nil, fmt.Errorf("live: pull: %w", err)
		}
		l.pullApps = append(l.pullApps, t.App)
	}
	if !r.links.CompareAndSwap(nil, l) {
		return nil, fmt.Errorf("live: links already started")
	}
	return l, nil
}

// linkTarget parses a link URL, which names an app and no key.
func linkTarget(u string) (dial.Target, error) {
	t, err := dial.ParseURL(u)
	if err != nil {
		return t, err
	}
	if t.Key != "" {
		return t, fmt.Errorf("%s: give the application only; the stream key is the local one", u)
	}
	return t, nil
}

// joinKey appends a stream key to a link URL's path, keeping its query.
func joinKey(base, key string) string {
	u, err := url.Parse(base)
	if err != nil {
		return strings.TrimSuffix(base, "/") + "/" + key
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/" + key
	u.RawPath = ""
	return u.String()
}

// Wait returns once the links' context has ended and every link
// goroutine is gone.
func (l *Links) Wait() {
	<-l.ctx.Done()
	// Links start goroutines under mu only until this, so no Add can
	// race with Wait.
	l.mu.Lock()
	l.waiting = true
	l.mu.Unlock()
	l.wg.Wait()
}

// Stats returns the links' counters.
func (l *Links) Stats() LinkStats {
	return LinkStats{
		Pushing:  int(l.pushing.Load()),
		Pulling:  int(l.pulling.Load()),
		Connects: l.connects.Load(),
		Failures: l.failures.Load(),
	}
}

// start runs fn as a link goroutine unless the links are stopping; l.mu
// is held.
func (l *Links) start(fn func()) bool {
	if l.waiting || l.ctx.Err() != nil {
		return false
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		fn()
	}()
	return true
}

// answerTimeout bounds a link's wait for the remote's answer to publish or
// play. A remote that accepts the connection and then says nothing fails
// the attempt like any other error; otherwise it would hold the link, and
// a push of the path's next publisher that waits for it, for good.
func (l *Links) answerTimeout() time.Duration {
	if t := l.cfg.Dial.HandshakeTimeout; t > 0 {
		return t
	}
	return dial.DefaultHandshakeTimeout
}

// now is the links' clock, as relay.Pulls reads it.
func (l *Links) now() time.Duration { return time.Since(l.epoch) }

// pause waits d, or less when ctx ends or stop closes; it reports whether
// the full wait passed.
func pause(ctx context.Context, d time.Duration, stop <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-stop:
	}
	return false
}

// watchConn returns a context that ends with ctx or when the connection
// ends, so a link blocked on its local side notices a remote drop.
func watchConn(ctx context.Context, c *dial.Conn) (context.Context, context.CancelFunc) {
	cctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-c.Done():
			cancel()
		case <-cctx.Done():
		}
	}()
	return cctx, cancel
}

// The relay's hooks: Relay calls them after a publisher started, after a
// network player joined and after anyone left, with no lock held.

func (r *Relay) linkPublished(p relay.Path, id relay.ClientID) {
	l := r.links.Load()
	if l == nil {
		return
	}
	if l.cfg.Record != "" {
		l.startRecording(p, id)
	}
	if len(l.cfg.Push) > 0 {
		l.published(p, id)
	}
}

func (r *Relay) linkPlaying(p relay.Path) {
	if l := r.links.Load(); l != nil && len(l.cfg.Pull) > 0 {
		l.playing(p)
	}
}

func (r *Relay) linkLeft(p relay.Path) {
	if l := r.links.Load(); l != nil && len(l.cfg.Pull) > 0 {
		l.left(p)
	}
}
