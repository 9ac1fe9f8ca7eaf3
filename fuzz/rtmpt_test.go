package fuzz

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/rtmpt"
)

// rtmptFuzzConfig is small so that scripts reach every bound.
var rtmptFuzzConfig = rtmpt.Config{
	SessionTimeout:  500 * time.Millisecond,
	MaxSessions:     4,
	MaxRequestBytes: 48,
	MaxReplyBytes:   32,
	MaxPendingBytes: 64,
	IdleHold:        time.Nanosecond,
	ReadGrace:       time.Nanosecond,
}

// intervals are the polling interval bytes a reply may start with.
const intervals = "\x01\x03\x05\x09\x11\x21"

// FuzzRTMPTRequests drives an RTMPT Listener with a script of requests
// decoded from in: opens, sends, idles and closes of the sessions opened so
// far and of unknown ones, other paths and methods, bodies of any size,
// while the server's end of every session echoes what it reads. Nothing
// may panic or hang; every status is one the handler gives; every 200
// reply to send or idle starts with an interval byte; no more sessions are
// open than MaxSessions; and once the listener and the sessions close,
// every session's goroutine ends.
func FuzzRTMPTRequests(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0, 5, 'h', 'e', 'l', 'l', 'o', 2, 0, 0, 3, 0, 0})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 47})
	f.Add([]byte{5, 0, 0, 6, 0, 11, '/', 'f', 'c', 's', '/', 'i', 'd', 'e', 'n', 't', '2', 4, 0, 1, 'x'})
	f.Add(append([]byte{0, 0, 0, 1, 0, 63}, bytes.Repeat([]byte{'z'}, 63)...))
	f.Fuzz(func(t *testing.T, script []byte) {
		l := rtmpt.NewListener(&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 80}, rtmptFuzzConfig)
		var wg sync.WaitGroup
		var conns []net.Conn
		accepting := make(chan struct{})
		go func() {
			defer close(accepting)
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				conns = append(conns, c)
				wg.Add(1)
				go func() {
					defer wg.Done()
					io.Copy(c, c)
				}()
			}
		}()

		var ids []string
		seq := 0
		do := func(method, path string, body []byte) *httptest.ResponseRecorder {
			w := httptest.NewRecorder()
			l.ServeHTTP(w, httptest.NewRequest(method, path, bytes.NewReader(body)))
			switch w.Code {
			case http.StatusOK, http.StatusNotFound, http.StatusMethodNotAllowed,
				http.StatusRequestEntityTooLarge, http.StatusServiceUnavailable:
			default:
				t.Fatalf("%s %s: status %d", method, path, w.Code)
			}
			return w
		}
		for len(script) > 0 {
			op := script[0] % 7
			var arg byte
			var body []byte
			if len(script) > 1 {
				arg = script[1]
			}
			if len(script) > 2 {
				n := min(int(script[2])%64, len(script)-3)
				body = script[3 : 3+n]
				script = script[3+n:]
			} else {
				script = nil
			}
			seq++
			switch op {
			case 0:
				w := do(http.MethodPost, "/open/1", body)
				if w.Code == http.StatusOK {
					id, ok := strings.CutSuffix(w.Body.String(), "\n")
					if !ok || id == "" {
						t.Fatalf("open replied %q", w.Body.String())
					}
					ids = append(ids, id)
				}
			case 1, 2, 3:
				if len(ids) == 0 {
					continue
				}
				command := [...]string{"send", "idle", "close"}[op-1]
				w := do(http.MethodPost, fmt.Sprintf("/%s/%s/%d", command, ids[int(arg)%len(ids)], seq), body)
				if w.Code == http.StatusOK && command != "close" {
					if b := w.Body.Bytes(); len(b) == 0 || !strings.ContainsRune(intervals, rune(b[0])) {
						t.Fatalf("%s replied %q: no interval byte", command, b)
					}
				}
			case 4:
				do(http.MethodPost, fmt.Sprintf("/idle/%x/%d", arg, seq), body)
			case 5:
				do(http.MethodGet, "/open/1", nil)
			case 6:
				// Any path a request line can carry (net/http refuses
				// the rest before a handler sees them).
				do(http.MethodPost, "/"+strings.Map(func(r rune) rune {
					if r < '!' || r > '~' || strings.ContainsRune("%?#", r) {
						return '/'
					}
					return r
				}, string(body)), body)
			}
			if n := l.Sessions(); n > rtmptFuzzConfig.MaxSessions {
				t.Fatalf("%d sessions open, more than %d", n, rtmptFuzzConfig.MaxSessions)
			}
		}

		// Once Accept has returned its error, every session it took is
		// in conns.
		l.Close()
		<-accepting
		for _, c := range conns {
			c.Close()
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("session goroutines did not end after every session closed")
		}
	})
}
