package rtmpt_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/rtmpt"
	"pgregory.net/rapid"
)

// tunnel is a test client of a Listener mounted on an httptest server.
type tunnel struct {
	t   testing.TB
	srv *httptest.Server
	l   *rtmpt.Listener
	id  string
	seq int
}

func newTunnel(t testing.TB, cfg rtmpt.Config) *tunnel {
	t.Helper()
	tu := &tunnel{t: t}
	tu.l = rtmpt.NewListener(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)}, cfg)
	tu.srv = httptest.NewServer(tu.l)
	t.Cleanup(func() {
		tu.l.Close()
		tu.srv.Close()
	})
	return tu
}

// post sends one request and returns the status and the reply body.
func (tu *tunnel) post(path string, body []byte) (int, []byte) {
	tu.t.Helper()
	resp, err := http.Post(tu.srv.URL+path, "application/x-fcs", bytes.NewReader(body))
	if err != nil {
		tu.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tu.t.Fatal(err)
	}
	return resp.StatusCode, b
}

// open opens a session and returns the server's end of it.
func (tu *tunnel) open() net.Conn {
	tu.t.Helper()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := tu.l.Accept()
		if err == nil {
			accepted <- c
		}
	}()
	status, body := tu.post("/open/1", []byte{0})
	if status != http.StatusOK || !bytes.HasSuffix(body, []byte("\n")) || len(body) < 9 {
		tu.t.Fatalf("open: %d %q", status, body)
	}
	tu.id, tu.seq = strings.TrimSuffix(string(body), "\n"), 0
	select {
	case c := <-accepted:
		return c
	case <-time.After(5 * time.Second):
		tu.t.Fatal("Accept returned no session")
		return nil
	}
}

// call sends one send, idle or close request of the session.
func (tu *tunnel) call(command string, body []byte) (int, []byte) {
	tu.t.Helper()
	path := fmt.Sprintf("/%s/%s/%d", command, tu.id, tu.seq)
	tu.seq++
	return tu.post(path, body)
}

// reply checks a 200 reply and returns its RTMP bytes.
func (tu *tunnel) reply(status int, body []byte) []byte {
	tu.t.Helper()
	if status != http.StatusOK || len(body) < 1 {
		tu.t.Fatalf("reply %d %q, want 200 with the interval byte", status, body)
	}
	return body[1:]
}

// Bytes go both ways in order: what the client sends comes out of Read,
// what the server writes comes back in the replies, each reply led by the
// polling interval byte, 1 while data flows and growing after every ten
// empty replies.
func TestSessionCarriesBytes(t *testing.T) {
	tu := newTunnel(t, rtmpt.Config{IdleHold: time.Millisecond})
	c := tu.open()
	if got := tu.reply(tu.call("send", []byte("hello"))); len(got) != 0 {
		t.Errorf("send replied %q before the server wrote anything", got)
	}
	buf := make([]byte, 16)
	n, err := c.Read(buf)
	if err != nil || string(buf[:n]) != "hello" {
		t.Fatalf("Read %q, %v", buf[:n], err)
	}
	if _, err := c.Write([]byte("world")); err != nil {
		t.Fatal(err)
	}
	status, body := tu.call("idle", []byte{0})
	if status != 200 || string(body) != "\x01world" {
		t.Fatalf("idle: %d %q, want 200 \\x01world", status, body)
	}
	var intervals []byte
	for range 61 {
		status, body := tu.call("idle", []byte{0})
		if status != 200 || len(body) != 1 {
			t.Fatalf("empty idle: %d %q", status, body)
		}
		intervals = append(intervals, body[0])
	}
	want := []byte{1, 3, 5, 9, 0x11, 0x21, 0x21}
	for i, w := range want {
		if got := intervals[i*10]; got != w {
			t.Errorf("interval after %d empty replies: %#x, want %#x", i*10+1, got, w)
		}
	}
	if _, err := c.Write([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if status, body := tu.call("idle", []byte{0}); status != 200 || string(body) != "\x01x" {
		t.Errorf("after data the interval is back to 1: got %d %q", status, body)
	}
}

// An idle request with nothing to carry waits up to IdleHold for the
// server to write, and goes as soon as it does; a send's reply never
// waits.
func TestIdleHold(t *testing.T) {
	tu := newTunnel(t, rtmpt.Config{IdleHold: 2 * time.Second})
	c := tu.open()
	go func() {
		time.Sleep(50 * time.Millisecond)
		c.Write([]byte("x"))
	}()
	start := time.Now()
	if got := tu.reply(tu.call("idle", []byte{0})); string(got) != "x" {
		t.Errorf("held idle carried %q, want x", got)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("held idle took %v after the write; want it to go with the write", d)
	}
	start = time.Now()
	if got := tu.reply(tu.call("send", []byte("y"))); len(got) != 0 {
		t.Errorf("send carried %q", got)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("an empty send reply took %v; it must not wait", d)
	}

	tu = newTunnel(t, rtmpt.Config{IdleHold: 100 * time.Millisecond})
	tu.open()
	start = time.Now()
	if got := tu.reply(tu.call("idle", []byte{0})); len(got) != 0 {
		t.Errorf("empty idle carried %q", got)
	}
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("empty idle came back after %v, before IdleHold", d)
	}
}

// The client's close ends the session: its reply carries what the server
// wrote, Read returns io.EOF, the session's next request is answered 404
// and the Listener forgets it at once.
func TestClientCloses(t *testing.T) {
	tu := newTunnel(t, rtmpt.Config{})
	c := tu.open()
	c.Write([]byte("late"))
	if status, body := tu.call("close", []byte{0}); status != 200 || string(body) != "\x00late" {
		t.Fatalf("close: %d %q, want 200 \\x00late", status, body)
	}
	if _, err := c.Read(make([]byte, 4)); err != io.EOF {
		t.Errorf("Read after close: %v, want io.EOF", err)
	}
	if status, _ := tu.call("idle", []byte{0}); status != http.StatusNotFound {
		t.Errorf("idle after close: %d, want 404", status)
	}
	if n := tu.l.Sessions(); n != 0 {
		t.Errorf("%d sessions left", n)
	}
}

// The server's Close lets the client fetch what was written before, then
// answers 404; writes after it fail.
func TestServerCloses(t *testing.T) {
	tu := newTunnel(t, rtmpt.Config{})
	c := tu.open()
	c.Write([]byte("bye"))
	c.Close()
	if _, err := c.Write([]byte("more")); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Write after Close: %v, want net.ErrClosed", err)
	}
	if got := tu.reply(tu.call("idle", []byte{0})); string(got) != "bye" {
		t.Errorf("idle after Close: %q, want bye", got)
	}
	if status, _ := tu.call("idle", []byte{0}); status != http.StatusNotFound {
		t.Errorf("second idle after Close: %d, want 404", status)
	}
	if n := tu.l.Sessions(); n != 0 {
		t.Errorf("%d sessions left", n)
	}
}

// A client that stops asking loses its session after SessionTimeout.
func TestSessionTimesOut(t *testing.T) {
	tu := newTunnel(t, rtmpt.Config{SessionTimeout: 100 * time.Millisecond})
	c := tu.open()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Read(make([]byte, 4)); err != io.EOF {
		t.Fatalf("Read of a quiet session: %v, want io.EOF", err)
	}
	if n := tu.l.Sessions(); n != 0 {
		t.Errorf("%d sessions left", n)
	}
}

// Deadlines make Read and a Write with no room return a timeout.
func TestDeadlines(t *testing.T) {
	tu := newTunnel(t, rtmpt.Config{MaxPendingBytes: 4})
	c := tu.open()
	c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	_, err := c.Read(make([]byte, 4))
	var ne net.Error
	if !errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("Read past its deadline: %v, want a timeout", err)
	}
	if _, err := c.Write([]byte("1234")); err != nil {
		t.Fatal(err)
	}
	c.SetWriteDeadline(time.Now().Add(20 * time.Millisecond))
	if _, err := c.Write([]byte("5")); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Errorf("Write with no room past its deadline: %v, want a timeout", err)
	}
	// A reply makes room.
	c.SetWriteDeadline(time.Time{})
	done := make(chan error, 1)
	go func() { _, err := c.Write([]byte("5")); done <- err }()
	if got := tu.reply(tu.call("idle", []byte{0})); string(got) != "1234" {
		t.Errorf("idle: %q", got)
	}
	if err := <-done; err != nil {
		t.Errorf("Write after room was made: %v", err)
	}
}

// A client that sends and takes its data only from the send replies keeps
// going while the server writes as much as it reads: the server waiting
// for room to write never holds a send, which would wait for the server to
// read, until the session timeout.
func TestSendsWhileServerWaitsToWrite(t *testing.T) {
	tu := newTunnel(t, rtmpt.Config{MaxPendingBytes: 8, MaxReplyBytes: 16, SessionTimeout: 5 * time.Second, IdleHold: time.Millisecond})
	c := tu.open()
	go io.Copy(c, c) // echo
	var sent, got []byte
	for i := range 20 {
		body := bytes.Repeat([]byte{byte('a' + i)}, 8)
		sent = append(sent, body...)
		start := time.Now()
		got = append(got, tu.reply(tu.call("send", body))...)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("send %d took %v", i, d)
		}
	}
	for range 200 {
		if len(got) >= len(sent) {
			break
		}
		got = append(got, tu.reply(tu.call("idle", []byte{0}))...)
	}
	if !bytes.Equal(got, sent) {
		t.Errorf("echo %q, want %q", got, sent)
	}
	c.Close()
}

// A client that sends far more than it takes (the server echoes, replies
// carry 4 bytes, the client sends 8 at a time and never polls) fills both
// directions: the server waits for room to write and reads no more. Its
// sends are not held until the session timeout, which only a reply could
// end: past twice MaxPendingBytes unread, the session ends at once.
func TestClientThatTakesTooLittleEnds(t *testing.T) {
	tu := newTunnel(t, rtmpt.Config{MaxPendingBytes: 8, MaxReplyBytes: 4, SessionTimeout: 5 * time.Second, IdleHold: time.Millisecond})
	c := tu.open()
	go io.Copy(c, c) // echo
	for i := range 50 {
		start := time.Now()
		status, _ := tu.call("send", bytes.Repeat([]byte{'x'}, 8))
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("send %d held for %v", i, d)
		}
		if status == http.StatusNotFound {
			return
		}
	}
	t.Error("the session went on with 400 bytes sent and 200 taken")
}

// Requests over the bounds are refused: a body over MaxRequestBytes (413,
// and the session ends), a session over MaxSessions (503); replies carry
// at most MaxReplyBytes; unknown sessions and paths get 404, other methods
// 405, and a closed Listener accepts nothing.
func TestBounds(t *testing.T) {
	tu := newTunnel(t, rtmpt.Config{MaxRequestBytes: 10, MaxSessions: 1, MaxReplyBytes: 4})
	c := tu.open()
	if status, _ := tu.post("/open/1", []byte{0}); status != http.StatusServiceUnavailable {
		t.Errorf("second session: %d, want 503", status)
	}
	c.Write([]byte("0123456789"))
	var got []string
	for range 3 {
		got = append(got, string(tu.reply(tu.call("idle", []byte{0}))))
	}
	if strings.Join(got, "|") != "0123|4567|89" {
		t.Errorf("replies %q, want 4 bytes at most each", got)
	}
	if status, _ := tu.post("/idle/nosuchsession/1", []byte{0}); status != http.StatusNotFound {
		t.Errorf("unknown session: %d, want 404", status)
	}
	if status, _ := tu.post("/fcs/ident2", []byte{0}); status != http.StatusNotFound {
		t.Errorf("/fcs/ident2: %d, want 404", status)
	}
	resp, err := http.Get(tu.srv.URL + "/open/1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d, want 405", resp.StatusCode)
	}
	if status, _ := tu.call("send", make([]byte, 11)); status != http.StatusRequestEntityTooLarge {
		t.Errorf("11-byte body: %d, want 413", status)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := c.Read(make([]byte, 4)); err != io.EOF {
		t.Errorf("Read after an oversized request: %v, want io.EOF", err)
	}

	tu.l.Close()
	if _, err := tu.l.Accept(); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Accept after Close: %v", err)
	}
	if status, _ := tu.post("/open/1", []byte{0}); status != http.StatusServiceUnavailable {
		t.Errorf("open after Close: %d, want 503", status)
	}
}

// Whatever the split into requests, writes and reads, and whatever the
// bounds, the bytes arrive whole and in order both ways.
func TestBytesInOrder(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		cfg := rtmpt.Config{
			IdleHold:        time.Millisecond,
			MaxReplyBytes:   rapid.IntRange(1, 64).Draw(rt, "max reply"),
			MaxPendingBytes: rapid.IntRange(1, 64).Draw(rt, "max pending"),
		}
		tu := newTunnel(t, cfg)
		c := tu.open()
		up := rapid.SliceOfN(rapid.SliceOfN(rapid.Byte(), 1, 40), 0, 8).Draw(rt, "client sends")
		down := rapid.SliceOfN(rapid.SliceOfN(rapid.Byte(), 1, 40), 0, 8).Draw(rt, "server writes")

		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		// The server reads everything and writes its parts.
		var wantUp, wantDown []byte
		for _, b := range up {
			wantUp = append(wantUp, b...)
		}
		for _, b := range down {
			wantDown = append(wantDown, b...)
		}
		gotUp := make(chan []byte, 1)
		go func() {
			b := make([]byte, len(wantUp))
			_, err := io.ReadFull(c, b)
			if err != nil {
				b = nil
			}
			gotUp <- b
		}()
		wrote := make(chan error, 1)
		go func() {
			for _, b := range down {
				if _, err := c.Write(b); err != nil {
					wrote <- err
					return
				}
			}
			wrote <- nil
		}()
		var gotDown []byte
		for _, b := range up {
			gotDown = append(gotDown, tu.reply(tu.call("send", b))...)
		}
		for len(gotDown) < len(wantDown) && ctx.Err() == nil {
			gotDown = append(gotDown, tu.reply(tu.call("idle", []byte{0}))...)
		}
		if err := <-wrote; err != nil {
			rt.Fatal(err)
		}
		if got := <-gotUp; !bytes.Equal(got, wantUp) {
			rt.Fatalf("server read %x, want %x", got, wantUp)
		}
		if !bytes.Equal(gotDown, wantDown) {
			rt.Fatalf("client got %x, want %x", gotDown, wantDown)
		}
		c.Close()
	})
}
