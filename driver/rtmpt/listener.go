package rtmpt

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// Config bounds a Listener. Zero fields take their defaults.
type Config struct {
	// SessionTimeout ends a session whose client made no request for this
	// long; default 30 s. Clients poll many times a second.
	SessionTimeout time.Duration
	// MaxSessions is how many sessions may be open at once; default
	// 10,000. Opening one more is answered 503.
	MaxSessions int
	// MaxRequestBytes bounds one request's body; default 1 MiB. A larger
	// one is answered 413 and ends its session.
	MaxRequestBytes int
	// MaxReplyBytes bounds the RTMP bytes of one reply; default 256 KiB.
	// The rest waits for the next request.
	MaxReplyBytes int
	// IdleHold is how long an idle request with nothing to carry waits
	// for the server to write before its empty reply goes; default 50 ms.
	// librtmp polls again at once after an empty reply, whatever the
	// interval byte says: without the hold, thousands of requests a second.
	// Data written meanwhile leaves at once.
	IdleHold time.Duration
	// MaxPendingBytes bounds what the server wrote and no reply carried
	// yet, and what a client sent and the server did not read yet; default
	// 4 MiB. Past it a write waits for the client's next request, and a
	// request waits for the server to read.
	MaxPendingBytes int
	// ReadGrace is how long a send request waits for the server to read
	// when twice MaxPendingBytes wait unread while the server itself waits
	// for room to write; default 250 ms. A server that still reads takes
	// bytes at once; one that does not is stuck behind its own writes
	// while the client sends far more than it takes, and the session ends.
	ReadGrace time.Duration
}

// The defaults of Config.
const (
	DefaultSessionTimeout  = 30 * time.Second
	DefaultMaxSessions     = 10000
	DefaultMaxRequestBytes = 1 << 20
	DefaultMaxReplyBytes   = 256 << 10
	DefaultMaxPendingBytes = 4 << 20
	DefaultIdleHold        = 50 * time.Millisecond
	DefaultReadGrace       = 250 * time.Millisecond
)

func (c Config) withDefaults() Config {
	if c.SessionTimeout <= 0 {
		c.SessionTimeout = DefaultSessionTimeout
	}
	if c.MaxSessions <= 0 {
		c.MaxSessions = DefaultMaxSessions
	}
	if c.MaxRequestBytes <= 0 {
		c.MaxRequestBytes = DefaultMaxRequestBytes
	}
	if c.MaxReplyBytes <= 0 {
		c.MaxReplyBytes = DefaultMaxReplyBytes
	}
	if c.MaxPendingBytes <= 0 {
		c.MaxPendingBytes = DefaultMaxPendingBytes
	}
	if c.IdleHold <= 0 {
		c.IdleHold = DefaultIdleHold
	}
	if c.ReadGrace <= 0 {
		c.ReadGrace = DefaultReadGrace
	}
	return c
}

// Listener serves RTMPT requests (ServeHTTP) and hands each session to
// Accept as a net.Conn. Its methods are safe for concurrent use.
type Listener struct {
	cfg  Config
	addr net.Addr

	mu       sync.Mutex
	sessions map[string]*session
	closed   bool

	accept chan *session
	done   chan struct{}
}

// NewListener returns a Listener whose Addr is addr, the address of the
// HTTP server it is mounted on (LocalAddr of its sessions).
func NewListener(addr net.Addr, cfg Config) *Listener {
	return &Listener{
		cfg:      cfg.withDefaults(),
		addr:     addr,
		sessions: map[string]*session{},
		accept:   make(chan *session),
		done:     make(chan struct{}),
	}
}

// Accept waits for the next session a client opens.
func (l *Listener) Accept() (net.Conn, error) {
	select {
	case s := <-l.accept:
		return s, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close stops accepting: opening a session is answered 503 from now on.
// Sessions already accepted go on until their connections close.
func (l *Listener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.closed {
		l.closed = true
		close(l.done)
	}
	return nil
}

// Addr is the address given to NewListener.
func (l *Listener) Addr() net.Addr { return l.addr }

// Sessions is how many sessions are open.
func (l *Listener) Sessions() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.sessions)
}

var errTooMany = errors.New("rtmpt: too many sessions")

// open makes a session for a client at remote and waits until Accept
// takes it.
func (l *Listener) open(r *http.Request) (*session, error) {
	var raw [16]byte
	rand.Read(raw[:])
	s := newSession(l, hex.EncodeToString(raw[:]), remoteAddr(r.RemoteAddr))
	l.mu.Lock()
	switch {
	case l.closed:
		l.mu.Unlock()
		return nil, net.ErrClosed
	case len(l.sessions) >= l.cfg.MaxSessions:
		l.mu.Unlock()
		return nil, errTooMany
	}
	l.sessions[s.id] = s
	l.mu.Unlock()
	select {
	case l.accept <- s:
		return s, nil
	case <-l.done:
		err := net.ErrClosed
		s.end()
		return nil, err
	case <-r.Context().Done():
		s.end()
		return nil, r.Context().Err()
	}
}

// find returns an open session by id, or nil.
func (l *Listener) find(id string) *session {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sessions[id]
}

// forget removes a session that ended.
func (l *Listener) forget(s *session) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.sessions[s.id] == s {
		delete(l.sessions, s.id)
	}
}

// remoteAddr turns an http.Request's RemoteAddr into a net.Addr.
func remoteAddr(hostport string) net.Addr {
	if a, err := net.ResolveTCPAddr("tcp", hostport); err == nil {
		return a
	}
	return httpAddr(hostport)
}

// httpAddr is a client address that is not host:port.
type httpAddr string

func (a httpAddr) Network() string { return "rtmpt" }
func (a httpAddr) String() string  { return string(a) }
