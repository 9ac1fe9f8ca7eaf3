package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"
)

// linkOptions are the flags of the relay's links to other servers.
type linkOptions struct {
	push, pull   urlList
	linger       time.Duration
	record       string
	recordFormat string
}

// urlList is a repeatable flag of rtmp[s]://host[:port]/app URLs.
type urlList []string

func (u *urlList) String() string { return strings.Join(*u, " ") }

func (u *urlList) Set(s string) error {
	t, err := dial.ParseURL(s)
	if err != nil {
		return err
	}
	if t.Key != "" {
		return fmt.Errorf("%s: give rtmp://host:port/app; the stream key is the local one", s)
	}
	*u = append(*u, s)
	return nil
}

func (lo *linkOptions) register(fs *flag.FlagSet) {
	fs.Var(&lo.push, "push", "forward every stream published here as APP/KEY to `URL`/KEY, for example rtmp://origin:1935/live (repeatable)")
	fs.Var(&lo.pull, "pull", "on the first play of APP/KEY with no publisher here, play `URL`/KEY and relay it; URLs whose app is APP are tried first, in order (repeatable)")
	fs.DurationVar(&lo.linger, "pull-linger", 3*time.Second, "how long a pull goes on after its last player left")
	fs.StringVar(&lo.record, "record", "", "write every published stream to a new FLV file `DIR`/APP/KEY-YYYYMMDD-HHMMSS.flv (empty: no recording)")
	lo.recordFormat = "flv"
	fs.Func("record-format", "`flv` (default) or mp4: fragmented MP4 recordings, readable while written and after a crash", func(s string) error {
		if s != "flv" && s != live.RecordMP4 {
			return fmt.Errorf("%q: want flv or mp4", s)
		}
		lo.recordFormat = s
		return nil
	})
}

// startLinks starts the relay's push and pull links and its recording,
// if any were asked for. The returned function stops them and waits until
// they are gone (recordings are then closed, whole).
func startLinks(ctx context.Context, h *live.Relay, lo linkOptions, logger *slog.Logger) (stop func(), err error) {
	if len(lo.push) == 0 && len(lo.pull) == 0 && lo.record == "" {
		return func() {}, nil
	}
	lctx, cancel := context.WithCancel(ctx)
	links, err := h.Link(lctx, live.LinkConfig{
		Push:         lo.push,
		Pull:         lo.pull,
		Linger:       lo.linger,
		Record:       lo.record,
		RecordFormat: lo.recordFormat,
		Logger:       logger,
	})
	if err != nil {
		cancel()
		return nil, err
	}
	for _, u := range lo.push {
		logger.Info("pushing every published stream", "to", u)
	}
	for _, u := range lo.pull {
		logger.Info("pulling streams played with no publisher", "from", u)
	}
	if lo.record != "" {
		logger.Info("recording every published stream", "to", lo.record, "format", lo.recordFormat)
	}
	return func() {
		cancel()
		links.Wait()
	}, nil
}
