package fuzz

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/rtmpt"
)

// scriptedServer answers an RTMPT client's requests with replies decoded
// from a fuzz script, in order, then 404 (the session is gone).
type scriptedServer struct {
	mu      sync.Mutex
	replies []scriptedReply
}

type scriptedReply struct {
	status int
	body   []byte
}

// decodeReplies reads replies from script: a status selector (mostly 200,
// else 404 or 500) and a length byte, then that many body bytes.
func decodeReplies(script []byte) []scriptedReply {
	var out []scriptedReply
	for len(script) >= 2 {
		status := http.StatusOK
		switch script[0] % 8 {
		case 6:
			status = http.StatusNotFound
		case 7:
			status = http.StatusInternalServerError
		}
		n := min(int(script[1]), len(script)-2)
		out = append(out, scriptedReply{status, script[2 : 2+n]})
		script = script[2+n:]
	}
	return out
}

func (s *scriptedServer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	s.mu.Lock()
	r := scriptedReply{status: http.StatusNotFound}
	if len(s.replies) > 0 {
		r, s.replies = s.replies[0], s.replies[1:]
	}
	s.mu.Unlock()
	return &http.Response{
		StatusCode: r.status, Status: http.StatusText(r.status), Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(r.body)), ContentLength: int64(len(r.body)), Request: req,
	}, nil
}

// clientReplyLimit is the fuzzed client's MaxReplyBytes: small, so that
// scripts reach it.
const clientReplyLimit = 40

// FuzzRTMPTClient runs the RTMPT client against a server whose replies
// are the script: whatever they are, nothing panics or hangs, a bad first
// reply fails Dial, and otherwise the client reads exactly the RTMP bytes
// of the 200 replies, in order, up to the first reply that ends the
// session: io.EOF after a 404, an error after any other status, a reply
// without its interval byte or one over MaxReplyBytes.
func FuzzRTMPTClient(f *testing.F) {
	f.Add([]byte{0, 3, 'a', 'b', '\n', 0, 4, 1, 'x', 'y', 'z', 0, 1, 3, 6, 0})
	f.Add([]byte{0, 2, 'i', 'd', 0, 0})
	f.Add([]byte{0, 2, 'i', 'd', 7, 3, 'e', 'r', 'r'})
	f.Add([]byte{0, 1, '/'})
	f.Add(append([]byte{0, 1, 'k', 0, 50}, bytes.Repeat([]byte{1}, 50)...))
	f.Fuzz(func(t *testing.T, script []byte) {
		replies := decodeReplies(script)
		srv := &scriptedServer{replies: append([]scriptedReply(nil), replies...)}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c, err := rtmpt.DialConfig{
			Transport:       srv,
			MaxReplyBytes:   clientReplyLimit,
			MaxPollInterval: time.Nanosecond,
		}.Dial(ctx, "http://127.0.0.1:1")
		if len(replies) == 0 || replies[0].status != http.StatusOK || len(bytes.TrimSpace(replies[0].body)) == 0 {
			if err == nil {
				c.Close()
				t.Fatalf("Dial succeeded on first reply %+v", replies)
			}
			return
		}
		if err != nil {
			return // an id the client will not use
		}
		defer c.Close()
		c.Write([]byte("hello"))
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		got, err := io.ReadAll(c)

		var want []byte
		wantEOF := true
		for _, r := range replies[1:] {
			if r.status != http.StatusOK || len(r.body) == 0 || len(r.body) > clientReplyLimit {
				wantEOF = r.status == http.StatusNotFound
				break
			}
			want = append(want, r.body[1:]...)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("read %q, want %q", got, want)
		}
		if wantEOF != (err == nil) || errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("reads ended with %v; want io.EOF: %v", err, wantEOF)
		}
	})
}
