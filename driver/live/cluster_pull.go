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
	defer stop()
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
