package dial

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/client"
)

// ReconnectPolicy says what a Conn does with an Enhanced RTMP
// NetConnection.Connect.ReconnectRequest. Whatever the policy, the request
// reaches Config.OnEvent as client.ReconnectRequested.
type ReconnectPolicy uint8

const (
	// ReconnectIfDeclared, the zero value, follows the request when
	// Config.ConnectExtra declares capsEx Reconnect (bit 0x01), and
	// sends the connect object exactly as configured.
	ReconnectIfDeclared ReconnectPolicy = iota
	// ReconnectFollow declares capsEx Reconnect in connect (OR-ed into a
	// capsEx of ConnectExtra, or added) and follows the request.
	ReconnectFollow
	// ReconnectReportOnly never follows: the application gets the event
	// and decides.
	ReconnectReportOnly
)

// reconnectBoundaryWait is how long a prepared reconnect waits for a
// publication's next keyframe before it switches servers anyway.
const reconnectBoundaryWait = 5 * time.Second

// ReconnectError ends a Conn that could not follow a reconnect
// request: the new server was unreachable, refused connect, publish or
// play, or did not answer within Config.ReconnectTimeout.
type ReconnectError struct {
	// TCURL is where the connection tried to go.
	TCURL string
	Err   error
}

func (e *ReconnectError) Error() string {
	return fmt.Sprintf("dial: reconnect to %s as the server asked: %v", e.TCURL, e.Err)
}

func (e *ReconnectError) Unwrap() error { return e.Err }

// following is a reconnect in progress: the streams it moves and the
// stream ids the new server gave them.
type following struct {
	target Target
	pubs   []*Publication
	plays  []*Playback
	pubIDs map[*Publication]uint32
	playID map[*Playback]uint32
	// ready says the new link carries every stream; the switch waits for
	// a publication's media boundary, then closes switched.
	ready    bool
	switched chan struct{}
}

// follows reports whether the configuration follows reconnect requests.
func (cfg Config) follows() bool {
	switch cfg.Reconnect {
	case ReconnectFollow:
		return true
	case ReconnectReportOnly:
		return false
	}
	return declaresReconnect(cfg.ConnectExtra)
}

func declaresReconnect(extra amf0.Object) bool {
	caps, ok := extra.Number("capsEx")
	return ok && core.CapsEx(caps)&core.CapsExReconnect != 0
}

// connectExtra is ConnectExtra with capsEx Reconnect declared when the
// policy asks for it; otherwise ConnectExtra untouched.
func (cfg Config) connectExtra() amf0.Object {
	if cfg.Reconnect != ReconnectFollow || declaresReconnect(cfg.ConnectExtra) {
		return cfg.ConnectExtra
	}
	extra := slices.Clone(cfg.ConnectExtra)
	for i, p := range extra {
		if p.Key == "capsEx" {
			caps, _ := p.Value.(float64)
			extra[i].Value = float64(core.CapsEx(caps) | core.CapsExReconnect)
			return extra
		}
	}
	return append(extra, amf0.Property{Key: "capsEx", Value: float64(core.CapsExReconnect)})
}

// reconnectTarget is where a reconnect request sends us: the tcUrl
// resolved against the current one (it may be relative, "//host/app" or
// "/app"), or the current server when the request names none. The whole
// path of a tcUrl is the application; the URL's stream key stays.
func reconnectTarget(cur Target, tcURL string) (Target, error) {
	if tcURL == "" {
		return cur, nil
	}
	base, err := url.Parse(cur.TCURL)
	if err != nil {
		return Target{}, err
	}
	ref, err := url.Parse(tcURL)
	if err != nil {
		return Target{}, err
	}
	t, err := ParseURL(base.ResolveReference(ref).String())
	if err != nil {
		return Target{}, err
	}
	if t.Key != "" {
		t.App += "/" + t.Key
		t.TCURL += "/" + t.Key
	}
	t.Key = cur.Key
	return t, nil
}

// startFollowing begins following a reconnect request in the background;
// one at a time, later requests during one are ignored. c.mu is held.
func (c *Conn) startFollowing(req client.ReconnectRequested) {
	if c.err != nil || !c.cfg.follows() {
		return
	}
	if !c.life.Follow() {
		c.cfg.Logger.Debug("rtmp client: reconnect request ignored, one is in progress", "tcUrl", req.TCURL)
		return
	}
	f := &following{
		pubIDs:   map[*Publication]uint32{},
		playID:   map[*Playback]uint32{},
		switched: make(chan struct{}),
	}
	for _, p := range c.link.pubs {
		f.pubs = append(f.pubs, p)
	}
	for _, p := range c.link.plays {
		if p.started {
			f.plays = append(f.plays, p)
		}
	}
	c.follow = f
	c.syncMoving()
	c.bg.Add(1)
	go c.runFollowing(f, req.TCURL)
}

// runFollowing dials the new server, starts every stream there, waits for
// the switch and lets the old link's read loop finish. Any failure ends
// the connection with a *ReconnectError.
func (c *Conn) runFollowing(f *following, tcURL string) {
	defer c.bg.Done()
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.ReconnectTimeout)
	defer cancel()
	go func() {
		select {
		case <-c.done:
			cancel()
		case <-ctx.Done():
		}
	}()

	c.mu.Lock()
	old := c.link
	c.mu.Unlock()
	target, err := reconnectTarget(old.target, tcURL)
	if err == nil {
		f.target = target
		err = c.prepare(ctx, f)
	}
	if err == nil {
		err = c.awaitSwitch(ctx, f)
	}
	if err != nil {
		if tcURL == "" {
			tcURL = old.target.TCURL
		}
		c.mu.Lock()
		n := c.abandon(f, &ReconnectError{TCURL: tcURL, Err: err})
		c.mu.Unlock()
		if n != nil {
			<-n.done
		}
		return
	}
	<-old.done
}

// prepare opens the new link and starts every stream of f on it.
func (c *Conn) prepare(ctx context.Context, f *following) error {
	netc, cc, first, err := c.cfg.open(ctx, f.target)
	if err != nil {
		return err
	}
	l := newClientLink(netc, cc, f.target)
	c.mu.Lock()
	if c.err != nil {
		err := c.closedErr()
		c.mu.Unlock()
		netc.Close()
		return err
	}
	c.next = l
	c.mu.Unlock()
	go c.readLoop(l, first)
	if err := c.connect(ctx, l); err != nil {
		return err
	}
	for _, p := range f.pubs {
		id, err := c.publishOn(ctx, l, p, false)
		if err != nil {
			return err
		}
		f.pubIDs[p] = id
	}
	for _, p := range f.plays {
		id, err := c.playOn(ctx, l, p, false)
		if err != nil {
			return err
		}
		f.playID[p] = id
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.follow != f || c.err != nil {
		return c.closedErr()
	}
	if l.err != nil {
		// The new server broke the link after its last answer: its read
		// loop has ended, so as the current link it would never end the
		// connection.
		return l.err
	}
	f.ready = true
	// Without publications there is no media boundary to wait for; with
	// the old link dead (see linkFailed) there is no point in waiting.
	if c.life.NewReady(len(f.pubs) > 0) {
		c.switchLinks(nil)
	}
	return nil
}

// awaitSwitch waits until a publication's media boundary switched the
// links, or switches them itself after reconnectBoundaryWait, or at once
// when the old link dies meanwhile (its read loop returns): nothing more
// can go to the old server, so the boundary is moot.
func (c *Conn) awaitSwitch(ctx context.Context, f *following) error {
	timer := time.NewTimer(reconnectBoundaryWait)
	defer timer.Stop()
	c.mu.Lock()
	n, oldDone := c.next, c.link.done
	c.mu.Unlock()
	var nextDone <-chan struct{}
	if n != nil {
		nextDone = n.done
	}
	select {
	case <-f.switched:
		return nil
	case <-timer.C:
	case <-nextDone:
	case <-oldDone:
	case <-c.done:
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case <-f.switched:
		return nil
	default:
	}
	if c.follow != f || c.err != nil || c.next == nil || c.next.err != nil {
		if c.next != nil && c.next.err != nil {
			return c.next.err
		}
		return c.closedErr()
	}
	c.switchLinks(nil)
	return nil
}

// switchLinks makes the prepared link the current one: streams take their
// new ids, publications replay metadata and decoder configuration there,
// and the old link says goodbye (FCUnpublish, deleteStream) and closes.
// A publication also resends what it wrote since its last keyframe and
// what it held while no server took writes (see handover.Stream), unless
// it is boundary, the one whose next write is a keyframe; one closed
// meanwhile sends what it held before its stream is deleted. c.mu is held
// and c.follow is ready.
func (c *Conn) switchLinks(boundary *Publication) {
	f, old, l := c.follow, c.link, c.next
	c.link, c.next, c.follow = l, nil, nil
	for _, p := range f.pubs {
		id := f.pubIDs[p]
		closed := old.pubs[p.id] != p
		if !closed || p.stream.Held() > 0 {
			for _, in := range p.stream.Take(id, p == boundary) {
				c.stepOn(l, in)
			}
		}
		if closed {
			c.stepOn(l, client.DeleteStream{StreamID: id})
			continue
		}
		p.id = id
	}
	for _, p := range f.plays {
		id := f.playID[p]
		if old.plays[p.id.Load()] != p {
			delete(l.plays, id)
			c.stepOn(l, client.DeleteStream{StreamID: id})
			continue
		}
		p.id.Store(id)
	}
	// Streams the old link still has that did not move end with it, but
	// a playback still starting: its Play starts it again here.
	var ids []uint32
	for id := range old.pubs {
		ids = append(ids, id)
	}
	for id, p := range old.plays {
		ids = append(ids, id)
		if f.playID[p] == 0 && p.started {
			p.finish()
		}
	}
	old.pubs, old.plays = map[uint32]*Publication{}, map[uint32]*Playback{}
	slices.Sort(ids)
	for _, id := range ids {
		c.stepOn(old, client.DeleteStream{StreamID: id})
	}
	c.stepOn(old, client.Close{})
	c.reconnects++
	c.life.Switched()
	c.syncMoving()
	close(f.switched)
}

// abandon gives up the reconnect f: the prepared link closes and the
// connection ends with err, unless it ended already. It returns the
// abandoned link, if any. c.mu is held.
func (c *Conn) abandon(f *following, err error) *clientLink {
	if c.follow != f {
		return nil
	}
	n := c.next
	c.follow, c.next = nil, nil
	if n != nil && n.err == nil {
		n.err = err
		n.netc.Close()
	}
	if c.err == nil && !errors.Is(err, context.Canceled) {
		c.cfg.Logger.Debug("rtmp client: reconnect failed", "err", err)
	}
	c.fail(err)
	return n
}
