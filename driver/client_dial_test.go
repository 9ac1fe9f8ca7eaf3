package driver_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/internal/testcert"
)

// publishAndPlay publishes shortSample through pubURL at four times real time while a
// player on playURL records; it checks the recording packet for packet.
// The player starts first, so it must get the whole stream.
func publishAndPlay(t *testing.T, cfg dial.Config, pubURL, playURL string, minShare float64) {
	t.Helper()
	src, srcExtra := packets(t, shortSample)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	player, err := cfg.Dial(ctx, playURL)
	if err != nil {
		t.Fatalf("dial player: %v", err)
	}
	defer player.Close()
	pb, err := player.Play(ctx, "")
	if err != nil {
		t.Fatalf("play: %v", err)
	}
	out := filepath.Join(t.TempDir(), "played.flv")
	var wg sync.WaitGroup
	var played int
	var playErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		played, playErr = recordPlayback(ctx, pb, out, time.Second)
	}()

	publisher, err := cfg.Dial(ctx, pubURL)
	if err != nil {
		t.Fatalf("dial publisher: %v", err)
	}
	pub, err := publisher.Publish(ctx, "")
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	tags, err := publishFLV(ctx, pub, shortSample, 4)
	if err != nil {
		t.Fatalf("publishing: %v", err)
	}
	wg.Wait()
	if playErr != nil {
		t.Fatalf("playing: %v", playErr)
	}
	if err := pub.Close(); err != nil {
		t.Error(err)
	}
	if err := publisher.Close(); err != nil {
		t.Error(err)
	}
	if err := publisher.Err(); err != nil {
		t.Errorf("publisher ended with %v", err)
	}
	if pb.Dropped() != 0 {
		t.Errorf("player dropped %d messages", pb.Dropped())
	}
	t.Logf("published %d tags, played %d messages", tags, played)
	checkRun(t, "our player", src, srcExtra, out, minShare)
}

// TestDialRelay: our client publishes to and plays from our own relay.
func TestDialRelay(t *testing.T) {
	srv := newRelayServer(t)
	url := rtmpURL(srv.addr, "live/dial")
	publishAndPlay(t, dial.Config{}, url, url, 1)
}

// TestDialRTMPS: the same over TLS.
func TestDialRTMPS(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cert := testcert.New(t)
	tlsLn := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}})
	addr := startServer(t, tlsLn, &live.Relay{}, driver.Config{})
	cfg := dial.Config{TLS: &tls.Config{InsecureSkipVerify: true}}
	url := "rtmps://" + addr + "/live/secure"
	publishAndPlay(t, cfg, url, url, 1)
}

// TestDialNginxRTMP: our client publishes to nginx-rtmp and plays the
// stream back from it.
func TestDialNginxRTMP(t *testing.T) {
	addr := startNginxForClient(t)
	url := rtmpURL(addr, "live/nginx")
	publishAndPlay(t, dial.Config{}, url, url, 1)
}

// TestDialFFmpegServer: our client publishes to ffmpeg listening as an
// RTMP server, which records what it gets to a file.
func TestDialFFmpegServer(t *testing.T) {
	src, srcExtra := packets(t, shortSample)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	addr := freeLoopbackAddr(t)
	url := rtmpURL(addr, "live/ffmpeg")
	out := filepath.Join(t.TempDir(), "received.flv")
	ff := runFFmpegServer(ctx, t, url, out)

	var c *dial.Conn
	waitFor(t, "ffmpeg to listen", 10*time.Second, func() bool {
		var err error
		c, err = dial.Dial(ctx, url)
		return err == nil
	})
	pub, err := c.Publish(ctx, "")
	if err != nil {
		t.Fatalf("publish: %v\n%s", err, ff.stderr.String())
	}
	if _, err := publishFLV(ctx, pub, shortSample, 0); err != nil {
		t.Fatalf("publishing: %v", err)
	}
	pub.Close()
	c.Close()
	ff.wait(t)
	checkRun(t, "ffmpeg as a server", src, srcExtra, out, 1)
}

// TestDialErrors: bad URLs, a refused publish and a server that never
// answers the handshake all come back as errors, in bounded time.
func TestDialErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, u := range []string{"http://127.0.0.1/live", "rtmp:///live", "rtmp://127.0.0.1/"} {
		if _, err := dial.Dial(ctx, u); err == nil {
			t.Errorf("Dial(%q) succeeded", u)
		}
	}

	// A second publisher of the same key is refused with BadName by a
	// relay that refuses them.
	srv := newRelayServerWith(t, &live.Relay{SecondPublisher: live.RefuseSecondPublisher})
	url := rtmpURL(srv.addr, "live/taken")
	first, err := dial.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if _, err := first.Publish(ctx, ""); err != nil {
		t.Fatal(err)
	}
	second, err := dial.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	_, err = second.Publish(ctx, "")
	var se *dial.StatusError
	if !errors.As(err, &se) || se.Code != "NetStream.Publish.BadName" {
		t.Errorf("second publish: %v, want a BadName StatusError", err)
	}
	// The refused connection still works: play the first one's stream.
	if _, err := second.Play(ctx, "taken"); err != nil {
		t.Errorf("play after a refused publish: %v", err)
	}

	// A listener that accepts and never answers: the handshake times out.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	start := time.Now()
	_, err = dial.Config{HandshakeTimeout: 300 * time.Millisecond}.Dial(ctx, rtmpURL(ln.Addr().String(), "live/x"))
	if err == nil || time.Since(start) > 5*time.Second {
		t.Errorf("silent server: %v after %v", err, time.Since(start))
	}
}
