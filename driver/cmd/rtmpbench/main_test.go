package main

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/internal/peers"
)

func TestParseFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-n", "0"}, {"-n", "5001"}, {"-n", "10,x"}, {"-duration", "1s"}, {"-duration", "6m"},
		{"-media", "31s"}, {"-rtmpdump", "301"}, {"-late", "-1"}, {"-late", "301"}, {"-servers", "srs"}, {"extra"},
		{"-merge-writes", "x"}, {"-merge-writes", "-1ms"}, {"-merge-writes", "6s"}, {"-publishers", "0"}, {"-publishers", "201"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	o, err := parseFlags([]string{"-n", "100, 300", "-duration", "3s", "-servers", "nginx"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.ns) != 2 || o.ns[1] != 300 || o.duration != 3*time.Second || !o.wants(serverNginx) || o.wants(serverRTMPD) {
		t.Errorf("got %+v", o)
	}
	o, err = parseFlags([]string{"-merge-writes", "0, 100ms,350ms", "-publishers", "20,50", "-mediamtx", "/opt/mediamtx"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, tg := range o.targets() {
		labels = append(labels, tg.label())
	}
	if want := "rtmpd,rtmpd mw=100ms,rtmpd mw=350ms,nginx,mediamtx"; strings.Join(labels, ",") != want {
		t.Errorf("targets %v, want %s", labels, want)
	}
	if len(o.publishers) != 2 || o.publishers[1] != 50 || o.mediamtx != "/opt/mediamtx" {
		t.Errorf("got %+v", o)
	}
	o, err = parseFlags([]string{"-mediamtx", "none"}, io.Discard)
	if err != nil || o.mediamtx != "" || o.wants(serverMediaMTX) {
		t.Errorf("-mediamtx none: %+v, %v", o, err)
	}
}

// mediamtx is configured to serve RTMP on the given address and nothing
// else, any path.
func TestMediaMTXConfig(t *testing.T) {
	c := mediamtxConfig("127.0.0.1:7")
	for _, want := range []string{
		"rtmp: yes", "rtmpAddress: 127.0.0.1:7", "rtsp: no", "hls: no", "webrtc: no", "srt: no",
		"api: no", "metrics: no", "playback: no", "all_others:",
	} {
		if !strings.Contains(c, want) {
			t.Errorf("config lacks %q:\n%s", want, c)
		}
	}
	if !slices.Contains(mediamtxEnv, "MTX_MOQ=no") {
		t.Errorf("environment %v leaves MoQ on", mediamtxEnv)
	}
}

func TestNginxConfig(t *testing.T) {
	c := nginxConfig("/m.so", "/d", "127.0.0.1:1")
	for _, want := range []string{
		"load_module /m.so;", "daemon off;", "master_process off;", "worker_processes 1;",
		"pid /d/nginx.pid;", "listen 127.0.0.1:1;", "chunk_size 4096;", "live on;",
	} {
		if !strings.Contains(c, want) {
			t.Errorf("config lacks %q:\n%s", want, c)
		}
	}
}

func TestLastJSON(t *testing.T) {
	out := "t=1s ...\n---\n{\"Players\":3,\"TotalBytes\":7,\"Short\":1,\"FirstKeyframeP99MS\":2.5}\n"
	s, err := lastJSON([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if s.Players != 3 || s.TotalBytes != 7 || s.Short != 1 || s.FirstKeyframeP99MS != 2.5 {
		t.Errorf("got %+v", s)
	}
	if _, err := lastJSON([]byte("no summary\n")); err == nil {
		t.Error("output without a JSON line accepted")
	}
}

// TestSmoke runs the whole benchmark at a tiny size: both servers, three
// rtmpload players and one rtmpdump for three seconds, and checks that
// each server delivered media and that the table names every measure.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two programs and runs two servers")
	}
	peers.Need(t, peers.FFmpeg)
	peers.Need(t, peers.NginxRTMP)
	o, err := parseFlags([]string{"-n", "3", "-duration", "4s", "-media", "2s", "-rtmpdump", "1", "-late", "2", "-cpuprofile-n", "0", "-merge-writes", "0,200ms", "-mediamtx", "none"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var out bytes.Buffer
	ms, err := run(ctx, o, &out, io.Discard)
	t.Log("\n" + out.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 3 {
		t.Fatalf("%d measures, want 3 (rtmpd, rtmpd mw=200ms, nginx)", len(ms))
	}
	for _, m := range ms {
		if m.res.load.Connected != 3 || m.res.delivered() == 0 || m.cpu <= 0 || m.rss <= 0 {
			t.Errorf("%s: %d connected, %d bytes, cpu %v, rss %d", m.server, m.res.load.Connected, m.res.delivered(), m.cpu, m.rss)
		}
		if m.sysCPU < 0 || m.sysCPU > m.cpu {
			t.Errorf("%s: system CPU %v outside 0..%v", m.server, m.sysCPU, m.cpu)
		}
		if m.res.load.Late != 2 {
			t.Errorf("%s: %d late players, want 2", m.server, m.res.load.Late)
		}
	}
	for _, want := range []string{"messages a write", "CPU s per GB delivered", "of which in the kernel", "server+rtmpload CPU s per GB", "peak RSS MiB", "players < 95% of media", "play to 1st keyframe p99 ms", "late player 1st keyframe p99 ms", "ours/nginx", "rtmpd mw=200ms", "mw=200ms/nginx"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q", want)
		}
	}
}

// TestIngestSmoke runs the ingest benchmark at a tiny size: two
// publishers with a player each, against both servers; each server
// received and delivered media, and the table says so per GB received.
func TestIngestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two programs and runs two servers")
	}
	peers.Need(t, peers.FFmpeg)
	peers.Need(t, peers.NginxRTMP)
	o, err := parseFlags([]string{"-publishers", "2", "-duration", "3s", "-media", "2s", "-cpuprofile-n", "0", "-mediamtx", "none"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var out bytes.Buffer
	ms, err := run(ctx, o, &out, io.Discard)
	t.Log("\n" + out.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 {
		t.Fatalf("%d measures, want 2", len(ms))
	}
	for _, m := range ms {
		if m.res.load.Publishers != 2 || m.res.load.Connected != 2 || m.res.load.PublishedBytes == 0 || m.res.delivered() == 0 || m.cpuPerGBReceived() <= 0 {
			t.Errorf("%s: %d publishers, %d players, %d bytes received, %d delivered, %.3f CPU s per GB", m.server,
				m.res.load.Publishers, m.res.load.Connected, m.res.load.PublishedBytes, m.res.delivered(), m.cpuPerGBReceived())
		}
	}
	for _, want := range []string{"ingest: 2 publishers", "CPU s per GB received", "ours/nginx"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q", want)
		}
	}
}
