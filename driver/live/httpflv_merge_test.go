package live_test

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/httpflv"
	"github.com/gortmp/rtmp/driver/internal/sendq"
	"github.com/gortmp/rtmp/driver/live"
)

// flvServer serves r's streams as HTTP-FLV on loopback, over TLS if
// secure (HTTP/1.1 still, so connections are handed over), and returns
// its address and the connections net/http handed over to the relay, in
// the order they were.
func flvServer(t *testing.T, r *live.Relay, secure bool) (string, func() []net.Conn) {
	t.Helper()
	var mu sync.Mutex
	var hijacked []net.Conn
	srv := httptest.NewUnstartedServer(httpflv.NewHandler(r))
	srv.Config.ConnState = func(c net.Conn, s http.ConnState) {
		if s == http.StateHijacked {
			mu.Lock()
			hijacked = append(hijacked, c)
			mu.Unlock()
		}
	}
	if secure {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String(), func() []net.Conn {
		mu.Lock()
		defer mu.Unlock()
		return append([]net.Conn(nil), hijacked...)
	}
}

// flvClient is an HTTP/1.1 player that reads the response as it comes,
// keeping every byte it read.
type flvClient struct {
	conn net.Conn
	br   *bufio.Reader
	raw  bytes.Buffer
}

func getFLV(t *testing.T, addr, path string, secure bool) *flvClient {
	t.Helper()
	var conn net.Conn
	var err error
	if secure {
		conn, err = tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true})
	} else {
		conn, err = net.Dial("tcp", addr)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	c := &flvClient{conn: conn}
	c.br = bufio.NewReader(io.TeeReader(conn, &c.raw))
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", path, addr); err != nil {
		t.Fatal(err)
	}
	return c
}

// readHead reads the response head and the chunk of the FLV file header
// before the deadline.
func (c *flvClient) readHead(deadline time.Time) error {
	c.conn.SetReadDeadline(deadline)
	var head strings.Builder
	for !strings.HasSuffix(head.String(), "\r\n\r\n") {
		line, err := c.br.ReadString('\n')
		if err != nil {
			return fmt.Errorf("response head: %w", err)
		}
		head.WriteString(line)
	}
	if !strings.HasPrefix(head.String(), "HTTP/1.1 200 OK\r\n") || !strings.Contains(head.String(), "Transfer-Encoding: chunked\r\n") {
		return fmt.Errorf("response head %q", head.String())
	}
	b, err := c.readChunk()
	if err != nil {
		return fmt.Errorf("FLV header: %w", err)
	}
	if len(b) != 13 || string(b[:3]) != "FLV" {
		return fmt.Errorf("FLV header %x", b)
	}
	return nil
}

// readChunk reads one chunk of the body: empty for the last.
func (c *flvClient) readChunk() ([]byte, error) {
	line, err := c.br.ReadString('\n')
	if err != nil {
		return nil, err
	}
	n, err := strconv.ParseUint(strings.TrimSuffix(line, "\r\n"), 16, 31)
	if err != nil {
		return nil, fmt.Errorf("chunk size line %q", line)
	}
	b := make([]byte, n+2)
	if _, err := io.ReadFull(c.br, b); err != nil {
		return nil, err
	}
	if string(b[n:]) != "\r\n" {
		return nil, errors.New("chunk not ended by CRLF")
	}
	return b[:n], nil
}

// flvTag is what a player reads of one tag.
type flvTag struct {
	Type      byte
	Timestamp uint32
	Data      []byte
}

// readTags reads n chunks, each one FLV tag, before the deadline.
func (c *flvClient) readTags(n int, deadline time.Time) ([]flvTag, error) {
	c.conn.SetReadDeadline(deadline)
	var tags []flvTag
	for len(tags) < n {
		b, err := c.readChunk()
		if err != nil {
			return tags, err
		}
		if len(b) < 15 {
			return tags, fmt.Errorf("tag of %d bytes", len(b))
		}
		size := int(b[1])<<16 | int(b[2])<<8 | int(b[3])
		if len(b) != 11+size+4 {
			return tags, fmt.Errorf("tag of %d bytes carries %d", len(b), size)
		}
		ts := uint32(b[7])<<24 | uint32(b[4])<<16 | uint32(b[5])<<8 | uint32(b[6])
		tags = append(tags, flvTag{b[0], ts, b[11 : 11+size]})
	}
	return tags, nil
}

// readEnd reads the body's last chunk and the connection's end.
func (c *flvClient) readEnd(deadline time.Time) error {
	c.conn.SetReadDeadline(deadline)
	b, err := c.readChunk()
	if err != nil {
		return err
	}
	if len(b) != 0 {
		return fmt.Errorf("a chunk of %d bytes where the body should end", len(b))
	}
	if _, err := c.br.ReadByte(); err != io.EOF {
		return fmt.Errorf("after the body's end: %v, want the connection closed", err)
	}
	return nil
}

// quiet reports whether nothing arrives for d.
func (c *flvClient) quiet(d time.Duration) error {
	c.conn.SetReadDeadline(time.Now().Add(d))
	b, err := c.br.Peek(1)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return nil
	}
	return fmt.Errorf("read %x (%v), want nothing for %v", b, err, d)
}

// mergeMedia are a sequence header and a keyframe (the fast start), then n
// live messages, inter frames and audio.
func mergeMedia(n int) []relay.Media {
	ms := []relay.Media{
		{Kind: relay.Video, Payload: []byte{0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f}},
		{Kind: relay.Video, Payload: []byte{0x17, 1, 0, 0, 0, 0x65, 0x88, 0x80}},
	}
	for i := range n {
		ts := uint32(40 * (i + 1))
		if i%2 == 0 {
			ms = append(ms, relay.Media{Kind: relay.Video, Timestamp: ts, Payload: []byte{0x27, 1, 0, 0, 0, 0x41, byte(i), 0x9a}})
		} else {
			ms = append(ms, relay.Media{Kind: relay.Audio, Timestamp: ts, Payload: []byte{0xaf, 1, byte(i), 0x21}})
		}
	}
	return ms
}

// With Relay.MergeWrites, an HTTP-FLV player's live media is held for the
// merged write, but not the response head, the FLV header and the fast
// start, nor a late player's fast start while the first one's media is
// held, and the end of the stream takes what is held with it. The period
// is an hour, so nothing leaves by the clock: what arrives was not held.
// Each player reads the same bytes as without merged writes. The
// connection net/http hands over is plain TCP, which the merger writes
// itself (one writev per flush); over TLS it is not, and the player's
// writer goroutine writes what is held, through TLS, when it must go.
func TestHTTPFLVMergedWritesHoldOnlyLiveMedia(t *testing.T) {
	t.Run("TCP", func(t *testing.T) { holdOnlyLiveMedia(t, false) })
	t.Run("TLS", func(t *testing.T) { holdOnlyLiveMedia(t, true) })
}

func holdOnlyLiveMedia(t *testing.T, secure bool) {
	const liveN = 10
	media := mergeMedia(liveN)
	path := relay.Path{App: "live", Key: "merge"}
	var raws [2][2][]byte // per run: the first player's bytes, the late one's
	for run, merge := range []time.Duration{0, time.Hour} {
		r := &live.Relay{MergeWrites: merge}
		addr, hijacked := flvServer(t, r, secure)
		pub, err := r.PublishLocal(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range media[:2] {
			pub.WriteMedia(m)
		}
		first := getFLV(t, addr, "/live/merge.flv", secure)
		soon := func() time.Time { return time.Now().Add(5 * time.Second) }
		if err := first.readHead(soon()); err != nil {
			t.Fatalf("merge %v: the head did not arrive: %v", merge, err)
		}
		if _, err := first.readTags(2, soon()); err != nil {
			t.Fatalf("merge %v: the fast start did not arrive: %v", merge, err)
		}
		conns := hijacked()
		if len(conns) != 1 || (sendq.PlainTCP(conns[0]) != nil) == secure {
			t.Fatalf("merge %v: handed over %v, want one connection, plain TCP unless over TLS", merge, conns)
		}
		for _, m := range media[2:] {
			pub.WriteMedia(m)
		}
		// A late player's fast start (the whole group so far) arrives
		// while the first player's live media is held.
		late := getFLV(t, addr, "/live/merge.flv", secure)
		if err := late.readHead(soon()); err != nil {
			t.Fatalf("merge %v: the late player's head did not arrive: %v", merge, err)
		}
		if _, err := late.readTags(len(media), soon()); err != nil {
			t.Fatalf("merge %v: the late player's fast start did not arrive: %v", merge, err)
		}
		if merge > 0 {
			if err := first.quiet(300 * time.Millisecond); err != nil {
				t.Fatalf("merge %v: live media arrived before any flush: %v", merge, err)
			}
		}
		// The end of the stream carries what is held.
		pub.Close()
		rest, err := first.readTags(liveN, soon())
		if err != nil {
			t.Fatalf("merge %v: held media did not leave with the stream's end: got %d of %d: %v", merge, len(rest), liveN, err)
		}
		for i, tag := range rest {
			if m := media[2+i]; tag.Timestamp != m.Timestamp || !bytes.Equal(tag.Data, m.Payload) {
				t.Fatalf("merge %v: live tag %d is %+v, want %+v", merge, i, tag, m)
			}
		}
		for _, c := range []*flvClient{first, late} {
			if err := c.readEnd(soon()); err != nil {
				t.Fatalf("merge %v: the body did not end at once: %v", merge, err)
			}
		}
		raws[run] = [2][]byte{first.raw.Bytes(), late.raw.Bytes()}
		if !bytes.Equal(raws[run][0], raws[run][1]) {
			t.Errorf("merge %v: the late player read other bytes than the first", merge)
		}
	}
	for i, who := range []string{"first", "late"} {
		if !bytes.Equal(raws[0][i], raws[1][i]) {
			t.Errorf("merged writes changed the %s player's bytes:\nunmerged %q\nmerged   %q", who, raws[0][i], raws[1][i])
		}
	}
}

// dataSegmentsOut is how many segments carrying data a TCP connection
// sent: on loopback with TCP_NODELAY (Go's default), one per small write.
func dataSegmentsOut(t *testing.T, c net.Conn) uint32 {
	t.Helper()
	rc := sendq.PlainTCP(c)
	if rc == nil {
		t.Fatalf("%T is not plain TCP", c)
	}
	var info *unix.TCPInfo
	var err error
	if cerr := rc.Control(func(fd uintptr) {
		info, err = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO)
	}); cerr != nil {
		t.Fatal(cerr)
	}
	if err != nil {
		t.Fatal(err)
	}
	return info.Data_segs_out
}

// With Relay.MergeWrites of 50 ms, an HTTP-FLV player's live media, a
// message every 5 ms, leaves in merged writes: the server's socket sends
// a few segments where without merging it sends one per message, and
// every message still reaches the player within the period plus what
// the machine adds. Over TLS, where the player's writer goroutine writes
// what the merger holds, each message arrives in time too.
func TestHTTPFLVMergedWritesWaitAtMostThePeriod(t *testing.T) {
	t.Run("TCP", func(t *testing.T) { waitAtMostThePeriod(t, false) })
	t.Run("TLS", func(t *testing.T) { waitAtMostThePeriod(t, true) })
}

func waitAtMostThePeriod(t *testing.T, secure bool) {
	const period = 50 * time.Millisecond
	// What a loaded machine (CI, the race detector) may add to a flush.
	const slack = 200 * time.Millisecond
	const liveN = 60
	path := relay.Path{App: "live", Key: "mergeperiod"}
	var segments [2]uint32
	for run, merge := range []time.Duration{0, period} {
		media := mergeMedia(liveN)
		for i := 2; i < len(media); i += 10 {
			media[i].Payload = append([]byte{0x17}, media[i].Payload[1:]...) // a keyframe every 10 messages
		}
		r := &live.Relay{MergeWrites: merge}
		addr, hijacked := flvServer(t, r, secure)
		pub, err := r.PublishLocal(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range media[:2] {
			pub.WriteMedia(m)
		}
		c := getFLV(t, addr, "/live/mergeperiod.flv", secure)
		deadline := time.Now().Add(10 * time.Second)
		if err := c.readHead(deadline); err != nil {
			t.Fatal(err)
		}
		if _, err := c.readTags(2, deadline); err != nil {
			t.Fatal(err)
		}
		conns := hijacked()
		if len(conns) != 1 {
			t.Fatalf("%d connections handed over, want 1", len(conns))
		}
		var before uint32
		if !secure {
			before = dataSegmentsOut(t, conns[0])
		}

		var mu sync.Mutex
		sentAt := map[uint32]time.Time{}
		published := make(chan struct{})
		go func() {
			defer close(published)
			for _, m := range media[2:] {
				mu.Lock()
				sentAt[m.Timestamp] = time.Now()
				mu.Unlock()
				pub.WriteMedia(m)
				time.Sleep(5 * time.Millisecond)
			}
		}()
		var worst time.Duration
		var worstTS uint32
		for range liveN {
			tags, err := c.readTags(1, deadline)
			if err != nil {
				t.Fatalf("merge %v: %v", merge, err)
			}
			arrived := time.Now()
			mu.Lock()
			wait := arrived.Sub(sentAt[tags[0].Timestamp])
			mu.Unlock()
			if wait > worst {
				worst, worstTS = wait, tags[0].Timestamp
			}
		}
		<-published
		if !secure {
			segments[run] = dataSegmentsOut(t, conns[0]) - before
		}
		pub.Close()
		if err := c.readEnd(deadline); err != nil {
			t.Fatalf("merge %v: %v", merge, err)
		}
		if worst > period+slack {
			t.Errorf("merge %v: the message at %d ms waited %v, over the %v period and %v of slack", merge, worstTS, worst, period, slack)
		}
		t.Logf("merge %v: longest wait %v (message at %d ms)", merge, worst, worstTS)
		if !secure {
			t.Logf("merge %v: %d live messages in %d segments", merge, liveN, segments[run])
		}
	}
	if secure {
		return // TLS writes a record per message: its segments say nothing of merging
	}
	// About 300 ms of messages make 7 flushes at 50 ms.
	if segments[1] > liveN/3 {
		t.Errorf("merged, %d live messages left in %d segments, want at most %d", liveN, segments[1], liveN/3)
	}
	if segments[1]*2 > segments[0] {
		t.Errorf("merged, %d segments; unmerged %d: want under half", segments[1], segments[0])
	}
}
