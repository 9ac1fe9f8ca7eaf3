package dial

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/clientconn"
	"github.com/gortmp/rtmp/driver/rtmpt"
)

// Config configures Dial. The zero value is ready to use.
type Config struct {
	// TLS is the configuration for rtmps:// and rtmpts:// URLs; nil means
	// the system roots with the URL's host as server name.
	TLS *tls.Config
	// RTMPT configures the HTTP tunnel of rtmpt://, rtmpte:// and
	// rtmpts:// URLs (its TLS field is taken from TLS above).
	RTMPT rtmpt.DialConfig
	// Session configures the client session (chunk size, flashVer,
	// buffer length).
	Session client.Config
	// ConnectExtra are extra properties of the connect object, such as
	// Enhanced RTMP's fourCcList.
	ConnectExtra amf0.Object
	// ObjectEncoding is the AMF encoding the connect asks for: 0 (AMF0,
	// the default) or 3 (AMF3, as a Flash application whose
	// NetConnection.defaultObjectEncoding is 3). With 3, every command and
	// data message after the connect goes out as type 17 or 15 with its
	// values behind the AVM+ switch; what the server answers reads the
	// same in either encoding.
	ObjectEncoding float64
	// HandshakeTimeout bounds the TCP/TLS and RTMP handshakes when ctx has
	// no earlier deadline; default 10 s.
	HandshakeTimeout time.Duration
	// WriteTimeout bounds each socket write; default 10 s.
	WriteTimeout time.Duration
	// ReadBuffer is the socket read buffer of the connection; default
	// 16 KiB. Small values let one process hold thousands of players.
	ReadBuffer int
	// PlayQueue is how many messages a Playback holds for its reader
	// before it drops new ones (and counts them); default 1024.
	PlayQueue int
	// PlayQueueBytes bounds the bytes of those messages the same way, so
	// that a server sending large messages to a slow reader cannot make
	// the queue hold PlayQueue of them; default 64 MiB.
	PlayQueueBytes int
	// Reconnect says whether the connection follows an Enhanced RTMP
	// reconnect request by itself; by default it does when ConnectExtra
	// declares capsEx Reconnect. Following, it dials the server the
	// request names (or the current one) in the background and starts
	// every open publication and playback there. A publication keeps
	// writing to the old server until its next keyframe (any audio when it
	// has no video), or reconnectBoundaryWait (5 s) at most; then, between
	// two writes, the new server gets the last metadata and decoder
	// configuration (and, when no keyframe came, what was written since
	// the last one), the writes go to it and the old connection closes.
	// Every WriteMessage goes to one server or the other and returns its
	// own error. A playback continues with what the
	// new server sends, possibly with a gap. Publish and Play called
	// meanwhile wait for the switch; one whose answer was still awaited
	// when the request came is started again on the new server once the
	// switch is done. If the new server cannot be reached or refuses, the
	// connection ends with a *ReconnectError.
	//
	// A server that is shutting down may close the old connection right
	// after the request. That does not end the connection: the reconnect
	// goes on, and once the new server carries every stream the switch
	// happens at once, without waiting for a keyframe. Until then no
	// server takes writes (Conn.Holding): they are held and return
	// nil, and at the switch the new server gets the metadata and decoder
	// configuration, the last keyframe and everything written since, so
	// its stream has no hole. The hold is bounded (8 MiB per publication);
	// a write past it fails with handover.ErrHoldFull, and so does every
	// later one until the switch. If the reconnect fails instead, the
	// connection ends with a *handover.UnsentError that counts the held
	// writes no server got. A playback receives nothing meanwhile. The
	// same holds when a write fails because the server closed the
	// connection after a reconnect request the client had not read yet;
	// meanwhile Publish and Play wait, and a connection that does not
	// follow requests fails such writes with a *handover.NoServerError.
	//
	// To do this, a publication of a connection that follows reconnects
	// keeps a copy of what it wrote since its last keyframe.
	Reconnect ReconnectPolicy
	// ReconnectTimeout bounds a followed reconnect from the request to
	// the last stream started on the new server; default 10 s.
	ReconnectTimeout time.Duration
	// OnEvent, when set, sees every event of the session in order. It
	// runs on the connection's goroutine with the connection locked: it
	// must return quickly and must not call the connection. During a
	// followed reconnect it also sees the new server's answers (Connected,
	// StreamCreated, PublishStarted, ...), but not the old one's goodbye.
	OnEvent func(client.Event)
	// Logger receives connection-level debug logs; nil discards them.
	Logger *slog.Logger
}

// DefaultHandshakeTimeout is Config.HandshakeTimeout when it is not set.
const DefaultHandshakeTimeout = 10 * time.Second

func (c Config) withDefaults() Config {
	if c.HandshakeTimeout <= 0 {
		c.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if c.WriteTimeout <= 0 {
		c.WriteTimeout = 10 * time.Second
	}
	if c.ReadBuffer <= 0 {
		c.ReadBuffer = 16 << 10
	}
	if c.ReconnectTimeout <= 0 {
		c.ReconnectTimeout = 10 * time.Second
	}
	if c.PlayQueue <= 0 {
		c.PlayQueue = 1024
	}
	if c.PlayQueueBytes <= 0 {
		c.PlayQueueBytes = 64 << 20
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Dial connects to an rtmp://, rtmps://, rtmpe://, rtmpt://, rtmpte:// or
// rtmpts:// URL with the default Config.
func Dial(ctx context.Context, rawURL string) (*Conn, error) {
	return Config{}.Dial(ctx, rawURL)
}

// Target is a parsed RTMP URL: rtmp[s|e|t|te|ts]://host[:port]/app[/key].
type Target struct {
	// Secure is TLS: rtmps://, or rtmpts:// (RTMPT over HTTPS).
	Secure bool
	// Encrypted is an rtmpe:// or rtmpte:// URL: the RTMPE handshake, then
	// RC4 both ways. It obscures the stream; only TLS (Secure) protects it.
	Encrypted bool
	// Tunnelled is RTMPT, RTMP carried in HTTP requests: rtmpt://,
	// rtmpte:// and rtmpts:// URLs.
	Tunnelled bool
	// Addr is host:port, the port defaulting to 1935 (rtmp, rtmpe), 80
	// (rtmpt, rtmpte) or 443 (rtmps, rtmpts).
	Addr string
	Host string
	App  string
	// Key is the rest of the path after the app, with the query string
	// kept (servers read stream-key tokens from it); it may be empty.
	Key string
	// TCURL is what connect's tcUrl says: scheme://host:port/app.
	TCURL string
}

// ParseURL splits an RTMP URL into the parts a client needs.
func ParseURL(rawURL string) (Target, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Target{}, err
	}
	var t Target
	port := "1935"
	switch u.Scheme {
	case "rtmp":
	case "rtmps":
		t.Secure, port = true, "443"
	case "rtmpe":
		t.Encrypted = true
	case "rtmpt":
		t.Tunnelled, port = true, "80"
	case "rtmpte":
		t.Tunnelled, t.Encrypted, port = true, true, "80"
	case "rtmpts":
		t.Tunnelled, t.Secure, port = true, true, "443"
	default:
		return Target{}, fmt.Errorf("dial: unsupported scheme %q in %s", u.Scheme, rawURL)
	}
	if u.Port() != "" {
		port = u.Port()
	}
	t.Host = u.Hostname()
	if t.Host == "" {
		return Target{}, fmt.Errorf("dial: no host in %s", rawURL)
	}
	t.Addr = net.JoinHostPort(t.Host, port)
	path := strings.TrimPrefix(u.EscapedPath(), "/")
	if p, err := url.PathUnescape(path); err == nil {
		path = p
	}
	t.App, t.Key, _ = strings.Cut(path, "/")
	if t.App == "" {
		return Target{}, fmt.Errorf("dial: no application in %s", rawURL)
	}
	if u.RawQuery != "" {
		t.Key += "?" + u.RawQuery
	}
	t.TCURL = u.Scheme + "://" + t.Addr + "/" + t.App
	return t, nil
}

// Dial connects, performs the TCP (and TLS) and RTMP handshakes, sends
// connect and returns once the server accepted it. The URL's key, if any,
// is what Publish and Play use when called with an empty key.
func (cfg Config) Dial(ctx context.Context, rawURL string) (*Conn, error) {
	cfg = cfg.withDefaults()
	target, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	hctx, cancel := context.WithTimeout(ctx, cfg.HandshakeTimeout)
	defer cancel()
	netc, cc, first, err := cfg.open(hctx, target)
	if err != nil {
		return nil, err
	}
	l := newClientLink(netc, cc, target)
	c := newConn(l, cfg)
	go c.readLoop(l, first)
	if err := c.connect(hctx, l); err != nil {
		c.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	return c, nil
}

// open dials (TCP, TLS or an RTMPT session) and runs the RTMP handshake
// on the connection's pure pipeline, which it returns with the effects of
// the bytes that came after S2.
func (cfg Config) open(ctx context.Context, t Target) (net.Conn, *clientconn.Conn, []client.Effect, error) {
	netc, err := cfg.dial(ctx, t)
	if err != nil {
		return nil, nil, nil, err
	}
	// The handshake honours ctx through the connection's deadline, and a
	// cancellation closes the connection under a blocked read.
	stop := context.AfterFunc(ctx, func() { netc.SetDeadline(time.Now()) })
	defer stop()
	if dl, ok := ctx.Deadline(); ok {
		netc.SetDeadline(dl)
	}
	cc, first, err := clientHandshake(netc, cfg.pipeline(t))
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err != nil {
		netc.Close()
		return nil, nil, nil, fmt.Errorf("dial: handshake with %s: %w", t.Addr, err)
	}
	netc.SetDeadline(time.Time{})
	return netc, cc, first, nil
}

// pipeline configures the pure client connection for t: a fresh random
// handshake seed, RTMPE for rtmpe:// and rtmpte://, and byte totals
// reported to the session after every read buffer's worth, as often as
// the reads come.
func (cfg Config) pipeline(t Target) clientconn.Config {
	seed := make([]byte, 32)
	rand.Read(seed)
	return clientconn.Config{
		Session:     cfg.Session,
		Handshake:   handshake.ClientConfig{Random: seed, Encryption: t.Encrypted},
		ReportEvery: cfg.ReadBuffer,
	}
}

// dial opens the connection the RTMP handshake runs over.
func (cfg Config) dial(ctx context.Context, t Target) (net.Conn, error) {
	var tc *tls.Config
	if t.Secure {
		tc = cfg.TLS.Clone()
		if tc == nil {
			tc = &tls.Config{}
		}
		if tc.ServerName == "" {
			tc.ServerName = t.Host
		}
	}
	if t.Tunnelled {
		tcfg := cfg.RTMPT
		tcfg.TLS = tc
		scheme := "http://"
		if t.Secure {
			scheme = "https://"
		}
		return tcfg.Dial(ctx, scheme+t.Addr)
	}
	var d net.Dialer
	netc, err := d.DialContext(ctx, "tcp", t.Addr)
	if err != nil || tc == nil {
		return netc, err
	}
	tlsc := tls.Client(netc, tc)
	if err := tlsc.HandshakeContext(ctx); err != nil {
		netc.Close()
		return nil, err
	}
	return tlsc, nil
}

// clientHandshake sends C0+C1, answers S1 with C2 and reads S2 (with
// RTMPE, the key exchange; the pipeline runs the ciphers from then on).
// It returns the pipeline once the handshake is done, with the effects of
// what followed S2 in the same read.
func clientHandshake(netc net.Conn, cfg clientconn.Config) (*clientconn.Conn, []client.Effect, error) {
	cc := clientconn.New(cfg)
	buf := make([]byte, 4096)
	var first []client.Effect
	for {
		if out := cc.Pending(); len(out) > 0 {
			if _, err := netc.Write(out); err != nil {
				return nil, nil, err
			}
			cc.Advance(len(out))
		}
		switch cc.State() {
		case clientconn.Open:
			return cc, first, nil
		case clientconn.Closed:
			return nil, nil, cc.Err()
		}
		n, err := netc.Read(buf)
		if n > 0 {
			first = append(first, cc.Feed(buf[:n])...)
			if cc.State() != clientconn.Handshaking {
				continue
			}
		}
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil, nil, context.Canceled
			}
			return nil, nil, err
		}
	}
}
