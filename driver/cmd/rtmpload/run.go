package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
)

// streamURL is the URL of publisher i of n: url itself for one, and url
// with "-i" after its stream key for more (rtmp://h/live/k-0, k-1, ...).
func streamURL(url string, i, n int) string {
	if n == 1 {
		return url
	}
	base, query, hasQuery := strings.Cut(url, "?")
	base = fmt.Sprintf("%s-%d", base, i)
	if hasQuery {
		return base + "?" + query
	}
	return base
}

// run publishes and plays as the options say and prints the reports.
func run(ctx context.Context, o options, tlsConfig *tls.Config, w io.Writer) (Summary, error) {
	tags, err := readTags(o.file)
	if err != nil {
		return Summary{}, err
	}
	// Players need little: a 4 KiB read buffer and a short queue.
	playerCfg := dial.Config{TLS: tlsConfig, ReadBuffer: 4 << 10, PlayQueue: 256}
	pubCfg := dial.Config{TLS: tlsConfig}

	o.publishers = max(o.publishers, 1)
	begin, cpu0 := time.Now(), cpuTime()
	streams := make([]*publisherStats, o.publishers)
	pubs := make([]*dial.Publication, o.publishers)
	for i := range pubs {
		streams[i] = &publisherStats{url: streamURL(o.url, i, o.publishers)}
		dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		pc, err := pubCfg.Dial(dctx, streams[i].url)
		if err != nil {
			cancel()
			return Summary{}, fmt.Errorf("publisher %d: %w", i, err)
		}
		defer pc.Close()
		pubs[i], err = pc.Publish(dctx, "")
		cancel()
		if err != nil {
			return Summary{}, fmt.Errorf("publisher %d: %w", i, err)
		}
	}

	pubCtx, stopPub := context.WithTimeout(ctx, o.duration)
	defer stopPub()
	pubDone := make(chan error, len(pubs))
	for i, pub := range pubs {
		go func() { pubDone <- publishLoop(pubCtx, pub, tags, o.speed, streams[i]) }()
	}

	// Players read until the publisher has stopped and the grace passed.
	playCtx, stopPlay := context.WithCancel(ctx)
	defer stopPlay()
	players := make([]*player, o.players)
	var wg sync.WaitGroup
	slots := make(chan struct{}, o.concurrency)
	for i := range players {
		p := &player{from: streams[i%len(streams)]}
		players[i] = p
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-time.After(time.Until(begin.Add(o.playDelay))):
			case <-playCtx.Done():
				p.failed.Store(true)
				return
			}
			select {
			case slots <- struct{}{}:
			case <-playCtx.Done():
				p.failed.Store(true)
				return
			}
			// The slot bounds the dials in flight; it frees once the play
			// is answered.
			p.playFrom(playCtx, playerCfg, o, func() { <-slots })
		}()
	}

	late := make([]*player, o.late)
	for i := range late {
		p := &player{from: streams[i%len(streams)]}
		late[i] = p
		// Evenly from 40% to 90% of the run, one after the other.
		at := o.duration*4/10 + time.Duration(i)*(o.duration/2)/time.Duration(o.late)
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case <-time.After(time.Until(begin.Add(at))):
			case <-playCtx.Done():
				p.failed.Store(true)
				return
			}
			p.playFrom(playCtx, playerCfg, o, func() {})
		}()
	}

	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	prev := take(0, streams, players)
	var pubErr error
	for running := len(pubs); running > 0; {
		select {
		case <-tick.C:
			s := take(time.Since(begin), streams, players)
			s.print(w, prev, len(players))
			prev = s
		case err := <-pubDone:
			running--
			if pubErr == nil {
				pubErr = err
			}
		}
	}
	select {
	case <-time.After(o.grace):
	case <-ctx.Done():
	}
	stopPlay()
	wg.Wait()
	s := summarize(streams, players, cpuTime()-cpu0, time.Since(begin))
	s.addLate(late)
	fmt.Fprintln(w, "---")
	s.print(w)
	if pubErr != nil {
		return s, fmt.Errorf("publisher: %w", pubErr)
	}
	return s, nil
}
