package rtmpt

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// contentType is what RTMPT requests and replies carry.
const contentType = "application/x-fcs"

// ServeHTTP serves one RTMPT request.
func (l *Listener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "RTMPT takes POST requests", http.StatusMethodNotAllowed)
		return
	}
	command, id := parsePath(r.URL.Path)
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, int64(l.cfg.MaxRequestBytes)))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			if s := l.find(id); s != nil {
				s.end()
			}
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		}
		return
	}
	switch command {
	case "open":
		s, err := l.open(r)
		switch {
		case errors.Is(err, errTooMany):
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		case err != nil:
			http.Error(w, "not accepting sessions", http.StatusServiceUnavailable)
			return
		}
		write(w, []byte(s.id+"\n"))
		return
	case "send", "idle", "close":
	default:
		// Flash Player asks for /fcs/ident2 first and goes on when it is
		// not found.
		http.NotFound(w, r)
		return
	}
	s := l.find(id)
	if s == nil {
		http.NotFound(w, r)
		return
	}
	switch command {
	case "send":
		if !s.deliver(body) {
			http.NotFound(w, r)
			return
		}
	case "close":
		write(w, s.closeByClient())
		return
	}
	// An idle request's body (a single zero byte) carries nothing; the
	// reply may wait a little for something to carry. A send's reply goes
	// at once: the client may have more to send.
	var hold time.Duration
	if command == "idle" {
		hold = l.cfg.IdleHold
	}
	b, ok := s.reply(hold)
	switch {
	case ok:
		write(w, b)
	default:
		http.NotFound(w, r)
	}
}

// write sends a reply body, with its length: librtmp reads a reply by
// its Content-Length and takes a chunked one (what net/http sends for a
// body over 2 KiB without it) for no reply at all.
func write(w http.ResponseWriter, b []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

// parsePath splits /COMMAND/ID/SEQ (or /open/1) into the command and the
// session id; the sequence number is not checked.
func parsePath(path string) (command, id string) {
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	command = parts[0]
	if len(parts) >= 3 {
		id = parts[1]
	}
	return command, id
}
