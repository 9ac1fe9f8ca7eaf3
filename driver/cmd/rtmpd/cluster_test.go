package main

import (
	"context"
	"io"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/internal/peers"
	"github.com/gortmp/rtmp/driver/internal/redistest"
)

const clusterPath = "live/demo"

// TestClusterFailover: three nodes share a Redis directory. ffmpeg
// publishes to A; players on C get the stream through C's pull from A,
// byte for byte from a keyframe; Redis restarts and nothing stops; A is
// killed, ffmpeg publishes to B, and C's players, our client and an
// ffmpeg player, go on without reconnecting once B's stream arrives,
// within the lease and 2 s of the new publish.
func TestClusterFailover(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	srv := redistest.Start(t)
	bin := buildRTMPD(t)
	a, b, c := startNode(t, bin, srv.URL(), "A"), startNode(t, bin, srv.URL(), "B"), startNode(t, bin, srv.URL(), "C")

	pubA := ffmpegPublisher(t, ffmpeg, a.url(clusterPath))
	a.waitOwns(t, clusterPath, 10*time.Second)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	direct := record(ctx, t, a.url(clusterPath))
	edge := record(ctx, t, c.url(clusterPath))
	edge.waitKeyframe(t, "C's first keyframe", time.Time{}, 10*time.Second)
	ffplayer := exec.CommandContext(ctx, ffmpeg, "-loglevel", "error", "-i", c.url(clusterPath), "-c", "copy", "-f", "null", "-")
	var ffplayerOut strings.Builder
	ffplayer.Stderr = &ffplayerOut
	if err := ffplayer.Start(); err != nil {
		t.Fatal(err)
	}
	var ffplayerDone atomic.Bool
	ffplayerEnded := make(chan error, 1)
	go func() { ffplayerEnded <- ffplayer.Wait(); ffplayerDone.Store(true) }()
	t.Cleanup(func() {
		ffplayer.Process.Kill()
		if !ffplayerDone.Load() {
			<-ffplayerEnded
		}
	})

	// Byte for byte: from its first keyframe, what C's player got is a
	// run of what A's own player got.
	waitUntil(t, "two keyframes more on C", 10*time.Second, func() bool {
		edge.mu.Lock()
		defer edge.mu.Unlock()
		return len(edge.keyframes) >= 3
	})
	got, want := edge.coded(), direct.coded()
	if len(got) < 50 || !containsRun(want, got[:50]) {
		t.Fatalf("C's player's %d messages from its first keyframe are not a run of A's player's %d", len(got), len(want))
	}

	// Redis restarts while the stream runs: A keeps it (it refreshes in
	// the restarted store's grace) and C's players go on.
	srv.Restart()
	restarted := time.Now()
	edge.waitKeyframe(t, "C's keyframe after Redis restarted", restarted, 10*time.Second)
	waitUntil(t, "two leases after the restart", 10*time.Second, func() bool { return time.Since(restarted) > 2*testLease })
	if cs, ok := a.cluster(); !ok || !slices.Contains(cs.Owned, clusterPath) || cs.LeaseLosses != 0 {
		t.Fatalf("A after Redis restarted: %+v (answered %v); want %s still owned, no lease lost", cs, ok, clusterPath)
	}
	edge.waitKeyframe(t, "C's keyframe two leases after the restart", time.Now(), 10*time.Second)

	// A dies; ffmpeg publishes to B.
	stopProcess(t, a.cmd, syscall.SIGKILL)
	pubA.Process.Kill()
	published := time.Now()
	ffmpegPublisher(t, ffmpeg, b.url(clusterPath))
	back := edge.waitKeyframe(t, "C's keyframe from B", published, testLease+10*time.Second)
	failover := back.Sub(published)
	t.Logf("failover: C's players got B's first keyframe %v after ffmpeg started publishing to B (lease %v)", failover.Round(time.Millisecond), testLease)
	if failover > testLease+2*time.Second {
		t.Errorf("failover took %v, over the lease and 2 s", failover)
	}
	b.waitOwns(t, clusterPath, 5*time.Second)
	edge.waitKeyframe(t, "C's next keyframe from B", back.Add(time.Millisecond), 10*time.Second)

	select {
	case err := <-ffplayerEnded:
		ffplayerDone.Store(true)
		t.Fatalf("the ffmpeg player on C ended: %v\n%s", err, ffplayerOut.String())
	default:
	}
	if strings.Contains(c.out.String(), "play ended") {
		t.Errorf("a player on C ended:\n%s", c.out.String())
	}
	if cs, ok := c.cluster(); !ok || cs.DirectoryPulls < 2 {
		t.Errorf("C's cluster stats %+v; want pulls from A and then B", cs)
	}
}

// TestClusterStoppedOwner: the owner is stopped (SIGSTOP) past its
// lease; the other node's claim wins; when the owner runs again it has
// lost the lease and ends its publication, and at no time do both nodes
// serve the stream as its owner.
func TestClusterStoppedOwner(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	srv := redistest.Start(t)
	bin := buildRTMPD(t)
	a, b := startNode(t, bin, srv.URL(), "A"), startNode(t, bin, srv.URL(), "B")

	ffmpegPublisher(t, ffmpeg, a.url(clusterPath))
	a.waitOwns(t, clusterPath, 10*time.Second)

	// The checker: both nodes asked over and over; a stopped node does
	// not answer, and serves nothing.
	stop := make(chan struct{})
	checked := make(chan string, 1)
	go func() {
		polls, both := 0, ""
		for {
			select {
			case <-stop:
				checked <- both
				return
			default:
			}
			polls++
			if a.owns(clusterPath) && b.owns(clusterPath) && both == "" {
				both = time.Now().Format(time.StampMilli)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}()
	var stopOnce sync.Once
	endCheck := func() string {
		stopOnce.Do(func() { close(stop) })
		return <-checked
	}
	defer func() {
		select {
		case <-stop:
		default:
			endCheck()
		}
	}()

	stopProcess(t, a.cmd, syscall.SIGSTOP)
	stopped := time.Now()
	ffmpegPublisher(t, ffmpeg, b.url(clusterPath))
	b.waitOwns(t, clusterPath, testLease+10*time.Second)
	t.Logf("B owns the stream %v after A was stopped (lease %v)", time.Since(stopped).Round(time.Millisecond), testLease)
	// A's lease counts from its last refresh, up to a refresh period
	// before it was stopped.
	if d := time.Since(stopped); d < testLease-testRefresh {
		t.Errorf("B's claim won %v after A stopped, before A's lease ran out", d)
	}
	stopProcess(t, a.cmd, syscall.SIGCONT)
	waitUntil(t, "A's lease loss in its log and stats", 10*time.Second, func() bool {
		cs, ok := a.cluster()
		return ok && cs.LeaseLosses == 1 && len(cs.Owned) == 0 && strings.Contains(a.out.String(), "lease lost")
	})
	waitUntil(t, "A's publication ended", 10*time.Second, func() bool {
		return strings.Contains(a.out.String(), "publish ended") && strings.Contains(a.out.String(), "lease of the stream lost")
	})
	if !b.owns(clusterPath) {
		t.Error("B no longer owns the stream")
	}
	resp, err := a.client.Get("http://" + a.http + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"rtmpd_cluster_lease_losses_total 1\n", "rtmpd_cluster_owned_streams 0\n"} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("A's /metrics lacks %q:\n%s", want, metrics)
		}
	}
	if at := endCheck(); at != "" {
		t.Errorf("at %s both nodes said they owned %s", at, clusterPath)
	}
}

// TestClusterCleanMove: the publisher stops cleanly on A, which releases
// its claim at once, and starts again on B: C's player, which stayed on,
// gets B's stream within 2 s of the new publish, with no lease to wait
// for.
func TestClusterCleanMove(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	srv := redistest.Start(t)
	bin := buildRTMPD(t)
	a, b, c := startNode(t, bin, srv.URL(), "A"), startNode(t, bin, srv.URL(), "B"), startNode(t, bin, srv.URL(), "C")

	pubA := ffmpegPublisher(t, ffmpeg, a.url(clusterPath))
	a.waitOwns(t, clusterPath, 10*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	edge := record(ctx, t, c.url(clusterPath))
	edge.waitKeyframe(t, "C's first keyframe", time.Time{}, 10*time.Second)

	stopProcess(t, pubA, syscall.SIGINT) // ffmpeg unpublishes and closes
	waitUntil(t, "A releasing the stream", 10*time.Second, func() bool { return !a.owns(clusterPath) })
	published := time.Now()
	ffmpegPublisher(t, ffmpeg, b.url(clusterPath))
	back := edge.waitKeyframe(t, "C's keyframe from B", published, 10*time.Second)
	t.Logf("clean move: C's player got B's first keyframe %v after ffmpeg started publishing to B", back.Sub(published).Round(time.Millisecond))
	if d := back.Sub(published); d > 2*time.Second {
		t.Errorf("clean move took %v, over 2 s", d)
	}
	if !b.owns(clusterPath) {
		t.Error("B does not own the stream")
	}
}

// TestClusterRedisOutage: Redis is down for longer than the lease. The
// owner stops owning its stream but serves on, the edge keeps pulling it
// and its player keeps playing; once Redis is back, the owner claims the
// stream again.
func TestClusterRedisOutage(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	srv := redistest.Start(t)
	bin := buildRTMPD(t)
	a, c := startNode(t, bin, srv.URL(), "A"), startNode(t, bin, srv.URL(), "C")
	ffmpegPublisher(t, ffmpeg, a.url(clusterPath))
	a.waitOwns(t, clusterPath, 10*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	edge := record(ctx, t, c.url(clusterPath))
	edge.waitKeyframe(t, "C's first keyframe", time.Time{}, 10*time.Second)

	srv.Stop()
	down := time.Now()
	waitUntil(t, "A's lease lost", testLease+5*time.Second, func() bool {
		cs, ok := a.cluster()
		return ok && cs.LeaseLosses == 1 && len(cs.Owned) == 0
	})
	edge.waitKeyframe(t, "C's keyframe with Redis down past the lease", down.Add(testLease), 10*time.Second)
	srv.Start()
	a.waitOwns(t, clusterPath, testLease+5*time.Second)
	edge.waitKeyframe(t, "C's keyframe with Redis back", time.Now(), 10*time.Second)
	if strings.Contains(a.out.String(), "publish ended") || strings.Contains(c.out.String(), "play ended") {
		t.Errorf("a publisher or player ended during the outage:\nA:\n%s\nC:\n%s", a.out.String(), c.out.String())
	}
	if cs, _ := a.cluster(); cs.StoreFailures == 0 {
		t.Errorf("A's stats %+v count no store failure", cs)
	}
}
