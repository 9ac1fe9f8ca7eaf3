package driver_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
)

// Close of a Subscriber wakes a Read blocked on it, as closing a
// connection wakes its reader: the reader's goroutine must not wait for a
// message that can no longer come.
func TestSubscriberCloseWakesRead(t *testing.T) {
	r := &live.Relay{}
	sub, err := r.Subscribe(relay.Path{App: "live", Key: "idle"}, relay.ViewAll)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error, 1)
	go func() {
		_, err := sub.Read(context.Background())
		got <- err
	}()
	time.Sleep(20 * time.Millisecond) // let Read block
	sub.Close()
	select {
	case err := <-got:
		if !errors.Is(err, live.ErrLocalClosed) {
			t.Errorf("Read after Close: %v; want ErrLocalClosed", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Read stayed blocked after Close")
	}
}

// A push whose remote accepts the connection but never answers publish
// must not hang there: it fails after the dial's HandshakeTimeout and
// backs off like any failure, so it ends once its publisher is gone and
// the path's next publisher is pushed.
func TestLinkPushRemoteNeverAnswersPublish(t *testing.T) {
	noLeakAtEnd(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	var conns atomic.Int32
	published := make(chan struct{}, 4)
	remote := startScriptServer(t, func(sc *scriptConn) {
		n := conns.Add(1)
		if sc.accept() != nil {
			return
		}
		_, sid, err := sc.await("publish")
		if err != nil {
			return
		}
		if n > 1 {
			sc.send(statusMsg(sid, "NetStream.Publish.Start"))
			published <- struct{}{}
		}
		sc.command() // until the client hangs up
	})
	edge := &live.Relay{}
	startLinks(t, edge, live.LinkConfig{
		Push: []string{remote.url("live")},
		Dial: dial.Config{HandshakeTimeout: 300 * time.Millisecond},
	})
	path := relay.Path{App: "live", Key: "feed"}
	first, err := edge.PublishLocal(path)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the push to ask for publish", 5*time.Second, func() bool { return conns.Load() > 0 })
	first.Close()
	second, err := edge.PublishLocal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	select {
	case <-published:
	case <-ctx.Done():
		t.Fatalf("the second publisher was never pushed (%d connections)", conns.Load())
	}
}

// A pull whose first remote accepts the connection but never answers play
// must not hang there while players wait: it gives up on that remote
// after the dial's HandshakeTimeout and tries the next.
func TestLinkPullRemoteNeverAnswersPlay(t *testing.T) {
	noLeakAtEnd(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	mute := startScriptServer(t, func(sc *scriptConn) {
		if sc.accept() != nil {
			return
		}
		sc.command() // never answers play
		sc.command()
	})
	origin := newRelayServer(t)
	edge := &live.Relay{}
	edgeAddr := startServer(t, nil, edge, driver.Config{})
	startLinks(t, edge, live.LinkConfig{
		Pull:   []string{mute.url("live"), rtmpURL(origin.addr, "live")},
		Dial:   dial.Config{HandshakeTimeout: 300 * time.Millisecond},
		Linger: 50 * time.Millisecond,
	})
	_, pub := dialPublish(ctx, t, rtmpURL(origin.addr, "live/feed"))
	fctx, stopFeed := context.WithCancel(ctx)
	fed := feed(fctx, t, pub)
	defer func() {
		stopFeed()
		<-fed
	}()
	_, pb := dialPlay(ctx, t, dial.Config{}, rtmpURL(edgeAddr, "live/feed"))
	nextKeyframe(ctx, t, "edge player", pb, -1)
}
