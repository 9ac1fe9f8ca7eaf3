package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/httpflv"
	"github.com/gortmp/rtmp/driver/live"
)

// TestRunAgainstRelay loads an in-process relay with 20 players at twice
// real time, and 3 late players: every player connects, gets everything
// published, none falls behind, every late player gets a keyframe, and the
// report says so.
func TestRunAgainstRelay(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srvCtx, stopSrv := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- driver.Serve(srvCtx, ln, &live.Relay{}, driver.Config{}) }()
	defer func() {
		stopSrv()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()

	var out bytes.Buffer
	o := options{
		url: "rtmp://" + ln.Addr().String() + "/live/load", file: "../../../testdata/media/h264-aac-320x240.flv",
		speed: 2, players: 20, late: 3, duration: 2500 * time.Millisecond, concurrency: 8, grace: 500 * time.Millisecond,
	}
	s, err := run(ctx, o, nil, &out)
	t.Log("\n" + out.String())
	if err != nil {
		t.Fatal(err)
	}
	if s.Connected != 20 || s.Failed != 0 {
		t.Errorf("%d connected, %d failed", s.Connected, s.Failed)
	}
	if s.Published < 100 {
		t.Errorf("published only %d messages in 2.5 s at twice real time", s.Published)
	}
	if s.Behind != 0 || s.Short != 0 {
		t.Errorf("%d behind, %d short", s.Behind, s.Short)
	}
	if s.Messages[0] < s.Published*95/100 {
		t.Errorf("the poorest player got %d of %d messages", s.Messages[0], s.Published)
	}
	if s.FirstKeyframe[1] <= 0 || s.FirstKeyframe[1] > 2*time.Second {
		t.Errorf("play to first keyframe p99 %v", s.FirstKeyframe[1])
	}
	if s.Late != 3 || s.LateFailed != 0 {
		t.Errorf("%d late players, %d failed", s.Late, s.LateFailed)
	}
	if s.LateFirstKeyframe[0] <= 0 || s.LateFirstKeyframe[1] < s.LateFirstKeyframe[0] || s.LateFirstKeyframe[1] > 2*time.Second {
		t.Errorf("late players' play to first keyframe median %v, p99 %v", s.LateFirstKeyframe[0], s.LateFirstKeyframe[1])
	}
	for _, want := range []string{"players: 20 connected, 0 failed, of 20", "late players: 3, 0 failed"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// With -publishers 3 and 6 players, each publisher has its own stream
// (the key with -0, -1, -2 after it) and two players, each of which gets
// all its stream's messages and only those; the players dial once the
// publishers have been at it for -play-delay.
func TestRunWithPublishers(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srvCtx, stopSrv := context.WithCancel(ctx)
	r := &live.Relay{}
	served := make(chan error, 1)
	go func() { served <- driver.Serve(srvCtx, ln, r, driver.Config{}) }()
	defer func() {
		stopSrv()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	var out bytes.Buffer
	o := options{
		url: "rtmp://" + ln.Addr().String() + "/live/ingest", file: "../../../testdata/media/h264-aac-320x240.flv",
		speed: 2, players: 6, publishers: 3, playDelay: 300 * time.Millisecond,
		duration: 2500 * time.Millisecond, concurrency: 8, grace: 500 * time.Millisecond,
	}
	s, err := run(ctx, o, nil, &out)
	t.Log("\n" + out.String())
	if err != nil {
		t.Fatal(err)
	}
	if s.Publishers != 3 || s.Connected != 6 || s.Failed != 0 || s.Short != 0 || s.Behind != 0 {
		t.Errorf("%d publishers, %d connected, %d failed, %d short, %d behind", s.Publishers, s.Connected, s.Failed, s.Short, s.Behind)
	}
	// Each stream's players get that stream's messages only: a player of
	// all three would get about three times its share.
	if perStream := s.Published / 3; s.Messages[2] > perStream*11/10 || s.PublishedBytes <= 0 {
		t.Errorf("a player got %d messages of %d published in all; %d bytes published", s.Messages[2], s.Published, s.PublishedBytes)
	}
	for i, want := range []string{"rtmp://h/live/k-0", "rtmp://h/live/k-2?key=s"} {
		url := []string{"rtmp://h/live/k", "rtmp://h/live/k?key=s"}[i]
		if got := streamURL(url, i*2, 3); got != want {
			t.Errorf("streamURL(%q, %d, 3) = %q, want %q", url, i*2, got, want)
		}
	}
	if got := streamURL("rtmp://h/live/k", 0, 1); got != "rtmp://h/live/k" {
		t.Errorf("one publisher's URL changed to %q", got)
	}
}

// With -play-url http://.../APP/KEY.flv the players play the stream over
// HTTP-FLV while the publisher publishes over RTMP; they are counted the
// same way. The same over https:// with -insecure.
func TestRunHTTPFLVPlayers(t *testing.T) {
	for _, secure := range []bool{false, true} {
		t.Run(map[bool]string{false: "http", true: "https"}[secure], func(t *testing.T) { runHTTPFLVPlayers(t, secure) })
	}
}

func runHTTPFLVPlayers(t *testing.T, secure bool) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srvCtx, stopSrv := context.WithCancel(ctx)
	r := &live.Relay{}
	served := make(chan error, 1)
	go func() { served <- driver.Serve(srvCtx, ln, r, driver.Config{}) }()
	defer func() {
		stopSrv()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	web := httptest.NewUnstartedServer(httpflv.NewHandler(r))
	var tlsConfig *tls.Config
	if secure {
		web.StartTLS()
		tlsConfig = &tls.Config{InsecureSkipVerify: true} // -insecure
	} else {
		web.Start()
	}
	defer web.Close()

	var out bytes.Buffer
	o := options{
		url: "rtmp://" + ln.Addr().String() + "/live/load", playURL: web.URL + "/live/load.flv",
		file: "../../../testdata/media/h264-aac-320x240.flv", speed: 2, players: 10, late: 2,
		duration: 2500 * time.Millisecond, concurrency: 8, grace: 500 * time.Millisecond,
	}
	s, err := run(ctx, o, tlsConfig, &out)
	t.Log("\n" + out.String())
	if err != nil {
		t.Fatal(err)
	}
	if s.Connected != 10 || s.Failed != 0 || s.Short != 0 || s.LateFailed != 0 {
		t.Errorf("%d connected, %d failed, %d short, %d late failed", s.Connected, s.Failed, s.Short, s.LateFailed)
	}
	// Short (above) holds each player to what was published while it
	// played: the publisher starts with the first dials, and a player
	// whose TLS handshake a loaded machine delays misses the beginning.
	if s.Messages[0] == 0 {
		t.Errorf("a player got nothing of %d messages", s.Published)
	}
	if s.FirstKeyframe[1] <= 0 || s.LateFirstKeyframe[1] <= 0 {
		t.Errorf("first keyframe p99 %v, late %v", s.FirstKeyframe[1], s.LateFirstKeyframe[1])
	}
}

func TestParseFlags(t *testing.T) {
	for _, args := range [][]string{
		{}, {"-url", "rtmp://h/a/k", "-speed", "0"}, {"-url", "rtmp://h/a/k", "x"},
		{"-url", "rtmp://h/a/k", "-publishers", "0"}, {"-url", "rtmp://h/a/k", "-publishers", "2", "-play-url", "http://h/a/k.flv"},
		{"-url", "rtmp://h/a/k", "-play-delay", "10s", "-duration", "5s"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	o, err := parseFlags([]string{"-url", "rtmp://h/a/k", "-players", "3000"}, io.Discard)
	if err != nil || o.players != 3000 || o.speed != 1 {
		t.Errorf("got %+v, %v", o, err)
	}
}
