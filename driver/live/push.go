package live

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/gortmp/rtmp/driver/dial"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/relay"
)

// pushKey names one push: a path to one remote.
type pushKey struct {
	path relay.Path
	base string
}

// pushLink forwards one publisher's stream to one remote: dial, publish,
// subscribe locally (fast start: metadata, sequence headers, the frames
// since the last keyframe), forward in order until the publisher leaves,
// and reconnect with backoff when the remote drops meanwhile.
//
// The subscriber is the bounded queue between the local publisher and the
// remote: a slow remote makes the relay skip video to the next keyframe
// for it (and, far behind, drop it, which counts as a failure and
// reconnects), and never slows the local publisher.
type pushLink struct {
	l         *Links
	key       pushKey
	url       string
	publisher relay.ClientID
	// after is the previous push of the same path and remote: this one
	// starts once it has ended, so the remote never sees both.
	after      <-chan struct{}
	done       chan struct{}
	superseded chan struct{}
	once       sync.Once
}

// published starts a push of a newly published path to every remote.
func (l *Links) published(p relay.Path, id relay.ClientID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, base := range l.cfg.Push {
		key := pushKey{path: p, base: base}
		pl := &pushLink{l: l, key: key, url: joinKey(base, p.Key), publisher: id,
			done: make(chan struct{}), superseded: make(chan struct{})}
		if prev := l.pushes[key]; prev != nil {
			pl.after = prev.done
			prev.supersede()
		}
		if l.start(pl.run) {
			l.pushes[key] = pl
		}
	}
}

// supersede stops a push that is waiting to reconnect: its publisher is
// gone, since a new one started on the path.
func (pl *pushLink) supersede() { pl.once.Do(func() { close(pl.superseded) }) }

func (pl *pushLink) run() {
	l := pl.l
	defer func() {
		l.mu.Lock()
		if l.pushes[pl.key] == pl {
			delete(l.pushes, pl.key)
		}
		l.mu.Unlock()
		close(pl.done)
	}()
	if pl.after != nil {
		select {
		case <-pl.after:
		case <-l.ctx.Done():
			return
		}
	}
	log := l.cfg.Logger.With("push", pl.key.path.String(), "to", pl.url)
	retry := relay.NewRetry(l.cfg.backoff())
	for {
		forwarded, err := pl.forward(l.ctx)
		if err == nil || l.ctx.Err() != nil || errors.Is(err, errPublisherGone) {
			log.Info("push ended", "messages", forwarded)
			return
		}
		l.failures.Add(1)
		delay, again := retry.Failed(forwarded > 0)
		if !again {
			log.Warn("push gave up", "failures", retry.Failures(), "err", err)
			return
		}
		log.Warn("push failed; retrying", "err", err, "in", delay)
		if !pause(l.ctx, delay, pl.superseded) {
			return
		}
	}
}

// forward runs one connection of the push. It returns nil when the local
// publisher left and everything queued reached the remote, and otherwise
// why it stopped, with the number of messages forwarded.
func (pl *pushLink) forward(ctx context.Context) (int, error) {
	l := pl.l
	// Subscribing first keeps what the publisher sends while the remote
	// connection is made, so the remote gets the stream from its first
	// message. The relay's bounds hold meanwhile, as for a slow player.
	sub, err := l.r.subscribe(pl.key.path, l.cfg.PushView, &pl.publisher, false)
	if err != nil {
		return 0, err
	}
	defer sub.Close()
	conn, err := l.cfg.Dial.Dial(ctx, pl.url)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	actx, stop := context.WithTimeout(ctx, l.answerTimeout())
	pub, err := conn.Publish(actx, "")
	stop()
	if err != nil {
		return 0, err
	}
	l.connects.Add(1)
	l.pushing.Add(1)
	defer l.pushing.Add(-1)

	cctx, cancel := watchConn(ctx, conn)
	defer cancel()
	n := 0
	for {
		m, err := sub.Read(cctx)
		if errors.Is(err, io.EOF) {
			// The publisher left and its last message is out: stop the
			// remote stream cleanly (FCUnpublish, deleteStream).
			pub.Close()
			return n, nil
		}
		if err != nil {
			if ctx.Err() != nil {
				pub.Close()
			} else if conn.Err() != nil {
				err = conn.Err()
			}
			return n, err
		}
		if err := writeMedia(pub, m); err != nil {
			return n, err
		}
		n++
	}
}

// writeMedia sends one relayed message on a publication; metadata goes as
// @setDataFrame onMetaData.
func writeMedia(pub *dial.Publication, m relay.Media) error {
	switch m.Kind {
	case relay.Audio:
		return pub.WriteMessage(message.Message{Timestamp: m.Timestamp, Body: message.Audio{Payload: m.Payload}})
	case relay.Video:
		return pub.WriteMessage(message.Message{Timestamp: m.Timestamp, Body: message.Video{Payload: m.Payload}})
	}
	values, err := amf0.DecodeAll(m.Payload)
	if err != nil {
		// The relay encoded it itself, so this does not happen; losing
		// one metadata message beats dropping the link.
		return nil
	}
	if len(values) >= 2 && values[0] == "onMetaData" {
		if props, ok := amf0.Properties(values[1]); ok {
			return pub.SetMetaData(amf0.ECMAArray(props))
		}
	}
	return pub.WriteMessage(message.Message{Timestamp: m.Timestamp, Body: message.Data{Values: values}})
}
