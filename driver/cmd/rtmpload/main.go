// Command rtmpload loads an RTMP server: it publishes an FLV file to a URL
// in real time (or -speed times real time), looping it for -duration, and
// starts -players players on the same URL. Every second and at the end it
// reports players connected, bytes and messages received, players that
// fell behind or got less than 95% of what was published since they
// started, time from play to the first keyframe, and its own CPU use.
//
// With -publishers N it publishes N streams at once, each to the URL's
// key with -0, -1, ... after it, and spreads the players over them (an
// ingest load: -publishers 50 -players 50 is fifty encoders with a viewer
// each); the report counts the bytes published, what the server received.
//
// With -late K, K more players join one at a time while the stream runs,
// spread from 40% to 90% of -duration, when the -players are all playing:
// the late player that fast start is for. Their time to the first keyframe
// is reported apart from the crowd's, which all dial at once.
//
//	go run ./driver/cmd/rtmpload -url rtmp://127.0.0.1:1935/live/load -players 100 -duration 10s
//
// With -json the final summary follows as one JSON line, which is how
// rtmpbench reads it.
//
// One process holds thousands of players on loopback: each has two
// goroutines and small buffers.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gortmp/rtmp/driver/internal/cli"
)

// options are the command line flags.
type options struct {
	url         string
	file        string
	speed       float64
	players     int
	publishers  int
	playDelay   time.Duration
	late        int
	duration    time.Duration
	concurrency int
	grace       time.Duration
	insecure    bool
	json        bool
	// playURL, if set, is where players play from instead of url: an
	// rtmp[s|e]:// URL, or an http:// one of an HTTP-FLV stream.
	playURL string
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("rtmpload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.url, "url", "", "RTMP URL (rtmp, rtmps, rtmpe, rtmpt, rtmpte, rtmpts) with app and key to publish to and play from (required)")
	fs.StringVar(&o.file, "file", "testdata/media/h264-aac-640x360.flv", "FLV file to publish, looped")
	fs.StringVar(&o.playURL, "play-url", "", "where players play from instead of -url: another RTMP URL, or http://host:port/APP/KEY.flv for HTTP-FLV players")
	fs.Float64Var(&o.speed, "speed", 1, "publishing pace as a multiple of real time")
	fs.IntVar(&o.players, "players", 100, "number of players (with -publishers N, spread over the N streams)")
	fs.IntVar(&o.publishers, "publishers", 1, "publishers, each to its own stream: the URL's key with -0, -1, ... after it when more than one")
	fs.DurationVar(&o.playDelay, "play-delay", 0, "how long after the publishers start the players dial (for servers that refuse a play before the stream is ready)")
	fs.IntVar(&o.late, "late", 0, "players that join one at a time while the stream runs (from 40% to 90% of -duration), reported apart")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "how long to publish")
	fs.IntVar(&o.concurrency, "dial-concurrency", 64, "players dialling at the same time")
	fs.DurationVar(&o.grace, "grace", time.Second, "how long players keep reading after the publisher stops")
	fs.BoolVar(&o.json, "json", false, "print the final summary as one JSON line after the text report")
	fs.BoolVar(&o.insecure, "insecure", false, "skip TLS certificate verification (rtmps://, rtmpts://, https://)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected arguments: %v", fs.Args())
	case o.url == "":
		return o, errors.New("-url is required")
	case o.speed <= 0:
		return o, errors.New("-speed must be positive")
	case o.players < 0 || o.late < 0 || o.concurrency < 1:
		return o, errors.New("-players and -late must be 0 or more and -dial-concurrency 1 or more")
	case o.publishers < 1 || o.publishers > 1000:
		return o, errors.New("-publishers must be from 1 to 1000")
	case o.publishers > 1 && o.playURL != "":
		return o, errors.New("-play-url plays one stream: it needs -publishers 1")
	case o.playDelay < 0 || o.playDelay >= o.duration:
		return o, errors.New("-play-delay must be 0 or more and shorter than -duration")
	case o.duration <= 0:
		return o, errors.New("-duration must be positive")
	}
	return o, nil
}

func main() {
	cli.Main("rtmpload", parseFlags, func(ctx context.Context, o options) error {
		var tlsConfig *tls.Config
		if o.insecure {
			tlsConfig = &tls.Config{InsecureSkipVerify: true}
		}
		s, err := run(ctx, o, tlsConfig, os.Stdout)
		if o.json {
			s.printJSON(os.Stdout)
		}
		return err
	})
}
