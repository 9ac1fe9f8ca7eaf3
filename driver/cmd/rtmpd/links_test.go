package main

import (
	"bytes"
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/driver/dial"
)

func TestParseLinkFlags(t *testing.T) {
	o, err := parseFlags([]string{
		"-push", "rtmp://a:1935/live", "-push", "rtmps://b/other",
		"-pull", "rtmp://c/live", "-pull-linger", "1s", "-record", "/srv/rec",
		"-record-format", "mp4",
	}, new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	want := linkOptions{push: urlList{"rtmp://a:1935/live", "rtmps://b/other"}, pull: urlList{"rtmp://c/live"}, linger: time.Second, record: "/srv/rec", recordFormat: "mp4"}
	if diff := cmp.Diff(want, o.links, cmp.AllowUnexported(linkOptions{})); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
	for _, bad := range [][]string{
		{"-push", "http://a/live"},
		{"-push", "rtmp://a/live/key"},
		{"-pull", "rtmp://a/"},
		{"-record-format", "mkv"},
	} {
		if _, err := parseFlags(bad, new(bytes.Buffer)); err == nil {
			t.Errorf("parseFlags(%q) accepted", bad)
		}
	}
}

// running is the command's run in a goroutine, for tests.
type running struct {
	addrs  [numAddrs]net.Addr
	out    *syncBuffer
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// startRunning runs the server as the command does, with o, until stop is
// called or the test ends; the server's log is shown if the test failed.
func startRunning(t *testing.T, o options) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{out: new(syncBuffer), cancel: cancel, done: make(chan error, 1)}
	ready := make(chan [numAddrs]net.Addr, 1)
	go func() { r.done <- run(ctx, o, r.out, ready) }()
	select {
	case r.addrs = <-ready:
	case err := <-r.done:
		cancel()
		t.Fatalf("run: %v", err)
	}
	t.Cleanup(func() {
		r.stop(t)
		if t.Failed() {
			t.Logf("server log:\n%s", r.out.String())
		}
	})
	return r
}

// stop ends the run and checks that it returns cleanly, in time.
func (r *running) stop(t *testing.T) {
	t.Helper()
	r.once.Do(func() {
		r.cancel()
		select {
		case err := <-r.done:
			if err != nil {
				t.Errorf("run: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("run did not stop")
		}
	})
}

// startRun runs the server on a loopback RTMP port until the test ends and
// returns that port's address.
func startRun(t *testing.T, o options) string {
	t.Helper()
	o.listen, o.logLevel = "127.0.0.1:0", "warn"
	return startRunning(t, o).addrs[addrRTMP].String()
}

// relayed publishes a few synthetic messages on pubURL and reads them
// back on playURL, which starts first.
func relayed(t *testing.T, pubURL, playURL string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	player, err := dial.Dial(ctx, playURL)
	if err != nil {
		t.Fatal(err)
	}
	defer player.Close()
	pb, err := player.Play(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	publisher, err := dial.Dial(ctx, pubURL)
	if err != nil {
		t.Fatal(err)
	}
	defer publisher.Close()
	pub, err := publisher.Publish(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	sent := [][]byte{
		{0x17, 0x00, 0, 0, 0, 0x01, 0x64}, // AVC sequence header
		{0x17, 0x01, 0, 0, 0, 0x65, 0x01}, // keyframe
		{0x27, 0x01, 0, 0, 0, 0x41, 0x02}, // inter frame
	}
	// The link may connect after the first messages: keep sending groups
	// until the player got one whole, in order.
	var got [][]byte
	for round := uint32(0); !containsRun(got, sent); round++ {
		if ctx.Err() != nil {
			t.Fatalf("no whole group relayed; got %x", got)
		}
		for i, p := range sent {
			if err := pub.WriteMessage(message.Message{Timestamp: round*100 + uint32(i), Body: message.Video{Payload: p}}); err != nil {
				t.Fatal(err)
			}
		}
		rctx, rcancel := context.WithTimeout(ctx, 200*time.Millisecond)
		for {
			m, err := pb.ReadMessage(rctx)
			if err != nil {
				break
			}
			if v, ok := m.Body.(message.Video); ok {
				got = append(got, v.Payload)
			}
		}
		rcancel()
	}
}

// containsRun reports whether want appears in got as a contiguous run.
func containsRun(got, want [][]byte) bool {
	for i := 0; i+len(want) <= len(got); i++ {
		if cmp.Equal(got[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

// TestRunLinks: one rtmpd pushes what it gets to an origin rtmpd, another
// pulls from that origin for its players.
func TestRunLinks(t *testing.T) {
	origin := startRun(t, options{})
	pusher := startRun(t, options{links: linkOptions{push: urlList{"rtmp://" + origin + "/live"}}})
	relayed(t, "rtmp://"+pusher+"/live/pushed", "rtmp://"+origin+"/live/pushed")
	edge := startRun(t, options{links: linkOptions{pull: urlList{"rtmp://" + origin + "/live"}, linger: 100 * time.Millisecond}})
	relayed(t, "rtmp://"+origin+"/live/pulled", "rtmp://"+edge+"/live/pulled")
}
