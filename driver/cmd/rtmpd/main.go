// Command rtmpd is a ready RTMP relay server: publish to
// rtmp://host/APP/KEY with any encoder, play the same URL with any player.
//
//	go run ./driver/cmd/rtmpd -listen :1935
//
// With -cpuprofile FILE it writes a CPU profile of the run, ended by the
// signal, for go tool pprof.
//
// One publisher per path; players that arrive first wait for it; a player
// that falls behind skips to the next keyframe. With -tls-listen, -tls-cert
// and -tls-key it serves RTMPS too, and with -http-listen an HTTP port
// with RTMPT (RTMP tunnelled in HTTP requests, to publish and play where
// only HTTP goes) and HTTP-FLV playback (GET /APP/KEY.flv).
// SIGINT or SIGTERM shuts it down gracefully.
//
// With -push rtmp://host:port/app (repeatable) every stream published as
// APP/KEY is also published to rtmp://host:port/app/KEY, as an origin
// feeding others; with -pull rtmp://host:port/app (repeatable) a play of
// APP/KEY with no publisher here fetches rtmp://host:port/app/KEY, as an
// edge. Both reconnect with backoff; a pull stops -pull-linger after its
// last player left. With -cluster redis://HOST:PORT the nodes sharing that
// Redis find each other's streams (see README.md).
package main

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/pprof"
	"time"

	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/hls"
	"github.com/gortmp/rtmp/driver/httpflv"
	"github.com/gortmp/rtmp/driver/internal/cli"
	"github.com/gortmp/rtmp/driver/live"
	"github.com/gortmp/rtmp/driver/rtmpt"
	"github.com/gortmp/rtmp/driver/web"
)

// options are the command line flags.
type options struct {
	listen, tlsListen, tlsCert, tlsKey string
	httpListen, httpsListen            string
	publishKey, playKey                string
	onPublish, onPlay                  string
	logLevel                           string
	links                              linkOptions
	cluster                            clusterOptions
	web                                webOptions
	cpuProfile                         string
	nagle                              bool
	mergeWrites                        time.Duration
	rtmpe                              bool
	stats                              bool
	publishTakeover                    bool
	publishIdleTimeout                 time.Duration
	fanOutWriters                      int
	maxConns                           int
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("rtmpd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.listen, "listen", ":1935", "RTMP address to listen on (empty: no plain RTMP)")
	fs.StringVar(&o.tlsListen, "tls-listen", "", "RTMPS address to listen on, for example :1936 (needs -tls-cert and -tls-key)")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "PEM certificate file for RTMPS and HTTPS")
	fs.StringVar(&o.tlsKey, "tls-key", "", "PEM private key file for RTMPS and HTTPS")
	fs.StringVar(&o.httpListen, "http-listen", "", "HTTP address for RTMPT (rtmpt:// URLs) and HTTP-FLV playback (GET /APP/KEY.flv), for example :8080 (empty: no HTTP)")
	fs.StringVar(&o.httpsListen, "https-listen", "", "HTTPS address for RTMPT over TLS (rtmpts:// URLs) and HTTP-FLV playback over HTTPS, for browsers on HTTPS pages, for example :8443 (needs -tls-cert and -tls-key)")
	fs.StringVar(&o.publishKey, "publish-key", "", "shared secret publishers must give as ?key= in the stream name (empty: anyone may publish)")
	fs.StringVar(&o.playKey, "play-key", "", "shared secret players must give as ?key= (empty: playback is open)")
	fs.StringVar(&o.onPublish, "on-publish", "", "ask `URL` before each publish, as nginx-rtmp's on_publish: a form POST (call, addr, app, name, tcurl, flashver, swfurl, pageurl and the stream name's query arguments); 2xx allows")
	fs.StringVar(&o.onPlay, "on-play", "", "ask `URL` before each play (RTMP and HTTP-FLV) the same way")
	fs.BoolVar(&o.stats, "stats", false, "serve GET /stats and GET /metrics on the HTTP port (-http-listen): the servers' connections and bytes, and every stream's path, publisher, viewers (players over RTMP and HTTP-FLV, players over HLS), in-process subscribers (the HLS segmenter, a recorder) and counters, as JSON and in the Prometheus text format")
	fs.BoolVar(&o.publishTakeover, "publish-takeover", true, "let a new publisher of a key that is being published replace the current one, which is told (NetStream.Publish.BadName, \"taken over\") and disconnected while its players go on with the new stream; on by default because the usual second publisher is the same encoder reconnecting after a network drop while the server still holds its dead connection, and the publish key or -on-publish decide who may publish, and so take over, either way. -publish-takeover=false refuses the new one with NetStream.Publish.BadName until the current one is gone")
	fs.DurationVar(&o.publishIdleTimeout, "publish-idle-timeout", core.DefaultPublishIdleTimeout, "disconnect a publisher that sends no audio or video for this long, so its players see the stream end and its key is free again (0 or negative: never)")
	fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	o.links.register(fs)
	o.cluster.register(fs)
	o.web.register(fs)
	fs.BoolVar(&o.nagle, "nagle", true, "turn Nagle's algorithm on for each player once its fast start is written: fewer, larger TCP segments for a few ms of delay (see the README); -nagle=false keeps TCP_NODELAY")
	fs.BoolVar(&o.rtmpe, "rtmpe", true, "accept RTMPE (rtmpe:// URLs: a Diffie-Hellman handshake, then RC4 both ways) on the RTMP ports")
	fs.DurationVar(&o.mergeWrites, "merge-writes", 0, "hold each RTMP and HTTP-FLV player's live media up to this long and write it together, one write per player (0: each message as it comes; see driver/cmd/rtmpbench/README.md)")
	fs.IntVar(&o.fanOutWriters, "fanout-writers", 0, "goroutines that write one message to a stream's players, each to 128 or more of them (0: one per core)")
	fs.IntVar(&o.maxConns, "max-conns", driver.DefaultMaxConns, "connections each listener serves at once; one more is refused (the descriptor limit, ulimit -n, must leave room for them)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file (for go tool pprof)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if (o.tlsListen != "" || o.httpsListen != "") && (o.tlsCert == "" || o.tlsKey == "") {
		return o, errors.New("-tls-listen and -https-listen need -tls-cert and -tls-key")
	}
	for _, u := range []string{o.onPublish, o.onPlay} {
		if p, err := url.Parse(u); u != "" && (err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "") {
			return o, fmt.Errorf("-on-publish and -on-play take http:// or https:// URLs, not %q", u)
		}
	}
	if o.stats && o.httpListen == "" && o.httpsListen == "" {
		return o, errors.New("-stats needs -http-listen or -https-listen")
	}
	if o.listen == "" && o.tlsListen == "" && o.httpListen == "" && o.httpsListen == "" {
		return o, errors.New("nothing to listen on: give -listen, -tls-listen, -http-listen or -https-listen")
	}
	if o.fanOutWriters < 0 || o.fanOutWriters > 1024 {
		return o, errors.New("-fanout-writers must be from 0 to 1024")
	}
	if o.mergeWrites < 0 || o.mergeWrites > 5*time.Second {
		return o, errors.New("-merge-writes must be from 0 to 5s")
	}
	if o.maxConns < 1 {
		return o, errors.New("-max-conns must be at least 1")
	}
	if err := o.cluster.check(); err != nil {
		return o, err
	}
	return o, nil
}

func main() {
	cli.Main("rtmpd", parseFlags, func(ctx context.Context, o options) error {
		if o.cpuProfile != "" {
			stopProfile, err := startCPUProfile(o.cpuProfile)
			if err != nil {
				return err
			}
			defer stopProfile()
		}
		return run(ctx, o, os.Stdout, nil)
	})
}

// The listeners' addresses, in the order run reports them.
const (
	addrRTMP = iota
	addrRTMPS
	addrHTTP
	addrHTTPS
	numAddrs
)

// run serves until ctx ends. ready, if not nil, receives the listeners'
// addresses once they listen (addrRTMP, addrRTMPS, addrHTTP, addrHTTPS;
// nil for one not asked for).
func run(ctx context.Context, o options, out io.Writer, ready chan<- [numAddrs]net.Addr) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		return fmt.Errorf("-log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: level}))

	var listeners []net.Listener
	var addrs [numAddrs]net.Addr
	defer func() {
		for _, ln := range listeners {
			ln.Close()
		}
	}()
	if o.listen != "" {
		ln, err := net.Listen("tcp", o.listen)
		if err != nil {
			return err
		}
		listeners = append(listeners, ln)
		addrs[addrRTMP] = ln.Addr()
	}
	var tlsConfig *tls.Config
	if o.tlsCert != "" || o.tlsKey != "" {
		cert, err := tls.LoadX509KeyPair(o.tlsCert, o.tlsKey)
		if err != nil {
			return fmt.Errorf("TLS certificate: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	if o.tlsListen != "" {
		ln, err := net.Listen("tcp", o.tlsListen)
		if err != nil {
			return err
		}
		addrs[addrRTMPS] = ln.Addr()
		listeners = append(listeners, tls.NewListener(ln, tlsConfig))
	}
	h := &live.Relay{PublishKey: o.publishKey, PlayKey: o.playKey, FanOutWriters: o.fanOutWriters, MergeWrites: o.mergeWrites}
	if !o.publishTakeover {
		h.SecondPublisher = live.RefuseSecondPublisher
	}
	if o.onPublish != "" || o.onPlay != "" {
		h.Authorize = httpHooks(o.onPublish, o.onPlay, &http.Client{})
	}
	counts := new(driver.ServerStats)
	if o.httpListen != "" || o.httpsListen != "" {
		var stats *driver.ServerStats
		if o.stats {
			stats = counts
		}
		hlsPlayers, page := o.web.handlers(h, addrs[addrRTMP], addrs[addrRTMPS])
		tl, httpAddrs, stop, err := serveHTTP(o.httpListen, o.httpsListen, tlsConfig, h, stats, hlsPlayers, page)
		if err != nil {
			return err
		}
		defer stop()
		addrs[addrHTTP], addrs[addrHTTPS] = httpAddrs[0], httpAddrs[1]
		listeners = append(listeners, tl)
	}

	printBanner(out, o, addrs)
	if ready != nil {
		ready <- addrs
	}

	stopLinks, err := startLinks(ctx, h, o.links, o.cluster, addrs[addrRTMP], logger)
	if err != nil {
		return err
	}
	defer stopLinks()
	cfg := driver.Config{Logger: logger, Nagle: o.nagle, MergeWrites: o.mergeWrites, RTMPE: o.rtmpe, Stats: counts, MaxConns: o.maxConns}
	cfg.Session.PublishIdleTimeout = sessionTimeout(o.publishIdleTimeout)
	errs := make(chan error, len(listeners))
	for _, ln := range listeners {
		go func() { errs <- driver.Serve(ctx, ln, h, cfg) }()
	}
	var first error
	for range listeners {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	logger.Info("stopped")
	return first
}

// printBanner shows where the server listens and lines to paste into a
// shell to publish and play.
func printBanner(out io.Writer, o options, addrs [numAddrs]net.Addr) {
	keyQuery := ""
	if o.publishKey != "" {
		keyQuery = "?key=" + o.publishKey
	}
	playQuery := ""
	if o.playKey != "" {
		playQuery = "?key=" + o.playKey
	}
	for i, a := range addrs {
		if a == nil {
			continue
		}
		scheme, extra, what, web := "rtmp", "", "RTMP", ""
		switch i {
		case addrRTMPS:
			scheme, extra, what = "rtmps", " -tls_verify 0", "RTMPS"
		case addrHTTP:
			scheme, what, web = "rtmpt", "HTTP: RTMPT and HTTP-FLV", "http"
		case addrHTTPS:
			scheme, extra, what, web = "rtmpts", " -tls_verify 0", "HTTPS: RTMPTS and HTTP-FLV", "https"
		}
		base := fmt.Sprintf("%s://%s/live/demo", scheme, hostPort(a))
		fmt.Fprintf(out, "rtmpd listening on %s (%s)\n", a, what)
		fmt.Fprintf(out, "  publish: ffmpeg -re -i input.flv -c copy -f flv%s '%s%s'\n", extra, base, keyQuery)
		fmt.Fprintf(out, "  play:    ffplay%s '%s%s'\n", extra, base, playQuery)
		if web != "" {
			fmt.Fprintf(out, "  play:    ffplay%s '%s://%s/live/demo.flv%s'\n", extra, web, hostPort(a), playQuery)
			printWebBanner(out, o.web, web+"://"+hostPort(a), extra, playQuery)
		}
	}
}

// serveHTTP serves HTTP at plain and HTTPS at secure (either may be
// empty): RTMPT's requests (POST), HTTP-FLV playback of r's streams (GET)
// and, with stats (the servers' counts), GET /stats and GET /metrics. It returns the listener RTMPT sessions of
// both come from, for driver.Serve, the addresses (plain, secure; nil
// for one not asked for), and a function that stops the HTTP servers.
func serveHTTP(plain, secure string, tlsConfig *tls.Config, r *live.Relay, stats *driver.ServerStats, hlsPlayers *hls.Handler, page *web.Handler) (*rtmpt.Listener, [2]net.Addr, func(), error) {
	var addrs [2]net.Addr
	var lns []net.Listener
	for i, addr := range []string{plain, secure} {
		if addr == "" {
			continue
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return nil, addrs, nil, err
		}
		addrs[i] = ln.Addr()
		if i == 1 {
			ln = tls.NewListener(ln, tlsConfig)
		}
		lns = append(lns, ln)
	}
	tl := rtmpt.NewListener(cmp.Or(addrs[0], addrs[1]), rtmpt.Config{})
	flvPlayers := httpflv.NewHandler(r)
	mux := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		switch {
		case req.Method == http.MethodPost:
			tl.ServeHTTP(w, req)
		case stats != nil && req.URL.Path == "/stats" && req.Method == http.MethodGet:
			serveStats(w, r, stats.Counts(), hlsPlayers)
		case stats != nil && req.URL.Path == "/metrics" && req.Method == http.MethodGet:
			serveMetrics(w, r, stats.Counts(), hlsPlayers)
		case hlsPlayers != nil && hls.Match(req.URL.Path):
			hlsPlayers.ServeHTTP(w, req)
		case page != nil && web.Match(req.URL.Path):
			page.ServeHTTP(w, req)
		default:
			flvPlayers.ServeHTTP(w, req)
		}
	})
	// HTTP-FLV players own their connections (net/http hands them over),
	// which Close does not reach: they end with their requests' context.
	ctx, cancel := context.WithCancel(context.Background())
	if hlsPlayers != nil {
		go hlsPlayers.Run(ctx) // stops idle streams' segmenters; all of them at the end
	}
	var servers []*http.Server
	for _, ln := range lns {
		hs := &http.Server{
			Handler: mux, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute,
			BaseContext: func(net.Listener) context.Context { return ctx },
		}
		servers = append(servers, hs)
		go hs.Serve(ln)
	}
	return tl, addrs, func() {
		cancel()
		for _, hs := range servers {
			hs.Close()
		}
	}, nil
}

// hostPort makes a listening address pasteable: an unspecified host
// becomes 127.0.0.1.
func hostPort(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// startCPUProfile profiles the process into file until the returned
// function runs.
func startCPUProfile(file string) (stop func(), err error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// sessionTimeout maps a timeout flag, where 0 or less means never, to a
// core.Config field, where 0 means the default and less than 0 never.
func sessionTimeout(d time.Duration) time.Duration {
	if d <= 0 {
		return -1
	}
	return d
}
