package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/driver/dial"
)

// viewers is what GET /stats and GET /api/streams say of a stream's
// viewers and in-process readers.
type viewers struct {
	Players          int `json:"players"`
	HLSPlayers       int `json:"hls_players"`
	LocalSubscribers int `json:"local_subscribers"`
}

// viewersOf reads live/v's counts from GET path (/stats or /api/streams).
func viewersOf(t *testing.T, base, path string) viewers {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Streams []struct {
			App, Key string
			viewers
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, s := range got.Streams {
		if s.App == "live" && s.Key == "v" {
			return s.viewers
		}
	}
	t.Fatalf("%s does not list live/v", path)
	return viewers{}
}

// One browser watching over HLS is one viewer, over HLS: the segmenter
// that cuts the stream for it is an in-process reader, counted apart in
// /stats and /metrics and left out of the page's list; an RTMP player that
// joins is a second viewer.
func TestStatsCountViewersNotTheSegmenter(t *testing.T) {
	tags, err := readFLVFile("../../../testdata/media/h264-aac-320x240.flv")
	if err != nil {
		t.Fatal(err)
	}
	srv := startRunning(t, options{listen: "127.0.0.1:0", httpListen: "127.0.0.1:0", logLevel: "warn", stats: true,
		web: webOptions{hls: true, page: true, segment: time.Second, part: 200 * time.Millisecond, window: 6}})
	base := "http://" + srv.addrs[addrHTTP].String()
	url := "rtmp://" + srv.addrs[addrRTMP].String() + "/live/v"
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	publisher, err := dial.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer publisher.Close()
	pub, err := publisher.Publish(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	published := make(chan error, 1)
	go func() { published <- publishLoop(ctx, pub, tags) }()
	defer func() { cancel(); <-published }()

	// The first playlist request starts the segmenter and is answered
	// once a segment is complete.
	req, _ := http.NewRequestWithContext(ctx, "GET", base+"/live/v/index.m3u8", nil)
	req.Header.Set("User-Agent", "a browser")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("the playlist: %d", resp.StatusCode)
	}
	if diff := cmp.Diff(viewers{Players: 0, HLSPlayers: 1, LocalSubscribers: 1}, viewersOf(t, base, "/stats")); diff != "" {
		t.Errorf("/stats with one HLS viewer (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(viewers{Players: 0, HLSPlayers: 1}, viewersOf(t, base, "/api/streams")); diff != "" {
		t.Errorf("the page's list with one HLS viewer (-want +got):\n%s", diff)
	}
	const labels = `{app="live",key="v"}`
	m := metricsOf(t, base)
	for _, want := range []string{"rtmpd_stream_players" + labels + " 0\n", "rtmpd_stream_hls_players" + labels + " 1\n", "rtmpd_stream_local_subscribers" + labels + " 1\n"} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, m)
		}
	}

	player, err := dial.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer player.Close()
	if _, err := player.Play(ctx, ""); err != nil {
		t.Fatal(err)
	}
	waitPlayers(t, base, "live", "v", 1)
	if diff := cmp.Diff(viewers{Players: 1, HLSPlayers: 1, LocalSubscribers: 1}, viewersOf(t, base, "/stats")); diff != "" {
		t.Errorf("/stats with an RTMP viewer too (-want +got):\n%s", diff)
	}
}
