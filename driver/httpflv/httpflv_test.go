package httpflv_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/httpflv"
	"github.com/gortmp/rtmp/driver/live"
)

func serve(t *testing.T, r *live.Relay) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(httpflv.NewHandler(r))
	t.Cleanup(srv.Close)
	return srv
}

// serveHTTP2 serves over TLS with HTTP/2, where a connection cannot be
// taken over: players are served through a Subscriber.
func serveHTTP2(t *testing.T, r *live.Relay) *httptest.Server {
	t.Helper()
	srv := httptest.NewUnstartedServer(httpflv.NewHandler(r))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// A player that joins a live stream gets an FLV file: the metadata, the
// decoder configuration and the group since the last keyframe first, then
// what is published, each message one tag with its timestamp, until the
// publisher stops, which ends the file. The same over HTTP/1.1, where the
// relay writes every player the same chunks straight to its connection,
// and HTTP/2, where the handler writes each player's tags.
func TestStreamsFLV(t *testing.T) {
	for _, tc := range []struct {
		name  string
		serve func(*testing.T, *live.Relay) *httptest.Server
		proto int
	}{
		{"HTTP/1.1", serve, 1},
		{"HTTP/2", serveHTTP2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &live.Relay{}
			srv := tc.serve(t, r)
			streamsFLV(t, r, srv, tc.proto)
		})
	}
}

func streamsFLV(t *testing.T, r *live.Relay, srv *httptest.Server, proto int) {
	path := relay.Path{App: "live", Key: "demo"}
	pub, err := r.PublishLocal(path)
	if err != nil {
		t.Fatal(err)
	}
	md, _ := amf0.Append(nil, "onMetaData", amf0.ECMAArray{{Key: "width", Value: 640.0}})
	before := []relay.Media{
		{Kind: relay.Metadata, Payload: md},
		{Kind: relay.Audio, Payload: []byte{0xaf, 0, 0x12, 0x10}},
		{Kind: relay.Video, Payload: []byte{0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f}},
		{Kind: relay.Video, Timestamp: 0, Payload: []byte{0x17, 1, 0, 0, 0, 'K'}},
		{Kind: relay.Audio, Timestamp: 23, Payload: []byte{0xaf, 1, 'a'}},
	}
	for _, m := range before {
		pub.WriteMedia(m)
	}
	resp, err := srv.Client().Get(srv.URL + "/live/demo.flv")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "video/x-flv" || resp.ProtoMajor != proto {
		t.Fatalf("status %d, content type %q, %s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Proto)
	}
	if proto == 1 && (len(resp.TransferEncoding) != 1 || resp.TransferEncoding[0] != "chunked" || resp.Header.Get("Access-Control-Allow-Origin") != "*") {
		t.Errorf("transfer encoding %q, header %v; want chunked, and the handler's headers", resp.TransferEncoding, resp.Header)
	}
	waitPlayers(t, r, path, 1)
	after := []relay.Media{
		{Kind: relay.Video, Timestamp: 40, Payload: []byte{0x27, 1, 0, 0, 0, 'P'}},
		{Kind: relay.Video, Timestamp: 0x1000020, Payload: []byte{0x27, 1, 0, 0, 0, 'Q'}}, // an extended timestamp
	}
	for _, m := range after {
		pub.WriteMedia(m)
	}
	pub.Close()

	tags, err := flv.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("the response is not an FLV file that ends: %v", err)
	}
	var want []flv.Tag
	for _, m := range append(before, after...) {
		typ := map[relay.Kind]flv.TagType{relay.Audio: flv.TagAudio, relay.Video: flv.TagVideo, relay.Metadata: flv.TagScript}[m.Kind]
		want = append(want, flv.Tag{Type: typ, Timestamp: m.Timestamp, Data: m.Payload})
	}
	if diff := cmp.Diff(want, tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
}

// A player that goes away leaves the relay; the key is checked; other
// methods and paths are refused; HEAD answers the headers alone.
func TestRequests(t *testing.T) {
	r := &live.Relay{PlayKey: "s3cret"}
	srv := serve(t, r)
	path := relay.Path{App: "live", Key: "demo"}
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/live/demo.flv", http.StatusForbidden},
		{http.MethodGet, "/live/demo.flv?key=nope", http.StatusForbidden},
		{http.MethodPost, "/live/demo.flv?key=s3cret", http.StatusMethodNotAllowed},
		{http.MethodGet, "/live/demo", http.StatusNotFound},
		{http.MethodGet, "/demo.flv", http.StatusNotFound},
		{http.MethodGet, "/live/.flv", http.StatusNotFound},
		{http.MethodHead, "/live/demo.flv?key=s3cret", http.StatusOK},
	} {
		req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, resp.StatusCode, tc.want)
		}
	}
	if n := r.Players(path); n != 0 {
		t.Errorf("%d players after requests that play nothing", n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/live/app/demo.flv?key=s3cret", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	header := make([]byte, 13)
	if _, err := resp.Body.Read(header); err != nil || !bytes.HasPrefix(header, []byte("FLV\x01\x05")) {
		t.Fatalf("header %q, %v", header, err)
	}
	nested := relay.Path{App: "live/app", Key: "demo"}
	waitPlayers(t, r, nested, 1)
	cancel()
	resp.Body.Close()
	waitPlayers(t, r, nested, 0)
}

func waitPlayers(t *testing.T, r *live.Relay, p relay.Path, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for r.Players(p) != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d players on %s, want %d", r.Players(p), p, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A client that stops reading is dropped by the relay's policy like a slow
// RTMP player, and its connection closed; the publisher never waits for it.
func TestSlowPlayerDropped(t *testing.T) {
	r := &live.Relay{Limits: relay.Config{MaxQueueBytes: 64 << 10}}
	srv := serve(t, r)
	path := relay.Path{App: "live", Key: "demo"}
	pub, err := r.PublishLocal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /live/demo.flv HTTP/1.1\r\nHost: x\r\n\r\n")
	waitPlayers(t, r, path, 1)
	// Audio is never skipped: past the hard bound the player goes.
	payload := make([]byte, 10<<10)
	payload[0] = 0xaf
	start := time.Now()
	for i := 0; r.Players(path) == 1 && i < 4000; i++ {
		pub.WriteMedia(relay.Media{Kind: relay.Audio, Timestamp: uint32(i), Payload: payload})
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("publishing to a stalled player took %v", d)
	}
	waitPlayers(t, r, path, 0)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.Copy(io.Discard, conn); err != nil {
		t.Errorf("the dropped player's connection did not end: %v", err)
	}
}

// A player's response ends with its request's context: a server that
// stops cancels the context it gives its requests and every player ends,
// those whose connections net/http handed over included.
func TestPlayersEndWithTheServer(t *testing.T) {
	r := &live.Relay{}
	ctx, cancel := context.WithCancel(context.Background())
	srv := httptest.NewUnstartedServer(httpflv.NewHandler(r))
	srv.Config.BaseContext = func(net.Listener) context.Context { return ctx }
	srv.Start()
	defer srv.Close()
	path := relay.Path{App: "live", Key: "demo"}
	resp, err := http.Get(srv.URL + "/live/demo.flv") // waits for a publisher
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	waitPlayers(t, r, path, 1)
	cancel()
	waitPlayers(t, r, path, 0)
	done := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, resp.Body)
		done <- err
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Error("the response went on after the server's context ended")
	}
}

// The deadlines net/http set for the request (ReadTimeout, WriteTimeout)
// do not end a stream it handed over: a player that waits longer than them
// still gets what is published.
func TestServerTimeoutsDoNotEndPlayers(t *testing.T) {
	r := &live.Relay{}
	srv := httptest.NewUnstartedServer(httpflv.NewHandler(r))
	srv.Config.ReadTimeout = 200 * time.Millisecond
	srv.Config.WriteTimeout = 200 * time.Millisecond
	srv.Start()
	defer srv.Close()
	path := relay.Path{App: "live", Key: "demo"}
	resp, err := http.Get(srv.URL + "/live/demo.flv")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	waitPlayers(t, r, path, 1)
	time.Sleep(500 * time.Millisecond)
	pub, err := r.PublishLocal(path)
	if err != nil {
		t.Fatal(err)
	}
	frames := []relay.Media{
		{Kind: relay.Video, Payload: []byte{0x17, 0, 0, 0, 0, 1}},
		{Kind: relay.Video, Timestamp: 40, Payload: []byte{0x17, 1, 0, 0, 0, 'K'}},
	}
	for _, m := range frames {
		pub.WriteMedia(m)
	}
	pub.Close()
	tags, err := flv.ReadAll(resp.Body)
	if err != nil || len(tags) != len(frames) {
		t.Fatalf("%d tags, %v; want %d after waiting past the server's timeouts", len(tags), err, len(frames))
	}
}
