package driver_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/internal/peers"
)

// TestInteropOBS streams from OBS Studio itself, headless under Xvfb with
// software OpenGL, to a server whose pings come every 2 s and time out
// after 2 s, while our client plays. OBS discards whatever a server sends
// after the connect, so it never answers a ping: the server must take
// its media as the sign of life. For three times the ping interval plus
// timeout, OBS must stay connected (no publisher end on the server, no
// "Disconnected" or send error in OBS's log), and the player must keep
// receiving audio, video and keyframes without a gap as long as a ping's
// life.
func TestInteropOBS(t *testing.T) {
	xvfbRun := peers.Need(t, peers.XvfbRun)
	obs := peers.Need(t, peers.OBS)
	const (
		pingInterval = 2 * time.Second
		pingTimeout  = 2 * time.Second
		hold         = 3*(pingInterval+pingTimeout) + 3*time.Second
	)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	w := newPublisherWatch()
	addr := startServer(t, nil, w, driver.Config{
		Session: core.Config{PingInterval: pingInterval, PingTimeout: pingTimeout},
	})

	c, err := dial.Dial(ctx, rtmpURL(addr, "live/obs"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pb, err := c.Play(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	pw := watchPlayback(ctx, pb)

	clip, err := filepath.Abs(longSample)
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	writeOBSConfig(t, home, rtmpURL(addr, "live"), "obs", clip)
	o := startOBS(t, xvfbRun, obs, home)

	// OBS's start under Xvfb with software rendering takes seconds, and
	// longer on a busy machine.
	awaitOBS(t, o, "OBS to publish", 90*time.Second, func() bool {
		started, _ := w.counts()
		return started > 0
	})
	awaitOBS(t, o, "the player's first keyframe", 30*time.Second, func() bool { return pw.get().keyframes > 0 })

	before := pw.resetGap()
	start := time.Now()
	for time.Since(start) < hold {
		if _, ended := w.counts(); len(ended) > 0 {
			t.Fatalf("after %v of OBS's stream the server ended it: %s\nOBS's log:\n%s",
				time.Since(start).Round(time.Millisecond), strings.Join(ended, "; "), o.logTail())
		}
		if lines := o.disconnected(); len(lines) > 0 {
			t.Fatalf("after %v OBS lost its stream:\n%s", time.Since(start).Round(time.Millisecond), strings.Join(lines, "\n"))
		}
		if got := pw.get(); got.err != nil {
			t.Fatalf("after %v the player's stream ended: %v", time.Since(start).Round(time.Millisecond), got.err)
		}
		if o.exited() {
			t.Fatalf("OBS exited while streaming:\n%s", o.logTail())
		}
		time.Sleep(100 * time.Millisecond) // the poll interval of this watch
	}
	after := pw.get()

	started, _ := w.counts()
	if started != 1 {
		t.Errorf("%d publishes started, want OBS's one", started)
	}
	secs := hold.Seconds()
	// OBS sends 30 video frames and about 43 AAC frames a second; a busy
	// machine may make its encoder late, not absent.
	if n := after.video - before.video; float64(n) < 15*secs {
		t.Errorf("%d video messages in %v, want at least %v", n, hold, int(15*secs))
	}
	if n := after.audio - before.audio; float64(n) < 20*secs {
		t.Errorf("%d audio messages in %v, want at least %v", n, hold, int(20*secs))
	}
	// A keyframe every 2 s (keyint=60 at 30 fps).
	if n := after.keyframes - before.keyframes; float64(n) < secs/2-2 {
		t.Errorf("%d keyframes in %v, want at least %d", n, hold, int(secs/2-2))
	}
	if after.maxGap >= pingInterval+pingTimeout {
		t.Errorf("the player waited %v for a message, as long as a ping's life", after.maxGap)
	}
	t.Logf("in %v: %d video (%d keyframes) and %d audio messages, longest gap %v",
		hold, after.video-before.video, after.keyframes-before.keyframes, after.audio-before.audio, after.maxGap)
}

// awaitOBS waits for cond like waitFor, and fails at once, with OBS's
// log, if OBS exits first.
func awaitOBS(t *testing.T, o *obsProcess, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if o.exited() {
			t.Fatalf("OBS exited while waiting for %s:\n%s", what, o.logTail())
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; OBS's log:\n%s", what, o.logTail())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// exited reports whether OBS (or xvfb-run) has ended.
func (p *obsProcess) exited() bool {
	select {
	case err := <-p.done:
		p.done <- err // for stop
		return true
	default:
		return false
	}
}

// playStats is what a player received so far.
type playStats struct {
	audio, video, keyframes int
	// maxGap is the longest wait between two messages, from the first
	// or since resetGap.
	maxGap time.Duration
	// err is why the playback ended; nil while it goes on.
	err error
}

type playWatch struct {
	mu sync.Mutex
	s  playStats
}

// watchPlayback reads pb until ctx ends or the playback does, counting
// what arrives.
func watchPlayback(ctx context.Context, pb *dial.Playback) *playWatch {
	w := &playWatch{}
	go func() {
		var last time.Time
		for {
			m, err := pb.ReadMessage(ctx)
			now := time.Now()
			w.mu.Lock()
			if err != nil {
				if ctx.Err() == nil {
					w.s.err = err
				}
				w.mu.Unlock()
				return
			}
			if !last.IsZero() {
				w.s.maxGap = max(w.s.maxGap, now.Sub(last))
			}
			last = now
			switch b := m.Body.(type) {
			case message.Audio:
				w.s.audio++
			case message.Video:
				w.s.video++
				if isKeyframe(b.Payload) {
					w.s.keyframes++
				}
			}
			w.mu.Unlock()
		}
	}()
	return w
}

// resetGap starts measuring the longest gap afresh (OBS's start is slow)
// and returns the counts so far.
func (w *playWatch) resetGap() playStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.s.maxGap = 0
	return w.s
}

func (w *playWatch) get() playStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.s
}
