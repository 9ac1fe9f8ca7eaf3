package hls_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	corehls "github.com/gortmp/rtmp/core/hls"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/hls"
	"github.com/gortmp/rtmp/driver/live"
)

var demo = relay.Path{App: "live", Key: "demo"}

// request sends one request and returns its status, headers and body.
func request(t *testing.T, method, url string, header ...string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// beginSegmenting starts the stream's segmenter with a first playlist
// request, whose answer comes on the channel, and waits until the
// segmenter plays the path: what is published next is all segmented.
func beginSegmenting(t *testing.T, srv *server, url string, header ...string) <-chan int {
	t.Helper()
	first := make(chan int, 1)
	go func() {
		code, _, _ := request(t, "GET", url, header...)
		first <- code
	}()
	waitFor(t, "the segmenter", 5*time.Second, func() bool { return srv.relay.Players(demo) == 1 })
	return first
}

// settled returns the playlist once the segmenter has taken everything
// published and the playlist stays the same for 200 ms.
func settled(t *testing.T, srv *server, url string) string {
	t.Helper()
	waitFor(t, "the segmenter to take what was published", 5*time.Second, func() bool {
		q := srv.relay.Queued(demo)
		return len(q) == 1 && q[0] == 0
	})
	_, _, last := request(t, "GET", url)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		time.Sleep(200 * time.Millisecond)
		_, _, body := request(t, "GET", url)
		if body == last {
			return body
		}
		last = body
	}
	t.Fatal("the playlist keeps changing with nothing published")
	return ""
}

// publishUntil writes the sample's messages up to timestamp until, at
// once, and returns where it stopped.
func publishUntil(pub *live.LocalPublisher, tags []relay.Media, from int, until uint32) int {
	for from < len(tags) && tags[from].Timestamp < until {
		pub.WriteMedia(tags[from])
		from++
	}
	return from
}

// Requests: the play key is asked of every one and carried on to the
// playlist's URIs; other methods, unknown streams, bad and far-off
// directives are refused; every answer allows other origins.
func TestRequests(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := &live.Relay{PlayKey: "s3cret"}
	srv := startServer(t, ctx, r, hls.Config{Timeline: corehls.Config{TargetDuration: time.Second}})
	pub, err := r.PublishLocal(demo)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	base := srv.web.URL + "/live/demo/"
	first := beginSegmenting(t, srv, base+"index.m3u8?key=s3cret")
	publishUntil(pub, mediaTags(t), 0, 2500)
	if code := <-first; code != 200 {
		t.Fatalf("first playlist: %d", code)
	}

	code, hdr, body := request(t, "GET", base+"index.m3u8?key=s3cret")
	if code != 200 || hdr.Get("Content-Type") != "application/vnd.apple.mpegurl" || hdr.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("playlist: %d %v\n%s", code, hdr, body)
	}
	if !strings.Contains(body, `#EXT-X-MAP:URI="init-`) || !strings.Contains(body, `.mp4?key=s3cret"`) || !strings.Contains(body, "seg-0.m4s?key=s3cret\n") {
		t.Errorf("the playlist's URIs lack the key:\n%s", body)
	}
	parts, initURI := partsOf(body)
	if len(parts) == 0 {
		t.Fatalf("no part listed:\n%s", body)
	}
	for _, tc := range []struct {
		method, url string
		want        int
		contentType string
	}{
		{"GET", base + initURI, 200, "video/mp4"},
		{"GET", base + parts[0].uri, 200, "video/mp4"},
		{"HEAD", base + "seg-0.m4s?key=s3cret", 200, "video/mp4"},
		{"GET", base + "index.m3u8", 403, ""},
		{"GET", base + "seg-0.m4s?key=nope", 403, ""},
		{"POST", base + "index.m3u8?key=s3cret", 405, ""},
		{"GET", srv.web.URL + "/live/other/index.m3u8?key=s3cret", 404, ""},
		{"GET", srv.web.URL + "/live/demo/seg-99.m4s?key=s3cret", 404, ""},
		{"GET", srv.web.URL + "/live/demo.flv", 404, ""},
		{"GET", base + "index.m3u8?key=s3cret&_HLS_part=1", 400, ""},
		{"GET", base + "index.m3u8?key=s3cret&_HLS_msn=x", 400, ""},
		{"GET", base + "index.m3u8?key=s3cret&_HLS_msn=1000&_HLS_part=0", 400, ""},
	} {
		code, hdr, body := request(t, tc.method, tc.url)
		if code != tc.want || tc.contentType != "" && hdr.Get("Content-Type") != tc.contentType {
			t.Errorf("%s %s: %d %q, want %d %q (%s)", tc.method, tc.url, code, hdr.Get("Content-Type"), tc.want, tc.contentType, body)
		}
	}
}

// A blocking reload for a part still to come is held until the part is
// listed, and a request for the part a preload hint names is held until
// the part is complete; then both answer with it.
func TestBlockingReloadAndPreloadHint(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := &live.Relay{}
	srv := startServer(t, ctx, r, hls.Config{Timeline: corehls.Config{TargetDuration: time.Second}})
	pub, err := r.PublishLocal(demo)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	tags := mediaTags(t)
	base := srv.web.URL + "/live/demo/"
	first := beginSegmenting(t, srv, base+"index.m3u8")
	at := publishUntil(pub, tags, 0, 1500)
	<-first
	body := settled(t, srv, base+"index.m3u8")
	_, hint, _ := strings.Cut(body, `#EXT-X-PRELOAD-HINT:TYPE=PART,URI="`)
	hint, _, _ = strings.Cut(hint, `"`)
	kind, _, next := corehls.ParseName(hint)
	if kind != corehls.PartFile {
		t.Fatalf("no preload hint:\n%s", body)
	}

	type answer struct {
		code int
		body string
	}
	reload, part := make(chan answer, 1), make(chan answer, 1)
	go func() {
		code, _, body := request(t, "GET", base+"index.m3u8?_HLS_msn="+itoa(next.MSN)+"&_HLS_part="+itoa(uint64(next.Part)))
		reload <- answer{code, body}
	}()
	go func() {
		code, _, body := request(t, "GET", base+hint)
		part <- answer{code, body}
	}()
	select {
	case a := <-reload:
		t.Fatalf("the blocking reload answered before its part was complete: %d\n%s", a.code, a.body)
	case a := <-part:
		t.Fatalf("the hinted part was served before it was complete: %d", a.code)
	case <-time.After(300 * time.Millisecond):
	}
	publishUntil(pub, tags, at, 2500)
	a := <-reload
	if a.code != 200 || !strings.Contains(a.body, hint) {
		t.Errorf("the blocking reload: %d, without %s\n%s", a.code, hint, a.body)
	}
	if a := <-part; a.code != 200 || len(a.body) == 0 || a.body[4:8] != "moof" {
		t.Errorf("the hinted part: %d, %d bytes", a.code, len(a.body))
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }

// Players are counted by address and user agent while they ask; a stream
// nobody asks for stops being segmented after Config.Idle, and its
// segmenter leaves the relay.
func TestPlayersAndIdle(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := &live.Relay{}
	srv := startServer(t, ctx, r, hls.Config{Idle: time.Second, PlayerTimeout: 500 * time.Millisecond, Timeline: corehls.Config{TargetDuration: time.Second}})
	pub, err := r.PublishLocal(demo)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	url := srv.web.URL + "/live/demo/index.m3u8"
	first := beginSegmenting(t, srv, url, "User-Agent", "player one")
	publishUntil(pub, mediaTags(t), 0, 2500)
	<-first
	for _, agent := range []string{"player one", "player two", "player two"} {
		if code, _, _ := request(t, "GET", url, "User-Agent", agent); code != 200 {
			t.Fatalf("playlist: %d", code)
		}
	}
	if n := srv.hls.Players(demo); n != 2 {
		t.Errorf("%d HLS players, want 2", n)
	}
	if n := r.Players(demo); n != 1 {
		t.Errorf("%d relay players, want 1: the one segmenter for every HLS player", n)
	}
	waitFor(t, "the players to age out", 5*time.Second, func() bool { return srv.hls.Players(demo) == 0 })
	waitFor(t, "the idle stream to stop", 5*time.Second, func() bool { return len(srv.hls.Streams()) == 0 && r.Players(demo) == 0 })
}

// A stream whose window outgrows Config.MaxBytes ends: its playlist says
// so, and its segmenter leaves the relay.
func TestMemoryBound(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := &live.Relay{}
	srv := startServer(t, ctx, r, hls.Config{MaxBytes: 200 << 10, Timeline: corehls.Config{TargetDuration: time.Second}})
	pub, err := r.PublishLocal(demo)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	first := beginSegmenting(t, srv, srv.web.URL+"/live/demo/index.m3u8")
	publishUntil(pub, mediaTags(t), 0, 4000)
	<-first
	waitFor(t, "the stream to end", 5*time.Second, func() bool { return r.Players(demo) == 0 })
	_, _, body := request(t, "GET", srv.web.URL+"/live/demo/index.m3u8")
	if !strings.HasSuffix(body, "#EXT-X-ENDLIST\n") {
		t.Errorf("the playlist of a stream that outgrew its bound does not end:\n%s", body)
	}
	for _, s := range srv.hls.Streams() {
		if s.Bytes > 200<<10+300<<10 {
			t.Errorf("the stream holds %d bytes, bound 200 KiB (and one part over)", s.Bytes)
		}
	}
}

// The relay's Authorize hook (rtmpd's -on-play) decides each playlist
// request that does not block, as a play; blocking reloads and media
// files, which follow one, are not asked about again.
func TestAuthorize(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var mu sync.Mutex
	var asked []live.AuthRequest
	r := &live.Relay{Authorize: func(_ context.Context, req live.AuthRequest) error {
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, req)
		if strings.Contains(req.Query, "token=bad") {
			return errors.New("not this one")
		}
		return nil
	}}
	srv := startServer(t, ctx, r, hls.Config{Timeline: corehls.Config{TargetDuration: time.Second}})
	pub, err := r.PublishLocal(demo)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	base := srv.web.URL + "/live/demo/"
	if code, _, body := request(t, "GET", base+"index.m3u8?token=bad"); code != 403 || !strings.Contains(body, "not this one") {
		t.Errorf("a refused play: %d %q", code, body)
	}
	first := beginSegmenting(t, srv, base+"index.m3u8?token=good")
	publishUntil(pub, mediaTags(t), 0, 2500)
	<-first
	body := settled(t, srv, base+"index.m3u8?token=good")
	parts, _ := partsOf(body)
	mu.Lock()
	before := len(asked)
	mu.Unlock()
	if code, _, _ := request(t, "GET", base+"index.m3u8?token=good&_HLS_msn=0&_HLS_part=0"); code != 200 {
		t.Errorf("a blocking reload: %d", code)
	}
	if code, _, _ := request(t, "GET", base+parts[0].uri); code != 200 {
		t.Errorf("a part: %d", code)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) != before {
		t.Errorf("a blocking reload and a part asked the hook %d more times, want none", len(asked)-before)
	}
	for _, a := range asked {
		if a.Action != "play" || a.Path != demo || !strings.Contains(a.Query, "token=") {
			t.Errorf("asked %+v", a)
		}
	}
	if len(asked) < 3 {
		t.Errorf("asked %d times, want the refused request and the two that play", len(asked))
	}
}
