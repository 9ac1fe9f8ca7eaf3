package driver_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
)

// logLines is a slog destination a test can wait on.
type logLines struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// waitLine waits for a log line holding every one of parts.
func (l *logLines) waitLine(t *testing.T, timeout time.Duration, parts ...string) {
	t.Helper()
	waitFor(t, strings.Join(parts, " "), timeout, func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		for line := range strings.Lines(l.b.String()) {
			all := true
			for _, p := range parts {
				all = all && strings.Contains(line, p)
			}
			if all {
				return true
			}
		}
		return false
	})
}

func (l *logLines) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// TestSecondPublisherTakesOver: by default a second publisher of a path
// is accepted at once; the first is told with an error-level BadName that
// names the takeover, then disconnected, and the end is logged with that
// reason; the player stays, is told of the new publisher and never of an
// unpublish, and goes on from the new publisher's keyframe with its
// timestamps continuing the stream's. What the old publisher sends after
// the takeover reaches nobody.
func TestSecondPublisherTakesOver(t *testing.T) {
	var logs logLines
	r := &live.Relay{}
	addr := startServer(t, nil, r, driver.Config{Logger: logs.logger()})
	path := relay.Path{App: "live", Key: "one"}

	first := dialClient(t, addr, 0)
	firstID := first.connect("live")
	if code := first.publish(firstID, "one"); code != "NetStream.Publish.Start" {
		t.Fatalf("first publisher got %s", code)
	}
	player := dialClient(t, addr, 0)
	playerID := player.connect("live")
	player.play(playerID, "one")

	video := func(c *rtmpClient, id uint32, ts uint32, payload ...byte) {
		c.send(6, message.Message{StreamID: id, Timestamp: ts, Body: message.Video{Payload: payload}})
	}
	video(first, firstID, 1000, 0x17, 1, 0, 0, 0, 'A')
	player.await("the first publisher's keyframe", 5*time.Second, func(m message.Message) bool {
		v, ok := m.Body.(message.Video)
		return ok && bytes.HasSuffix(v.Payload, []byte("A"))
	})

	second := dialClient(t, addr, 0)
	secondID := second.connect("live")
	if code := second.publish(secondID, "one"); code != "NetStream.Publish.Start" {
		t.Fatalf("second publisher got %s, want NetStream.Publish.Start (takeover)", code)
	}

	told := first.await("the takeover notice", 5*time.Second, func(m message.Message) bool { return statusCode(m) != "" })
	props, _ := amf0.Properties(told.Body.(message.Command).Args[0])
	level, _ := amf0.Object(props).String("level")
	desc, _ := amf0.Object(props).String("description")
	if code := statusCode(told); code != "NetStream.Publish.BadName" || level != "error" || !strings.Contains(desc, "taken over") {
		t.Errorf("old publisher told %s (%s): %q, want an error-level BadName naming the takeover", code, level, desc)
	}
	// What the old publisher still sends is dropped.
	video(first, firstID, 1040, 0x17, 1, 0, 0, 0, 'X')
	for {
		if _, err := first.next(5 * time.Second); err != nil {
			break // closed by the server
		}
	}
	logs.waitLine(t, 5*time.Second, "publish ended", "path=live/one", "role=publisher", "reason=\"relay: taken over by a new publisher\"")

	video(second, secondID, 0, 0x27, 1, 0, 0, 0, 'b') // an inter frame: held back
	video(second, secondID, 40, 0x17, 1, 0, 0, 0, 'B')
	sawNotify := false
	m := player.await("the second publisher's keyframe", 5*time.Second, func(m message.Message) bool {
		switch statusCode(m) {
		case "NetStream.Play.PublishNotify":
			sawNotify = true
		case "NetStream.Play.UnpublishNotify":
			t.Errorf("the player was told of an unpublish")
		}
		if v, ok := m.Body.(message.Video); ok {
			if !bytes.HasSuffix(v.Payload, []byte("B")) {
				t.Errorf("player got video % x before the new publisher's keyframe", v.Payload)
			}
			return true
		}
		return false
	})
	if !sawNotify {
		t.Error("the player was not told of the new publisher")
	}
	// The inter frame at 0 fixed the new publisher's offset 1 ms after
	// the stream's latest (1000); its keyframe keeps its spacing.
	if m.Timestamp != 1041 {
		t.Errorf("new publisher's keyframe at %d ms, want 1041", m.Timestamp)
	}
	if !r.Publishing(path) || r.Players(path) != 1 {
		t.Errorf("publishing %v with %d players, want the new publisher and the player", r.Publishing(path), r.Players(path))
	}
	logs.waitLine(t, 5*time.Second, "publishing", "path=live/one", "took_over=true")
}

// TestEndsLogged: a player and a publisher leaving by themselves are
// logged at Info with the reason, and so is a connection the peer closed.
func TestEndsLogged(t *testing.T) {
	var logs logLines
	addr := startServer(t, nil, &live.Relay{}, driver.Config{Logger: logs.logger()})
	pub := dialClient(t, addr, 0)
	pubID := pub.connect("live")
	if code := pub.publish(pubID, "two"); code != "NetStream.Publish.Start" {
		t.Fatalf("publisher got %s", code)
	}
	player := dialClient(t, addr, 0)
	playerID := player.connect("live")
	player.play(playerID, "two")

	player.command(0, "deleteStream", nil, float64(playerID))
	logs.waitLine(t, 5*time.Second, "play ended", "path=live/two", "role=player", "reason=\"stopped by the client\"")
	pub.command(0, "FCUnpublish", nil, "two")
	pub.command(0, "deleteStream", nil, float64(pubID))
	logs.waitLine(t, 5*time.Second, "publish ended", "path=live/two", "role=publisher", "reason=\"unpublished by the client\"")

	again := dialClient(t, addr, 0)
	if code := again.publish(again.connect("live"), "two"); code != "NetStream.Publish.Start" {
		t.Fatalf("publisher got %s", code)
	}
	again.conn.Close()
	logs.waitLine(t, 5*time.Second, "publish ended", "path=live/two", "reason=\""+driver.ErrPeerClosed.Error()+"\"")
}
