package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/driver/dial"
)

// player is one playing connection's counters. The player's goroutine
// writes them; the reporter reads them.
type player struct {
	connected atomic.Bool
	failed    atomic.Bool
	messages  atomic.Int64 // audio and video messages received
	bytes     atomic.Int64
	lastTS    atomic.Uint32
	// firstKeyframe is the time from sending play to the first video
	// keyframe, 0 until it arrived.
	firstKeyframe atomic.Int64
	// from is the publisher of the stream the player plays.
	from *publisherStats
	// publishedAtStart is the publisher's message count when play
	// started: what the player could not have received.
	publishedAtStart int64
	dropped          uint64
	err              error
	// delays is written by the player's goroutine and read once it ended.
	delays delays
}

// isKeyframe reports whether a video payload is a keyframe: the frame type
// in the top nibble is 1, in legacy and Enhanced RTMP headers alike (the
// Enhanced flag is the top bit).
func isKeyframe(p []byte) bool { return len(p) > 0 && (p[0]>>4)&0x7 == 1 }

// playFrom plays o.playURL, or o.url when it is empty, over HTTP-FLV for
// an http:// URL and over RTMP otherwise.
func (p *player) playFrom(ctx context.Context, cfg dial.Config, o options, answered func()) {
	url, published := o.playURL, p.from.messages.Load
	if url == "" {
		url = p.from.url
	}
	if strings.HasPrefix(url, "http://") || strings.HasPrefix(url, "https://") {
		p.playHTTPFLV(ctx, cfg, url, published, answered)
		return
	}
	p.play(ctx, cfg, url, published, answered)
}

// playHTTPFLV is play for an HTTP-FLV stream: the play starts when the
// response headers arrive, and each audio or video tag counts as a
// message. An https:// URL is checked as cfg.TLS says (-insecure).
func (p *player) playHTTPFLV(ctx context.Context, cfg dial.Config, url string, published func() int64, answered func()) {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	var resp *http.Response
	if err == nil {
		client := &http.Client{Transport: &http.Transport{Proxy: http.ProxyFromEnvironment, TLSClientConfig: cfg.TLS}}
		resp, err = client.Do(req)
	}
	if err == nil && resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		err = fmt.Errorf("%s: %s", url, resp.Status)
	}
	answered()
	if err != nil {
		p.failed.Store(true)
		p.err = err
		return
	}
	defer resp.Body.Close()
	p.publishedAtStart = published()
	p.delays = delays{start: time.Now(), offsets: make([]time.Duration, 0, 1024)}
	p.connected.Store(true)
	r := flv.NewReader(bufio.NewReaderSize(resp.Body, 64<<10))
	if _, err := r.Header(); err != nil {
		p.failed.Store(true)
		p.err = err
		return
	}
	for {
		t, err := r.Next()
		if err != nil {
			if ctx.Err() == nil && err != io.EOF {
				p.err = err
			}
			break
		}
		switch t.Type {
		case flv.TagVideo:
			if p.firstKeyframe.Load() == 0 && isKeyframe(t.Data) {
				p.firstKeyframe.Store(int64(max(time.Since(start), 1)))
			}
			fallthrough
		case flv.TagAudio:
			p.count(t.Timestamp, len(t.Data))
			p.delays.record(t.Timestamp)
		}
	}
	p.connected.Store(false)
}

// play dials, plays and counts until ctx ends; answered runs once the
// play started or failed.
func (p *player) play(ctx context.Context, cfg dial.Config, url string, published func() int64, answered func()) {
	c, err := cfg.Dial(ctx, url)
	if err != nil {
		answered()
		p.failed.Store(true)
		p.err = err
		return
	}
	defer c.Close()
	start := time.Now()
	pb, err := c.Play(ctx, "")
	answered()
	if err != nil {
		p.failed.Store(true)
		p.err = err
		return
	}
	p.publishedAtStart = published()
	p.delays = delays{start: time.Now(), offsets: make([]time.Duration, 0, 1024)}
	p.connected.Store(true)
	for {
		m, err := pb.ReadMessage(ctx)
		if err != nil {
			if ctx.Err() == nil {
				p.err = err
			}
			break
		}
		switch b := m.Body.(type) {
		case message.Video:
			if p.firstKeyframe.Load() == 0 && isKeyframe(b.Payload) {
				p.firstKeyframe.Store(int64(max(time.Since(start), 1)))
			}
			p.count(m.Timestamp, len(b.Payload))
			p.delays.record(m.Timestamp)
		case message.Audio:
			p.count(m.Timestamp, len(b.Payload))
			p.delays.record(m.Timestamp)
		}
	}
	p.dropped = pb.Dropped()
	p.connected.Store(false)
}

func (p *player) count(ts uint32, n int) {
	p.messages.Add(1)
	p.bytes.Add(int64(n))
	p.lastTS.Store(ts)
}
