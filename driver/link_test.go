package driver_test

import (
	"context"
	"errors"
	"io"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
)

// linkProxy forwards TCP connections to a server and can cut them all,
// which is how a test drops a link's remote without stopping it.
type linkProxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	wg     sync.WaitGroup
}

func startLinkProxy(t *testing.T, target string) *linkProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &linkProxy{ln: ln, target: target}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(func() {
		ln.Close()
		p.cut()
		p.wg.Wait()
	})
	return p
}

func (p *linkProxy) addr() string { return p.ln.Addr().String() }

func (p *linkProxy) accept() {
	defer p.wg.Done()
	for {
		in, err := p.ln.Accept()
		if err != nil {
			return
		}
		out, err := net.DialTimeout("tcp", p.target, 5*time.Second)
		if err != nil {
			in.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, in, out)
		p.mu.Unlock()
		p.wg.Add(2)
		go p.copy(in, out)
		go p.copy(out, in)
	}
}

func (p *linkProxy) copy(dst, src net.Conn) {
	defer p.wg.Done()
	io.Copy(dst, src)
	dst.Close()
	src.Close()
}

// cut closes every connection through the proxy.
func (p *linkProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// startLinks links a relay as cfg says until the test ends, with short
// backoffs, and checks that every link goroutine ends with the context.
func startLinks(t *testing.T, r *live.Relay, cfg live.LinkConfig) *live.Links {
	t.Helper()
	cfg.MinBackoff, cfg.MaxBackoff = 50*time.Millisecond, 200*time.Millisecond
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l, err := r.Link(ctx, cfg)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		done := make(chan struct{})
		go func() { l.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("links did not end after cancellation")
		}
	})
	return l
}

// noLeakAtEnd checks, after every other cleanup of the test, that the
// goroutines it started are gone.
func noLeakAtEnd(t *testing.T) {
	before := runtime.NumGoroutine()
	t.Cleanup(func() { checkNoLeak(t, before) })
}

// feed publishes synthetic media (headers, then video and audio every
// 10 ms, a keyframe every 5 video frames) until ctx ends.
func feed(ctx context.Context, t *testing.T, pub *dial.Publication) <-chan error {
	done := make(chan error, 1)
	go func() {
		write := func(m relay.Media) error {
			var body message.Body = message.Audio{Payload: m.Payload}
			if m.Kind == relay.Video {
				body = message.Video{Payload: m.Payload}
			}
			return pub.WriteMessage(message.Message{Timestamp: m.Timestamp, Body: body})
		}
		for _, m := range []relay.Media{{Kind: relay.Video, Payload: linkAVCHeader}, {Kind: relay.Audio, Payload: linkAACHeader}} {
			if err := write(m); err != nil {
				done <- err
				return
			}
		}
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i += 2 {
			for _, m := range linkMedia(i, 2, 5) {
				if err := write(m); err != nil {
					done <- err
					return
				}
			}
			select {
			case <-ctx.Done():
				done <- nil
				return
			case <-tick.C:
			}
		}
	}()
	return done
}

// nextKeyframe reads a playback until a video keyframe later than after,
// and reports whether a video sequence header came first.
func nextKeyframe(ctx context.Context, t *testing.T, who string, pb *dial.Playback, after int64) (ts uint32, header bool) {
	t.Helper()
	for {
		m, err := pb.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("%s: %v", who, err)
		}
		v, ok := m.Body.(message.Video)
		if !ok || len(v.Payload) < 2 {
			continue
		}
		if v.Payload[0] == 0x17 && v.Payload[1] == 0 {
			header = true
		}
		if v.Payload[0] == 0x17 && v.Payload[1] == 1 && int64(m.Timestamp) > after {
			return m.Timestamp, header
		}
	}
}

func dialPlay(ctx context.Context, t *testing.T, cfg dial.Config, url string) (*dial.Conn, *dial.Playback) {
	t.Helper()
	c, err := cfg.Dial(ctx, url)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { c.Close() })
	pb, err := c.Play(ctx, "")
	if err != nil {
		t.Fatalf("play %s: %v", url, err)
	}
	return c, pb
}

func dialPublish(ctx context.Context, t *testing.T, url string) (*dial.Conn, *dial.Publication) {
	t.Helper()
	c, err := dial.Dial(ctx, url)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	t.Cleanup(func() { c.Close() })
	pub, err := c.Publish(ctx, "")
	if err != nil {
		t.Fatalf("publish %s: %v", url, err)
	}
	return c, pub
}

// TestLinkPushReconnect: a stream published on the edge is pushed to the
// origin; when the connection to the origin drops, the push comes back
// and the origin's player resumes with the sequence headers and a
// keyframe; when the publisher leaves, the push unpublishes.
func TestLinkPushReconnect(t *testing.T) {
	noLeakAtEnd(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	origin := newRelayServer(t)
	proxy := startLinkProxy(t, origin.addr)
	edge := &live.Relay{}
	edgeAddr := startServer(t, nil, edge, driver.Config{})
	links := startLinks(t, edge, live.LinkConfig{Push: []string{rtmpURL(proxy.addr(), "live")}})
	path := relay.Path{App: "live", Key: "feed"}

	_, pb := dialPlay(ctx, t, dial.Config{}, rtmpURL(origin.addr, "live/feed"))
	_, pub := dialPublish(ctx, t, rtmpURL(edgeAddr, "live/feed"))
	fctx, stopFeed := context.WithCancel(ctx)
	fed := feed(fctx, t, pub)

	first, header := nextKeyframe(ctx, t, "origin player", pb, -1)
	if !header {
		t.Error("origin player got no video sequence header before its first keyframe")
	}
	if s := links.Stats(); s.Connects != 1 || s.Pushing != 1 {
		t.Errorf("before the drop: %+v", s)
	}
	proxy.cut()
	waitFor(t, "the push to reconnect", 5*time.Second, func() bool {
		s := links.Stats()
		return s.Connects >= 2 && s.Failures >= 1 && s.Pushing == 1
	})
	again, header := nextKeyframe(ctx, t, "origin player after the drop", pb, int64(first)+500)
	if !header {
		t.Error("after the reconnection the origin player got no video sequence header before the keyframe")
	}
	t.Logf("first keyframe at %d ms, after the reconnection at %d ms; %+v", first, again, links.Stats())

	stopFeed()
	if err := <-fed; err != nil {
		t.Fatal(err)
	}
	pub.Close()
	waitFor(t, "the push to stop with its publisher", 5*time.Second, func() bool {
		return !origin.relay.Publishing(path) && links.Stats().Pushing == 0 && !edge.Publishing(path)
	})
}

// TestLinkPullReconnect: a play on the edge makes it pull from the
// origin; when the connection drops, the pull comes back and the edge's
// player resumes on a keyframe; when the origin's publisher leaves the
// edge's player hears UnpublishNotify; when the player leaves, the pull
// stops after its linger.
func TestLinkPullReconnect(t *testing.T) {
	noLeakAtEnd(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	origin := newRelayServer(t)
	proxy := startLinkProxy(t, origin.addr)
	edge := &live.Relay{}
	edgeAddr := startServer(t, nil, edge, driver.Config{})
	links := startLinks(t, edge, live.LinkConfig{
		// A remote that refuses comes first: the next one is tried.
		Pull:   []string{"rtmp://127.0.0.1:1/live", rtmpURL(proxy.addr(), "live")},
		Linger: 100 * time.Millisecond,
	})
	path := relay.Path{App: "live", Key: "feed"}

	_, pub := dialPublish(ctx, t, rtmpURL(origin.addr, "live/feed"))
	fctx, stopFeed := context.WithCancel(ctx)
	fed := feed(fctx, t, pub)

	statuses := make(chan string, 16)
	cfg := dial.Config{OnEvent: func(e client.Event) {
		if s, ok := e.(client.StatusReceived); ok {
			select {
			case statuses <- s.Code:
			default:
			}
		}
	}}
	player, pb := dialPlay(ctx, t, cfg, rtmpURL(edgeAddr, "live/feed"))
	first, header := nextKeyframe(ctx, t, "edge player", pb, -1)
	if !header {
		t.Error("edge player got no video sequence header before its first keyframe")
	}
	if s := links.Stats(); s.Connects != 1 || s.Pulling != 1 || origin.relay.Players(path) != 1 {
		t.Errorf("before the drop: %+v, %d players on the origin", s, origin.relay.Players(path))
	}
	proxy.cut()
	waitFor(t, "the pull to reconnect", 5*time.Second, func() bool {
		s := links.Stats()
		return s.Connects >= 2 && s.Failures >= 1 && s.Pulling == 1
	})
	again, _ := nextKeyframe(ctx, t, "edge player after the drop", pb, int64(first)+500)
	t.Logf("first keyframe at %d ms, after the reconnection at %d ms; %+v", first, again, links.Stats())

	// The origin's stream ends: so does the edge's, in line.
	stopFeed()
	if err := <-fed; err != nil {
		t.Fatal(err)
	}
	pub.Close()
	waitFor(t, "the edge to unpublish", 5*time.Second, func() bool { return !edge.Publishing(path) })
	for code := ""; code != "NetStream.Play.UnpublishNotify"; {
		select {
		case code = <-statuses:
		case <-ctx.Done():
			t.Fatal("the edge player never heard NetStream.Play.UnpublishNotify")
		}
	}

	// The last player leaves: the pull lingers, then stops.
	pb.Close()
	player.Close()
	waitFor(t, "the pull to stop", 5*time.Second, func() bool {
		return links.Stats().Pulling == 0 && origin.relay.Players(path) == 0 && edge.Players(path) == 0
	})
}

// TestLinkConfigErrors: link URLs must name an app and no key, and a
// relay has one set of links.
func TestLinkConfigErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &live.Relay{}
	for _, cfg := range []live.LinkConfig{
		{Push: []string{"rtmp://127.0.0.1/live/key"}},
		{Pull: []string{"http://127.0.0.1/live"}},
		{Pull: []string{"rtmp://127.0.0.1/"}},
	} {
		if _, err := r.Link(ctx, cfg); err == nil {
			t.Errorf("Link(%+v) accepted", cfg)
		}
	}
	l, err := r.Link(ctx, live.LinkConfig{Push: []string{"rtmp://127.0.0.1:1/live"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Link(ctx, live.LinkConfig{}); err == nil {
		t.Error("a second Link was accepted")
	}
	cancel()
	l.Wait()
	if _, err := r.PublishLocal(relay.Path{App: "live", Key: "x"}); err != nil {
		t.Errorf("publishing after the links ended: %v", err)
	}
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Fatal("context not cancelled")
	}
}
