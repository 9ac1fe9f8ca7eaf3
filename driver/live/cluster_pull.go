package live

import (
	"context"
	"log/slog"
	"time"

	"github.com/gortmp/rtmp/core/relay"
)

// fetched is how one pull connection ended.
type fetched struct {
	n   int
	err error
}

// follow pulls the path from the owner the directory names, as
// relay.Follow decides: it looks the owner up, pulls from it, looks it up
// again every refresh period and when the pull connection ends, and
// replaces the connection when the owner changed. Local players stay on
// the path throughout: they see the old owner's stream end and the new
// one's begin, and never reconnect.
func (pl *pullLink) follow(ctx context.Context, log *slog.Logger) {
	l := pl.l
	n := l.cluster
	f := relay.NewFollow(n.cfg.Advertise, n.cfg.Times)
	var stopFetch context.CancelFunc
	var done chan fetched
	stop := func() {
		if done != nil {
			stopFetch()
			<-done
			done, stopFetch = nil, nil
		}
	}
	defer func() {
		stop()
		if pl.held != nil {
			pl.held.Close()
			pl.held = nil
		}
	}()
	next := l.now()
	lookupFailures := 0
	for {
		wait := time.NewTimer(max(next-l.now(), 0))
		select {
		case <-ctx.Done():
			wait.Stop()
			return
		case res := <-done:
			wait.Stop()
			done, stopFetch = nil, nil
			if relay.PullEnded(res.err) {
				log.Info("pull ended", "messages", res.n, "err", res.err)
				return
			}
			log.Info("cluster: pull from the owner ended; looking it up again", "messages", res.n, "err", res.err)
			next = f.PullEnded(l.now(), res.n > 0)
			continue
		case <-wait.C:
		}
		var o relay.Owner
		var found bool
		err := n.call(func(cctx context.Context) (err error) {
			o, found, err = n.cfg.Directory.Lookup(cctx, pl.path)
			return err
		})
		if err != nil {
			lookupFailures++
			log.Warn("cluster: look-up failed; retrying", "err", err, "failures", lookupFailures)
		} else {
			lookupFailures = 0
		}
		step := f.Looked(l.now(), o, found, err)
		next = step.Next
		if step.Stop {
			log.Info("cluster: this node owns the stream now; pull stopped")
			stop()
			if pl.held != nil {
				pl.held.Close()
				pl.held = nil
			}
		}
		if step.Pull == nil {
			continue
		}
		stop()
		base := step.Pull.URL + "/" + pl.path.App
		log.Info("cluster: pulling from the owner", "owner", step.Pull.URL, "token", step.Pull.Token)
		n.pulls.Add(1)
		fctx, cancel := context.WithCancel(ctx)
		ch := make(chan fetched, 1)
		stopFetch, done = cancel, ch
		go func() {
			got, err := pl.fetch(fctx, []string{base})
			ch <- fetched{got, err}
		}()
	}
}

// replaceLocal makes a new in-process publisher of p in place of old,
// which published p until its connection ended: the new one takes the
// path over, so the players stay and are told a publisher started, not
// that one stopped (ffmpeg quits on the latter), and the new stream's
// timestamps continue the old one's. If old no longer publishes p, it is
// a plain PublishLocal.
func (r *Relay) replaceLocal(p relay.Path, old *LocalPublisher) (*LocalPublisher, error) {
	old.mu.Lock()
	wasOpen := !old.closed
	old.closed = true
	old.mu.Unlock()
	st := r.stream(p)
	if !wasOpen || !st.s.IsPublisher(old.id) {
		st.mu.Unlock()
		return r.PublishLocal(p)
	}
	id := nextLocalID()
	fx, err := st.s.TakeOver(id)
	if err != nil {
		st.mu.Unlock()
		return nil, err
	}
	lp := &LocalPublisher{r: r, st: st, id: id}
	r.carryOut(st, fx)
	st.pub = publisherRef{id: id, local: lp}
	st.mu.Unlock()
	r.linkPublished(p, id)
	return lp, nil
}
