package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"

	corehls "github.com/gortmp/rtmp/core/hls"
	"github.com/gortmp/rtmp/driver/hls"
	"github.com/gortmp/rtmp/driver/live"
	"github.com/gortmp/rtmp/driver/web"
)

// webOptions are the flags of HLS and the page, served on the HTTP ports.
type webOptions struct {
	hls, page, always, delta bool
	segment, part            time.Duration
	window                   int
}

func (o *webOptions) register(fs *flag.FlagSet) {
	fs.BoolVar(&o.hls, "hls", true, "serve HLS and low-latency HLS on the HTTP ports: GET /APP/KEY/index.m3u8 (fMP4 segments and parts, made once per stream from the first request)")
	fs.BoolVar(&o.page, "web", true, "serve the page at / on the HTTP ports: the live streams with a player and their URLs (needs -hls)")
	fs.BoolVar(&o.always, "hls-always", false, "segment every published stream from its start, not from the first HLS request")
	fs.DurationVar(&o.segment, "hls-segment", corehls.DefaultTargetDuration, "HLS target segment duration: a segment ends on the first keyframe after it")
	fs.DurationVar(&o.part, "hls-part", corehls.DefaultPartTarget, "low-latency HLS part target duration")
	fs.IntVar(&o.window, "hls-window", corehls.DefaultWindow, "complete segments an HLS playlist lists")
	fs.BoolVar(&o.delta, "hls-delta", false, "offer HLS delta updates (CAN-SKIP-UNTIL, _HLS_skip=YES)")
}

// handlers makes the HLS handler and the page for r (nil when not asked
// for); the page names the RTMP and RTMPS ports of addrs.
func (o webOptions) handlers(r *live.Relay, rtmp, rtmps net.Addr) (*hls.Handler, *web.Handler) {
	if !o.hls {
		return nil, nil
	}
	h := hls.NewHandler(r, hls.Config{Always: o.always, Timeline: corehls.Config{
		TargetDuration: o.segment, PartTarget: o.part, Window: o.window, Delta: o.delta,
	}})
	if !o.page {
		return h, nil
	}
	return h, &web.Handler{Relay: r, HLS: h, RTMPPort: port(rtmp), RTMPSPort: port(rtmps)}
}

// printWebBanner adds the HLS URL and the page to the banner of an HTTP
// address (base: scheme://host:port).
func printWebBanner(out io.Writer, o webOptions, base, extra, playQuery string) {
	if !o.hls {
		return
	}
	fmt.Fprintf(out, "  play:    ffplay%s '%s/live/demo/index.m3u8%s'\n", extra, base, playQuery)
	if o.page {
		fmt.Fprintf(out, "  page:    %s/\n", base)
	}
}

func port(a net.Addr) int {
	if a == nil {
		return 0
	}
	_, p, _ := net.SplitHostPort(a.String())
	n, _ := strconv.Atoi(p)
	return n
}
