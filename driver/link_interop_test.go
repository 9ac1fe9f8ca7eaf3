package driver_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/internal/peers"
)

// TestLinkPushInteropNginx: ffmpeg publishes the sample to our relay,
// which pushes it to nginx-rtmp; ffmpeg and our client play it from
// nginx-rtmp. Both must get the source's packets unaltered, in a
// contiguous run from a keyframe.
func TestLinkPushInteropNginx(t *testing.T) {
	noLeakAtEnd(t)
	ffmpeg := peers.Need(t, peers.FFmpeg)
	src, srcExtra := packets(t, shortSample)
	nginx := startNginxForClient(t)
	edge := &live.Relay{}
	edgeAddr := startServer(t, nil, edge, driver.Config{})
	links := startLinks(t, edge, live.LinkConfig{Push: []string{rtmpURL(nginx, "live")}})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	dir := t.TempDir()
	// The players reach nginx-rtmp through a tap that sees its
	// NetStream.Play.Start to each.
	playTap := startTap(t, nginx)
	remote := rtmpURL(playTap.addr, "live/pushed")

	ffPlay := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-analyzeduration", "1000000", "-i", remote, "-c", "copy", "-flush_packets", "1", "-f", "flv", filepath.Join(dir, "ffmpeg.flv"))
	_, pb := dialPlay(ctx, t, dial.Config{}, remote)
	var wg sync.WaitGroup
	var playErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, playErr = recordPlayback(ctx, pb, filepath.Join(dir, "ours.flv"), time.Second)
	}()
	// nginx-rtmp starts a late player wherever the stream is: publish
	// once it has taken both players.
	waitFor(t, "nginx-rtmp to take both players", 10*time.Second, func() bool { return playTap.playStarts.Load() == 2 })

	pub := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-re", "-i", shortSample, "-c", "copy", "-f", "flv", rtmpURL(edgeAddr, "live/pushed"))
	waitFor(t, "the push", 10*time.Second, func() bool { return links.Stats().Pushing == 1 })
	pub.wait(t)
	waitFor(t, "the push to end", 10*time.Second, func() bool { return links.Stats().Pushing == 0 })
	wg.Wait()
	if playErr != nil {
		t.Fatalf("our player: %v", playErr)
	}
	// nginx-rtmp ends the stream with Stream EOF only, which ffmpeg does
	// not take as the end; our player's silence says the data is through.
	ffPlay.finish(t, 200*time.Millisecond)
	if s := links.Stats(); s.Connects != 1 || s.Failures != 0 {
		t.Errorf("push stats %+v, want one connection and no failure", s)
	}
	checkRun(t, "our client via nginx-rtmp", src, srcExtra, filepath.Join(dir, "ours.flv"), 1)
	checkRun(t, "ffmpeg via nginx-rtmp", src, srcExtra, filepath.Join(dir, "ffmpeg.flv"), 0.9)
}

// TestLinkPullInteropNginx: ffmpeg plays from our relay, which pulls the
// stream from nginx-rtmp, where ffmpeg publishes the sample. The player
// must get the source's packets unaltered from a keyframe and stop when
// the origin's stream ends; then the pull stops.
func TestLinkPullInteropNginx(t *testing.T) {
	noLeakAtEnd(t)
	ffmpeg := peers.Need(t, peers.FFmpeg)
	src, srcExtra := packets(t, shortSample)
	nginx := startNginxForClient(t)
	edge := &live.Relay{}
	edgeAddr := startServer(t, nil, edge, driver.Config{})
	links := startLinks(t, edge, live.LinkConfig{Pull: []string{rtmpURL(nginx, "live")}, Linger: 200 * time.Millisecond})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	dir := t.TempDir()
	path := relay.Path{App: "live", Key: "pulled"}

	play := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", rtmpURL(edgeAddr, "live/pulled"), "-c", "copy", "-f", "flv", filepath.Join(dir, "edge.flv"))
	waitFor(t, "the pull", 10*time.Second, func() bool { return links.Stats().Pulling == 1 })
	pub := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-re", "-i", shortSample, "-c", "copy", "-f", "flv", rtmpURL(nginx, "live/pulled"))
	pub.wait(t)
	// nginx-rtmp ends the stream with Stream EOF; the edge unpublishes
	// and its player stops on its own.
	play.wait(t)
	waitFor(t, "the pull to stop after its player left", 10*time.Second, func() bool {
		return links.Stats().Pulling == 0 && edge.Players(path) == 0 && !edge.Publishing(path)
	})
	if s := links.Stats(); s.Connects != 1 || s.Failures != 0 {
		t.Errorf("pull stats %+v, want one connection and no failure", s)
	}
	checkRun(t, "ffmpeg via our pulling edge", src, srcExtra, filepath.Join(dir, "edge.flv"), 0.9)
}
