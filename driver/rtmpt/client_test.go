package rtmpt_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/rtmpt"
	"pgregory.net/rapid"
)

// pair is a Listener on an httptest server, a client dialled to it and
// the server's end of that session.
type pair struct {
	l        *rtmpt.Listener
	requests atomic.Int64
	client   net.Conn
	server   net.Conn
}

func newPair(t testing.TB, scfg rtmpt.Config, ccfg rtmpt.DialConfig) *pair {
	t.Helper()
	p := &pair{l: rtmpt.NewListener(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, scfg)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.requests.Add(1)
		p.l.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		p.l.Close()
		srv.Close()
	})
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := p.l.Accept()
		if err == nil {
			accepted <- c
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := ccfg.Dial(ctx, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	p.client = c
	select {
	case p.server = <-accepted:
	case <-ctx.Done():
		t.Fatal("the Listener accepted no session")
	}
	t.Cleanup(func() { p.client.Close() })
	return p
}

// Whatever the bounds on both ends and however the writes are cut, the
// bytes go whole and in order both ways; once the client closes, the
// server reads the end of what it wrote, then io.EOF, and the Listener
// forgets the session.
func TestClientBytesInOrder(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		p := newPair(t, rtmpt.Config{
			IdleHold:        time.Millisecond,
			MaxReplyBytes:   rapid.IntRange(1, 64).Draw(rt, "server max reply"),
			MaxPendingBytes: rapid.IntRange(1, 64).Draw(rt, "server max pending"),
		}, rtmpt.DialConfig{
			MaxSendBytes:    rapid.IntRange(1, 64).Draw(rt, "client max send"),
			MaxPendingBytes: rapid.IntRange(1, 64).Draw(rt, "client max pending"),
		})
		up := rapid.SliceOfN(rapid.SliceOfN(rapid.Byte(), 1, 100), 0, 10).Draw(rt, "client writes")
		down := rapid.SliceOfN(rapid.SliceOfN(rapid.Byte(), 1, 100), 0, 10).Draw(rt, "server writes")
		wantUp, wantDown := bytes.Join(up, nil), bytes.Join(down, nil)

		gotUp := make(chan []byte, 1)
		go func() {
			b, _ := io.ReadAll(p.server) // until the client's close
			gotUp <- b
		}()
		go writeAll(p.server, down)
		gotDown := make([]byte, len(wantDown))
		readDone := make(chan error, 1)
		go func() {
			_, err := io.ReadFull(p.client, gotDown)
			readDone <- err
		}()
		if err := writeAll(p.client, up); err != nil {
			rt.Fatal(err)
		}
		select {
		case err := <-readDone:
			if err != nil {
				rt.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			rt.Fatal("the client's reads did not end")
		}
		if !bytes.Equal(gotDown, wantDown) {
			rt.Fatalf("client read %x, want %x", gotDown, wantDown)
		}
		p.client.Close()
		select {
		case got := <-gotUp:
			if !bytes.Equal(got, wantUp) {
				rt.Fatalf("server read %x, want %x", got, wantUp)
			}
		case <-time.After(10 * time.Second):
			rt.Fatal("the server's reads did not end after the client closed")
		}
		waitUntil(rt, func() bool { return p.l.Sessions() == 0 })
	})
}

func writeAll(c net.Conn, parts [][]byte) error {
	for _, b := range parts {
		if _, err := c.Write(b); err != nil {
			return err
		}
	}
	return nil
}

func waitUntil(t interface{ Fatal(...any) }, cond func() bool) {
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5 s")
		}
	}
}

// A server that closes the session: the client reads what it wrote
// before, then io.EOF, and its writes fail.
func TestClientSeesServerClose(t *testing.T) {
	p := newPair(t, rtmpt.Config{IdleHold: time.Millisecond}, rtmpt.DialConfig{})
	p.server.Write([]byte("goodbye"))
	p.server.Close()
	got, err := io.ReadAll(p.client)
	if err != nil || string(got) != "goodbye" {
		t.Fatalf("read %q, %v; want goodbye, then io.EOF", got, err)
	}
	if _, err := p.client.Write([]byte("x")); err == nil {
		t.Error("a write after the server's close succeeded")
	}
}

// Close fails reads and writes at once with net.ErrClosed, and still
// delivers what was written before it.
func TestClientClose(t *testing.T) {
	p := newPair(t, rtmpt.Config{IdleHold: time.Millisecond}, rtmpt.DialConfig{})
	readErr := make(chan error, 1)
	go func() {
		_, err := p.client.Read(make([]byte, 8))
		readErr <- err
	}()
	p.client.Write([]byte("last words"))
	p.client.Close()
	if err := <-readErr; !errors.Is(err, net.ErrClosed) {
		t.Errorf("a read waiting during Close: %v, want net.ErrClosed", err)
	}
	if _, err := p.client.Write([]byte("x")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("write after Close: %v, want net.ErrClosed", err)
	}
	got, err := io.ReadAll(p.server)
	if err != nil || string(got) != "last words" {
		t.Errorf("server read %q, %v; want what was written before Close", got, err)
	}
}

// An idle session polls less and less often: after ten empty replies the
// interval byte grows, and the client waits as it says (up to
// MaxPollInterval). A write goes at once, whatever the wait.
func TestClientPollsLessWhenIdle(t *testing.T) {
	p := newPair(t, rtmpt.Config{IdleHold: time.Millisecond}, rtmpt.DialConfig{})
	start := time.Now()
	// Ten polls after 10 ms waits, ten after 30, 50, 90 and 170 ms, then
	// 330 ms each: the 52nd request comes after at least 3.5 s of
	// waiting, less a few non-empty replies at the start. Without the
	// waits the requests would take a few milliseconds in all. A loaded
	// machine can only make them later.
	const requests = 52
	for deadline := start.Add(30 * time.Second); p.requests.Load() < requests; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d requests in 30 s, want %d", p.requests.Load(), requests)
		}
	}
	if d := time.Since(start); d < 3*time.Second {
		t.Errorf("%d requests in %v: the client did not wait as the replies said", requests, d)
	}
	// The client is now in a 330 ms wait, or making a request between
	// two of them.
	sent := time.Now()
	p.client.Write([]byte("now"))
	buf := make([]byte, 3)
	if _, err := io.ReadFull(p.server, buf); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(sent); d > 300*time.Millisecond {
		t.Errorf("a write during a 330 ms poll wait took %v to arrive", d)
	}
}

// Dial refuses what is not an RTMPT server, and URLs it cannot use.
func TestDialErrors(t *testing.T) {
	notRTMPT := httptest.NewServer(http.NotFoundHandler())
	defer notRTMPT.Close()
	badID := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("a/b\n"))
	}))
	defer badID.Close()
	controlID := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("a\x00b\n"))
	}))
	defer controlID.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, base := range []string{notRTMPT.URL, badID.URL, controlID.URL, "ftp://127.0.0.1", "http://"} {
		if c, err := rtmpt.Dial(ctx, base, rtmpt.DialConfig{}); err == nil {
			c.Close()
			t.Errorf("Dial(%s) succeeded", base)
		} else if !strings.HasPrefix(err.Error(), "rtmpt: ") {
			t.Errorf("Dial(%s): %v, want an rtmpt error", base, err)
		}
	}
}
