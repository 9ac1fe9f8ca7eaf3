package driver_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"
)

// sharedDirectory is a relay.MemDirectory that nodes in one process share:
// a lock around it and the wall clock as its clock.
type sharedDirectory struct {
	mu    *sync.Mutex
	mem   *relay.MemDirectory
	epoch time.Time
	node  relay.Directory
}

func newSharedDirectory() sharedDirectory {
	return sharedDirectory{mu: new(sync.Mutex), mem: relay.NewMemDirectory(), epoch: time.Now()}
}

// forNode is the directory as the node advertised as url reaches it.
func (d sharedDirectory) forNode(url string) sharedDirectory {
	d.node = d.mem.Node(url)
	return d
}

func (d sharedDirectory) cut(url string, cut bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.mem.Cut(url, cut)
}

// with runs fn on the store at the wall clock's time.
func (d sharedDirectory) with(fn func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.mem.Now = time.Since(d.epoch)
	fn()
}

func (d sharedDirectory) Claim(ctx context.Context, p relay.Path, url string, lease time.Duration) (o relay.Owner, won bool, err error) {
	d.with(func() { o, won, err = d.node.Claim(ctx, p, url, lease) })
	return
}

func (d sharedDirectory) Refresh(ctx context.Context, p relay.Path, o relay.Owner, lease time.Duration) (ok bool, err error) {
	d.with(func() { ok, err = d.node.Refresh(ctx, p, o, lease) })
	return
}

func (d sharedDirectory) Release(ctx context.Context, p relay.Path, o relay.Owner) (err error) {
	d.with(func() { err = d.node.Release(ctx, p, o) })
	return
}

func (d sharedDirectory) Lookup(ctx context.Context, p relay.Path) (o relay.Owner, found bool, err error) {
	d.with(func() { o, found, err = d.node.Lookup(ctx, p) })
	return
}

// clusterRelay serves a relay that is a node of the cluster of dir.
func clusterRelay(t *testing.T, dir sharedDirectory, times relay.LeaseTimes) (string, *live.Relay) {
	t.Helper()
	r := &live.Relay{}
	addr := startServer(t, nil, r, driver.Config{})
	adv := "rtmp://" + addr
	ctx, cancel := context.WithCancel(context.Background())
	links, err := r.Link(ctx, live.LinkConfig{
		Cluster: &live.ClusterConfig{Directory: dir.forNode(adv), Advertise: adv, Times: times},
		Linger:  100 * time.Millisecond, Logger: testLogger(t),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); links.Wait() })
	return addr, r
}

// TestClusterLinks runs cluster nodes in one process over a shared
// in-memory directory (so the race detector sees the claims and the
// follow): a publish on the origin is claimed and pulled by the edge for
// its player; the origin cut off from the directory past its lease stops
// owning the path but serves it on, and owns it again once back; cut off
// while a rival claims the path, it ends its publication once back. The
// edge's player stays on throughout.
func TestClusterLinks(t *testing.T) {
	dir := newSharedDirectory()
	times := relay.LeaseTimes{Lease: 600 * time.Millisecond, Refresh: 150 * time.Millisecond}
	// Past the store's first-start grace before any claim.
	dir.forNode("warm-up").Refresh(context.Background(), relay.Path{}, relay.Owner{}, times.Lease)
	time.Sleep(times.Lease)
	origin, originRelay := clusterRelay(t, dir, times)
	edge, edgeRelay := clusterRelay(t, dir, times)
	path := relay.Path{App: "live", Key: "c"}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	pubConn, err := dial.Dial(ctx, rtmpURL(origin, "live/c"))
	if err != nil {
		t.Fatal(err)
	}
	defer pubConn.Close()
	pub, err := pubConn.Publish(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	published := make(chan error, 1)
	go func() {
		for ts := uint32(0); ; ts += 40 {
			payload := []byte{0x27, 1, 0, 0, 0, 0x41}
			if ts%400 == 0 {
				payload = []byte{0x17, 1, 0, 0, 0, 0x65}
			}
			if err := pub.WriteMessage(message.Message{Timestamp: ts, Body: message.Video{Payload: payload}}); err != nil {
				published <- err
				return
			}
			select {
			case <-pubConn.Done():
				published <- pubConn.Err()
				return
			case <-ctx.Done():
				published <- ctx.Err()
				return
			case <-time.After(40 * time.Millisecond):
			}
		}
	}()
	waitFor(t, "the origin owning the path", 5*time.Second, func() bool {
		cs, ok := originRelay.ClusterStats()
		return ok && len(cs.Owned) == 1 && cs.Owned[0] == path
	})

	playConn, err := dial.Dial(ctx, rtmpURL(edge, "live/c"))
	if err != nil {
		t.Fatal(err)
	}
	defer playConn.Close()
	pb, err := playConn.Play(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	keyframesFrom(t, ctx, pb, 2)
	if cs, _ := edgeRelay.ClusterStats(); cs.DirectoryPulls != 1 || len(cs.Owned) != 0 {
		t.Errorf("edge stats %+v; want one pull by directory, nothing owned", cs)
	}

	// Cut off past its lease, the origin stops owning the path and goes
	// on serving it; the edge keeps pulling; back, it owns it again.
	dir.cut("rtmp://"+origin, true)
	waitFor(t, "the origin's lease lost", times.Lease+5*time.Second, func() bool {
		cs, _ := originRelay.ClusterStats()
		return cs.LeaseLosses == 1 && len(cs.Owned) == 0 && cs.StoreFailures > 0
	})
	keyframesFrom(t, ctx, pb, 2)
	dir.cut("rtmp://"+origin, false)
	waitFor(t, "the origin owning the path again", times.Lease+5*time.Second, func() bool {
		cs, _ := originRelay.ClusterStats()
		return len(cs.Owned) == 1
	})

	// Cut off again while a rival node gets a publisher of the path: the
	// rival's claim wins once the origin's lease ran out, and the origin,
	// back, ends its publication.
	rival, rivalRelay := clusterRelay(t, dir, times)
	dir.cut("rtmp://"+origin, true)
	rivalConn, err := dial.Dial(ctx, rtmpURL(rival, "live/c"))
	if err != nil {
		t.Fatal(err)
	}
	defer rivalConn.Close()
	if _, err := rivalConn.Publish(ctx, ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the rival owning the path", times.Lease+5*time.Second, func() bool {
		cs, _ := rivalRelay.ClusterStats()
		return len(cs.Owned) == 1
	})
	select {
	case err := <-published:
		t.Fatalf("the origin's publisher ended while the origin was cut off: %v", err)
	default:
	}
	dir.cut("rtmp://"+origin, false)
	select {
	case err := <-published:
		t.Logf("the origin's publisher's end: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("the origin kept its publisher after the rival took the path")
	}
	if cs, _ := originRelay.ClusterStats(); cs.LeaseLosses != 2 || len(cs.Owned) != 0 {
		t.Errorf("origin stats %+v; want two leases lost, nothing owned", cs)
	}
	select {
	case <-playConn.Done():
		t.Fatalf("the edge's player was disconnected: %v", playConn.Err())
	default:
	}
}

// keyframesFrom reads a playback until n keyframes came.
func keyframesFrom(t *testing.T, ctx context.Context, pb *dial.Playback, n int) {
	t.Helper()
	for keyframes := 0; keyframes < n; {
		m, err := pb.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("the edge's player: %v", err)
		}
		if v, ok := m.Body.(message.Video); ok && v.Payload[0] == 0x17 {
			keyframes++
		}
	}
}
