package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
)

// run publishes and plays as the options say and prints the reports.
func run(ctx context.Context, o options, tlsConfig *tls.Config, w io.Writer) (Summary, error) {
	tags, err := readTags(o.file)
	if err != nil {
		return Summary{}, err
	}
	// Players need little: a 4 KiB read buffer and a short queue.
	playerCfg := dial.Config{TLS: tlsConfig, ReadBuffer: 4 << 10, PlayQueue: 256}
	pubCfg := dial.Config{TLS: tlsConfig}

	begin, cpu0 := time.Now(), cpuTime()
	dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	pc, err := pubCfg.Dial(dctx, o.url)
	if err != nil {
		cancel()
		return Summary{}, fmt.Errorf("publisher: %w", err)
	}
	defer pc.Close()
	pub, err := pc.Publish(dctx, "")
	cancel()
	if err != nil {
		return Summary{}, fmt.Errorf("publisher: %w", err)
	}

	var stats publisherStats
	pubCtx, stopPub := context.WithTimeout(ctx, o.duration)
	defer stopPub()
	pubDone := make(chan error, 1)
	go func() { pubDone <- publishLoop(pubCtx, pub, tags, o.speed, &stats) }()

	// Players read until the publisher has stopped and the grace passed.
	playCtx, stopPlay := context.WithCancel(ctx)
	defer stopPlay()
	players := make([]*player, o.players)
	var wg sync.WaitGroup
	slots := make(chan struct{}, o.concurrency)
	for i := range players {
		p := &player{}
		players[i] = p
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case slots <- struct{}{}:
			case <-playCtx.Done():
				p.failed.Store(true)
				return
			}
			// The slot bounds the dials in flight; it frees once the play
			// is answered.
			p.playFrom(playCtx, playerCfg, o, stats.messages.Load, func() { <-slots })
		}()
	}

	late := make([]*player, o.late)
	for i := range late {
		p := &player{}
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
			p.playFrom(playCtx, playerCfg, o, stats.messages.Load, func() {})
		}()
	}

	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	prev := take(0, &stats, players)
	var pubErr error
	published := false
	for !published {
		select {
		case <-tick.C:
			s := take(time.Since(begin), &stats, players)
			s.print(w, prev, len(players))
			prev = s
		case pubErr = <-pubDone:
			published = true
		}
	}
	select {
	case <-time.After(o.grace):
	case <-ctx.Done():
	}
	stopPlay()
	wg.Wait()
	s := summarize(&stats, players, cpuTime()-cpu0, time.Since(begin))
	s.addLate(late)
	fmt.Fprintln(w, "---")
	s.print(w)
	if pubErr != nil {
		return s, fmt.Errorf("publisher: %w", pubErr)
	}
	return s, nil
}
