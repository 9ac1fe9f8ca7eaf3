package rtmpt

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DialConfig configures Dial. The zero value is ready to use.
type DialConfig struct {
	// TLS configures https:// servers (rtmpts); nil means the system
	// roots.
	TLS *tls.Config
	// Transport, if set, makes the HTTP requests (a proxy's, a test's);
	// TLS is then its business. By default each connection has a
	// transport of its own, keeping one connection alive.
	Transport http.RoundTripper
	// RequestTimeout bounds each HTTP request; default 30 s. Servers hold
	// an idle poll for a moment when they have nothing to send.
	RequestTimeout time.Duration
	// MaxSendBytes bounds the RTMP bytes of one send request; default
	// 256 KiB. The rest goes in the next.
	MaxSendBytes int
	// MaxReplyBytes bounds one reply's body; a larger one ends the
	// connection. Default 4 MiB.
	MaxReplyBytes int
	// MaxPendingBytes bounds what was written and not yet sent (Write
	// waits past it) and what came and was not yet read (no request goes
	// out past it); default 4 MiB.
	MaxPendingBytes int
	// MaxPollInterval caps the wait between polls after empty replies,
	// which the interval byte of each reply sets (ten milliseconds a
	// unit); default 500 ms. A write cuts the wait short.
	MaxPollInterval time.Duration
}

func (c DialConfig) withDefaults() DialConfig {
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 30 * time.Second
	}
	if c.MaxSendBytes <= 0 {
		c.MaxSendBytes = 256 << 10
	}
	if c.MaxReplyBytes <= 0 {
		c.MaxReplyBytes = 4 << 20
	}
	if c.MaxPendingBytes <= 0 {
		c.MaxPendingBytes = DefaultMaxPendingBytes
	}
	if c.MaxPollInterval <= 0 {
		c.MaxPollInterval = 500 * time.Millisecond
	}
	return c
}

// Dial opens an RTMPT session with the server at base (http://host:port,
// or https:// for RTMPTS) and returns the client's end of it as a
// net.Conn: what is written goes to the server in send requests, what
// the server sends comes back in their replies and in polls. One request
// is in flight at a time, in order, over one kept-alive HTTP connection.
// ctx bounds the opening request only.
func Dial(ctx context.Context, base string, cfg DialConfig) (net.Conn, error) {
	return cfg.Dial(ctx, base)
}

// Dial is Dial with this configuration.
func (cfg DialConfig) Dial(ctx context.Context, base string) (net.Conn, error) {
	cfg = cfg.withDefaults()
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("rtmpt: %q is not an http:// or https:// server", base)
	}
	transport := cfg.Transport
	if transport == nil {
		transport = &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			TLSClientConfig:     cfg.TLS,
			MaxIdleConnsPerHost: 1,
			IdleConnTimeout:     cfg.RequestTimeout,
		}
	}
	c := &Conn{
		pipe:   newPipe(cfg.MaxPendingBytes),
		cfg:    cfg,
		http:   &http.Client{Transport: transport, Timeout: cfg.RequestTimeout},
		base:   strings.TrimSuffix(u.String(), "/"),
		remote: httpAddr(u.Host),
	}
	id, err := c.post(ctx, "/open/1", []byte{0})
	if err != nil {
		c.closeIdle()
		return nil, fmt.Errorf("rtmpt: opening a session at %s: %w", base, err)
	}
	c.id = string(bytes.TrimSpace(id))
	if !validID(c.id) {
		c.closeIdle()
		return nil, fmt.Errorf("rtmpt: %s opened a session with id %q", base, id)
	}
	go c.run()
	return c, nil
}

// validID reports whether a session id the server gave can go in request
// paths as it is: 1 to 128 of URL's unreserved characters (servers give
// digits or hex).
func validID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, c := range []byte(id) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}

// Conn is the client's end of an RTMPT session. Its methods are safe for
// concurrent use.
type Conn struct {
	pipe
	cfg    DialConfig
	http   *http.Client
	base   string
	id     string
	remote net.Addr
}

// closeIdle closes the kept-alive connection of the conn's own
// transport; a transport from DialConfig is shared, and left alone.
func (c *Conn) closeIdle() {
	if c.cfg.Transport == nil {
		c.http.CloseIdleConnections()
	}
}

// errSessionGone is how a server says a session it ended is over: 404.
var errSessionGone = errors.New("rtmpt: the server ended the session")

// run carries the session: a send request whenever there is something to
// send, else an idle poll, each taking what the server had for the
// client, until the session ends.
func (c *Conn) run() {
	ctx := context.Background()
	defer c.closeIdle()
	seq := 1
	var wait time.Duration
	for {
		command, body := c.next(wait)
		reply, err := c.post(ctx, fmt.Sprintf("/%s/%s/%d", command, c.id, seq), body)
		seq++
		if command == "close" {
			return
		}
		if err != nil {
			if errors.Is(err, errSessionGone) {
				err = nil // read what came, then io.EOF
			}
			c.finish(err)
			return
		}
		if len(reply) == 0 {
			c.finish(fmt.Errorf("rtmpt: a reply without the interval byte"))
			return
		}
		data := reply[1:]
		c.mu.Lock()
		if len(data) > 0 {
			c.in = append(c.in, data...)
			c.signal()
		}
		c.mu.Unlock()
		wait = 0
		if len(data) == 0 && command == "idle" {
			wait = min(time.Duration(reply[0])*10*time.Millisecond, c.cfg.MaxPollInterval)
		}
	}
}

// next waits for the next request to make: a send when something was
// written, close once the connection was closed and everything written
// went, otherwise an idle poll once wait has passed. No request goes while
// MaxPendingBytes came and wait to be read.
func (c *Conn) next(wait time.Duration) (command string, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	pollAt := time.Now().Add(wait)
	for {
		switch {
		case len(c.in) >= c.limit && !c.closed:
			c.wait(time.Time{})
		case len(c.out) > 0:
			return "send", c.appendOut(nil, c.cfg.MaxSendBytes)
		case c.closed:
			return "close", []byte{0}
		case !c.wait(pollAt):
			return "idle", []byte{0}
		}
	}
}

// finish ends the session after a failure (err) or the server's end (nil):
// reads drain what came, then return err or io.EOF; writes fail.
func (c *Conn) finish(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ended, c.cause = true, err
	c.signal()
}

// post makes one request and returns the reply's body.
func (c *Conn) post(ctx context.Context, path string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(resp.Body, int64(c.cfg.MaxReplyBytes)+1))
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, errSessionGone
	case resp.StatusCode != http.StatusOK:
		return nil, fmt.Errorf("rtmpt: %s answered %s", path, resp.Status)
	case err != nil:
		return nil, err
	case len(reply) > c.cfg.MaxReplyBytes:
		return nil, fmt.Errorf("rtmpt: a reply over %d bytes", c.cfg.MaxReplyBytes)
	}
	return reply, nil
}

// Close ends the session: what was written still goes to the server,
// then a close request, in the background (RequestTimeout each). Reads
// and writes waiting fail at once with net.ErrClosed.
func (c *Conn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	c.signal()
	return nil
}

// LocalAddr is not the address of one socket: requests may come from
// several connections in turn.
func (c *Conn) LocalAddr() net.Addr  { return httpAddr("local") }
func (c *Conn) RemoteAddr() net.Addr { return c.remote }
