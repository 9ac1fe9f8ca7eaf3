package driver_test

import (
	"context"
	"crypto/rand"
	"io"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/internal/peers"
)

// TestSecondPublisherBadName refuses a second publisher on a path with
// NetStream.Publish.BadName, and lets it publish once the first left.
func TestSecondPublisherBadName(t *testing.T) {
	srv := newRelayServer(t)
	first := dialClient(t, srv.addr, 0)
	if code := first.publish(first.connect("live"), "one"); code != "NetStream.Publish.Start" {
		t.Fatalf("first publisher got %s", code)
	}
	second := dialClient(t, srv.addr, 0)
	id := second.connect("live")
	if code := second.publish(id, "one"); code != "NetStream.Publish.BadName" {
		t.Fatalf("second publisher got %s, want NetStream.Publish.BadName", code)
	}
	first.conn.Close()
	path := relay.Path{App: "live", Key: "one"}
	waitFor(t, "the first publisher to leave", 5*time.Second, func() bool { return !srv.relay.Publishing(path) })
	other := dialClient(t, srv.addr, 0)
	if code := other.publish(other.connect("live"), "one"); code != "NetStream.Publish.Start" {
		t.Fatalf("publisher after the first left got %s", code)
	}
}

// TestPublisherLeavesAndReturns keeps a player connected across two
// publishers: it hears Stream EOF and UnpublishNotify when the first
// leaves, then PublishNotify and the second's stream from a keyframe.
func TestPublisherLeavesAndReturns(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	srv := newRelayServer(t)
	path := relay.Path{App: "live", Key: "cycle"}
	player := dialClient(t, srv.addr, 0)
	sid := player.connect("live")
	player.play(sid, "cycle")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for round := 1; round <= 2; round++ {
		pub := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", shortSample, "-c", "copy", "-f", "flv", rtmpURL(srv.addr, "live/cycle"))
		var video, audio int
		var firstVideo []byte
		sawEOF, sawNotify, sawPublishNotify := false, false, false
		for !sawNotify {
			m, err := player.next(10 * time.Second)
			if err != nil {
				t.Fatalf("round %d: %v (video %d, audio %d)", round, err, video, audio)
			}
			switch b := m.Body.(type) {
			case message.Video:
				if video == 0 {
					firstVideo = b.Payload
				}
				video++
			case message.Audio:
				audio++
			case message.StreamEOF:
				sawEOF = b.StreamID == sid
			default:
				switch statusCode(m) {
				case "NetStream.Play.UnpublishNotify":
					sawNotify = true
				case "NetStream.Play.PublishNotify":
					sawPublishNotify = video == 0
				}
			}
		}
		pub.wait(t)
		if !sawEOF {
			t.Errorf("round %d: no Stream EOF before UnpublishNotify", round)
		}
		// The sample has 30 video frames and 45 AAC frames; ffmpeg adds
		// the sequence headers and an AVC end of sequence.
		if video != 32 || audio != 46 {
			t.Errorf("round %d: %d video and %d audio messages, want 32 and 46", round, video, audio)
		}
		if len(firstVideo) < 2 || firstVideo[0] != 0x17 || firstVideo[1] != 0 {
			t.Errorf("round %d: first video message % x, want an AVC sequence header", round, firstVideo[:min(len(firstVideo), 2)])
		}
		waitFor(t, "the publisher to leave", 5*time.Second, func() bool { return !srv.relay.Publishing(path) })
		if n := srv.relay.Players(path); n != 1 {
			t.Fatalf("round %d: %d players after unpublish, want the waiting one", round, n)
		}
		if round == 2 && !sawPublishNotify {
			t.Error("round 2: the second publisher was not announced with NetStream.Play.PublishNotify")
		}
	}
}

// TestSlowPlayer has a player that stops reading right after play. The
// publisher keeps real-time pace, a normal player gets the whole stream,
// the slow player's queue stays within its bound while its video is
// dropped (counted), and it is disconnected once too far behind.
func TestSlowPlayer(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	src, srcExtra := packets(t, longSample)
	limits := relay.Config{MaxQueueBytes: 64 << 10, HardQueueBytes: 128 << 10, MaxBehindMillis: 1500}
	r := &driver.Relay{Limits: limits}
	addr := startServer(t, nil, r, driver.Config{SocketWriteBuffer: 16 << 10})
	path := relay.Path{App: "live", Key: "slow"}
	url := rtmpURL(addr, "live/slow")

	slow := dialClient(t, addr, 4<<10)
	slow.play(slow.connect("live"), "slow") // and never reads again

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out := filepath.Join(t.TempDir(), "normal.flv")
	normal := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", url, "-c", "copy", "-f", "flv", out)
	waitFor(t, "two players", 10*time.Second, func() bool { return r.Players(path) == 2 })

	start := time.Now()
	pub := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-re", "-i", longSample, "-c", "copy", "-f", "flv", url)
	maxQueued := 0
	var stats relay.PlayerStats
	for done := false; !done; {
		select {
		case err := <-pub.done:
			pub.done <- err
			done = true
		case <-time.After(20 * time.Millisecond):
			for _, q := range r.Queued(path) {
				maxQueued = max(maxQueued, q)
			}
			if st, ok := r.Stats(path); ok {
				stats = st
			}
		}
	}
	pub.wait(t)
	elapsed := time.Since(start)
	normal.wait(t)

	if elapsed > 7*time.Second {
		t.Errorf("publishing 4 s in real time took %v", elapsed)
	}
	if maxQueued > limits.HardQueueBytes {
		t.Errorf("a player queued %d, bound %d", maxQueued, limits.HardQueueBytes)
	}
	if stats.Dropped == 0 {
		t.Errorf("no drops counted: %+v", stats)
	}
	t.Logf("max queued %d, stats %+v, publish took %v", maxQueued, stats, elapsed)
	checkRun(t, "normal player", src, srcExtra, out, 1)

	// The slow player was disconnected: reading now drains to EOF.
	slow.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.Copy(io.Discard, slow.conn); err != nil {
		t.Errorf("slow player still connected: %v", err)
	}
}

// TestHandshakeFlood opens many connections that stall or send garbage
// during the handshake; a normal publish and play still work meanwhile.
func TestHandshakeFlood(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	src, srcExtra := packets(t, shortSample)
	srv := newRelayServer(t)
	var flood []net.Conn
	defer func() {
		for _, c := range flood {
			c.Close()
		}
	}()
	garbage := make([]byte, 3000)
	rand.Read(garbage)
	for i := range 150 {
		c, err := net.Dial("tcp", srv.addr)
		if err != nil {
			t.Fatal(err)
		}
		flood = append(flood, c)
		switch i % 3 {
		case 0: // silent
		case 1: // C0 and part of C1, then silence
			c.Write([]byte{3, 0, 0, 0, 0, 0, 0, 0, 0})
		case 2: // random bytes
			garbage[0] = byte(i)
			c.Write(garbage)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	path := relay.Path{App: "live", Key: "flood"}
	url := rtmpURL(srv.addr, "live/flood")
	out := filepath.Join(t.TempDir(), "player.flv")
	player := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", url, "-c", "copy", "-f", "flv", out)
	waitFor(t, "the player", 10*time.Second, func() bool { return srv.relay.Players(path) == 1 })
	pub := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", shortSample, "-c", "copy", "-f", "flv", url)
	pub.wait(t)
	player.wait(t)
	checkRun(t, "player during flood", src, srcExtra, out, 1)
}
