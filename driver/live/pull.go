package live

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gortmp/rtmp/driver/dial"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/relay"
)

// pullLink fetches one path from a remote for its local players: play the
// remote stream, publish what arrives on the path as a LocalPublisher (so
// local players get fast start and the drop policy), reconnect with
// backoff when the remote drops, and stop once the path has had no network
// player for LinkConfig.Linger. When to start, retry and stop is decided by
// relay.Pulls and relay.Retry; pullLink carries it out.
//
// The local publish follows the remote one: it starts with the first
// message and stops on the remote's NetStream.Play.UnpublishNotify, so
// local players hear the stream end when the origin's does.
type pullLink struct {
	l      *Links
	path   relay.Path
	gen    uint64 // the pull's id in l.plan
	cancel context.CancelFunc
	// linger, when set, is the timer of the plan's linger deadline; l.mu
	// guards it.
	linger *time.Timer
	// held is a cluster pull's local publisher between two connections;
	// only the pull's goroutines touch it, one after the other.
	held *LocalPublisher
}

// playing takes a network player joining a path: a pull starts if the
// plan says so, and a lingering one goes on.
func (l *Links) playing(p relay.Path) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if pl := l.pulls[p]; pl != nil {
		pl.stopLinger()
	}
	gen, start := l.plan.Playing(p, l.r.Publishing(p))
	if !start {
		return
	}
	ctx, cancel := context.WithCancel(l.ctx)
	pl := &pullLink{l: l, path: p, gen: gen, cancel: cancel}
	if l.start(func() { pl.run(ctx) }) {
		l.pulls[p] = pl
	} else {
		l.plan.Ended(p, gen)
		cancel()
	}
}

// left takes anyone leaving a path: a pull that lost its last network
// player lingers until the plan's deadline.
func (l *Links) left(p relay.Path) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	at, ok := l.plan.Left(p, now, l.r.networkPlayers(p))
	pl := l.pulls[p]
	if !ok || pl == nil {
		return
	}
	pl.stopLinger()
	pl.linger = time.AfterFunc(at-now, func() { l.lingered(pl) })
}

// lingered stops a pull if the plan says its linger passed with no
// player back.
func (l *Links) lingered(pl *pullLink) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.plan.Lingered(pl.path, pl.gen, l.now(), l.r.networkPlayers(pl.path)) {
		return
	}
	if l.pulls[pl.path] == pl {
		delete(l.pulls, pl.path)
	}
	pl.cancel()
}

// stopLinger cancels a pending linger; l.mu is held.
func (pl *pullLink) stopLinger() {
	if pl.linger != nil {
		pl.linger.Stop()
		pl.linger = nil
	}
}

func (pl *pullLink) run(ctx context.Context) {
	l := pl.l
	defer func() {
		l.mu.Lock()
		pl.stopLinger()
		l.plan.Ended(pl.path, pl.gen)
		if l.pulls[pl.path] == pl {
			delete(l.pulls, pl.path)
		}
		l.mu.Unlock()
		pl.cancel()
	}()
	log := l.cfg.Logger.With("pull", pl.path.String())
	if l.cluster != nil {
		pl.follow(ctx, log)
		return
	}
	retry := relay.NewRetry(l.cfg.backoff())
	for {
		got, err := pl.fetch(ctx, l.candidates(pl.path.App))
		if ctx.Err() != nil || relay.PullEnded(err) {
			log.Info("pull ended", "messages", got, "err", err)
			return
		}
		l.failures.Add(1)
		delay, again := retry.Failed(got > 0)
		if !again {
			log.Warn("pull gave up", "failures", retry.Failures(), "err", err)
			return
		}
		log.Warn("pull failed; retrying", "err", err, "in", delay)
		if !pause(ctx, delay, nil) {
			return
		}
	}
}

// candidates are the pull URLs to try for an app, in order.
func (l *Links) candidates(app string) []string {
	return relay.PullCandidates(l.cfg.Pull, l.pullApps, app)
}

// fetch runs one connection of the pull, from the first of the bases
// (rtmp://host:port/app URLs) that plays, and returns why it ended, with
// the number of messages published locally.
func (pl *pullLink) fetch(ctx context.Context, bases []string) (int, error) {
	l := pl.l
	var cc atomic.Pointer[dial.Conn]
	cfg := l.cfg.Dial
	cfg.OnEvent = func(e client.Event) {
		if l.cfg.Dial.OnEvent != nil {
			l.cfg.Dial.OnEvent(e)
		}
		// The remote stream's end (UnpublishNotify, or Stream EOF, all
		// nginx-rtmp sends by default) travels in line with its media, so
		// what came before it is published before the local stream stops.
		var streamID uint32
		switch e := e.(type) {
		case client.StatusReceived:
			if e.Code != codeUnpublishNotify {
				return
			}
			streamID = e.StreamID
		case client.StreamEnded:
			streamID = e.StreamID
		default:
			return
		}
		if c := cc.Load(); c != nil {
			c.DeliverMark(streamID, message.Message{StreamID: streamID, Body: message.Command{Name: remoteStreamEnded}})
		}
	}
	var conn *dial.Conn
	var pb *dial.Playback
	var errs []error
	for _, base := range bases {
		c, err := cfg.Dial(ctx, joinKey(base, pl.path.Key))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		cc.Store(c)
		actx, cancel := context.WithTimeout(ctx, l.answerTimeout())
		p, err := c.Play(actx, "")
		cancel()
		if err != nil {
			c.Close()
			errs = append(errs, err)
			continue
		}
		conn, pb = c, p
		break
	}
	if conn == nil {
		return 0, errors.Join(errs...)
	}
	defer conn.Close()
	l.connects.Add(1)
	l.pulling.Add(1)
	defer l.pulling.Add(-1)

	// lp is the local publisher; a cluster's pull keeps it across its
	// connections (see follow), so its players hear no end when the owner
	// dies, and the next owner's first message takes the path over.
	lp := pl.held
	pl.held = nil
	defer func() {
		switch {
		case lp == nil:
		case l.cluster != nil:
			pl.held = lp // follow closes it when the pull ends
		default:
			lp.Close()
		}
	}()
	fresh := true
	n := 0
	for {
		msg, err := pb.ReadMessage(ctx)
		if err != nil {
			if ctx.Err() != nil {
				pb.Close()
			} else if conn.Err() != nil {
				err = conn.Err()
			}
			return n, err
		}
		m, ok := pulledMedia(msg)
		if !ok {
			if cmd, isCmd := msg.Body.(message.Command); isCmd && cmd.Name == remoteStreamEnded && lp != nil {
				lp.Close()
				lp = nil
			}
			continue
		}
		if lp != nil && fresh {
			if lp, err = l.r.replaceLocal(pl.path, lp); err != nil {
				return n, err
			}
		}
		fresh = false
		if lp == nil {
			if lp, err = l.r.PublishLocal(pl.path); err != nil {
				return n, err
			}
		}
		if err := lp.WriteMedia(m); err != nil {
			// A network publisher took the path over: it is theirs now.
			return n, err
		}
		n++
	}
}

const codeUnpublishNotify = "NetStream.Play.UnpublishNotify"

// remoteStreamEnded names the marker a pull puts in its playback's queue
// when the remote stream ends; no server sends a command by that name
// on a playing stream, and the queue only carries media and data anyway.
const remoteStreamEnded = "(remote stream ended)"

// pulledMedia turns a played message into what the relay carries: audio,
// video, onMetaData and the publisher's other data messages (onTextData,
// onCuePoint, ...). What the remote server says to its players itself
// (|RtmpSampleAccess, onStatus) is the remote's business.
func pulledMedia(m message.Message) (relay.Media, bool) {
	switch b := m.Body.(type) {
	case message.Audio:
		return relay.Media{Kind: relay.Audio, Timestamp: m.Timestamp, Payload: b.Payload}, true
	case message.Video:
		return relay.Media{Kind: relay.Video, Timestamp: m.Timestamp, Payload: b.Payload}, true
	case message.Data:
		if len(b.Values) >= 2 && b.Values[0] == "onMetaData" {
			payload, err := amf0.Append(nil, b.Values[:2]...)
			if err == nil {
				return relay.Media{Kind: relay.Metadata, Timestamp: m.Timestamp, Payload: payload}, true
			}
			return relay.Media{}, false
		}
		if len(b.Values) == 0 {
			return relay.Media{}, false
		}
		if name, _ := b.Values[0].(string); name == "onStatus" || strings.HasPrefix(name, "|") {
			return relay.Media{}, false
		}
		if payload, err := amf0.Append(nil, b.Values...); err == nil {
			return relay.Media{Kind: relay.Data, Timestamp: m.Timestamp, Payload: payload}, true
		}
	}
	return relay.Media{}, false
}
