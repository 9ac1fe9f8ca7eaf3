package web_test

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/live"
	"github.com/gortmp/rtmp/driver/web"
)

func get(t *testing.T, method, url string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// The page and its files are served from the binary, with a policy that
// runs our scripts alone; other paths and methods are refused.
func TestPage(t *testing.T) {
	srv := httptest.NewServer(&web.Handler{Relay: &live.Relay{}})
	defer srv.Close()
	for _, tc := range []struct {
		method, path string
		code         int
		contentType  string
		contains     string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8", `<script src="player.js" defer></script>`},
		{"GET", "/app.js", 200, "text/javascript; charset=utf-8", "/api/streams"},
		{"GET", "/player.js", 200, "text/javascript; charset=utf-8", "_HLS_msn="},
		{"GET", "/style.css", 200, "text/css; charset=utf-8", "video"},
		{"HEAD", "/", 200, "text/html; charset=utf-8", ""},
		{"GET", "/secret", 404, "", ""},
		{"POST", "/", 405, "", ""},
	} {
		code, hdr, body := get(t, tc.method, srv.URL+tc.path)
		if code != tc.code || tc.contentType != "" && hdr.Get("Content-Type") != tc.contentType || !strings.Contains(body, tc.contains) {
			t.Errorf("%s %s: %d %q, want %d %q containing %q", tc.method, tc.path, code, hdr.Get("Content-Type"), tc.code, tc.contentType, tc.contains)
		}
		if code == 200 && !strings.Contains(hdr.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("%s %s: policy %q", tc.method, tc.path, hdr.Get("Content-Security-Policy"))
		}
	}
}

// Nothing the page loads comes from elsewhere: it works with no internet
// access and runs no third-party script.
func TestPageIsSelfContained(t *testing.T) {
	external := regexp.MustCompile(`(src|href)=["']?(https?:)?//|import\s|@import|url\(`)
	err := filepath.WalkDir("static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if m := external.Find(b); m != nil {
			t.Errorf("%s loads something from elsewhere: %q", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// GET /api/streams lists the relay's streams with their viewers and URLs
// on the host the page was asked for; the play key is announced, never
// given.
func TestStreams(t *testing.T) {
	r := &live.Relay{PlayKey: "s3cret"}
	srv := httptest.NewServer(&web.Handler{Relay: r, RTMPPort: 1935, RTMPSPort: 1936})
	defer srv.Close()
	pub, err := r.PublishLocal(relay.Path{App: "live", Key: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	// An in-process reader, as the HLS segmenter is, is nobody's viewer.
	reader, err := r.Subscribe(relay.Path{App: "live", Key: "demo"}, relay.ViewAll)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	code, hdr, body := get(t, "GET", srv.URL+"/api/streams")
	if code != 200 || hdr.Get("Content-Type") != "application/json" || strings.Contains(body, "s3cret") {
		t.Fatalf("%d %q %s", code, hdr.Get("Content-Type"), body)
	}
	var got struct {
		PlayKey bool `json:"play_key"`
		Streams []struct {
			App, Key   string
			Publishing bool
			Players    int
			URLs       map[string]string
		}
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	host := strings.TrimPrefix(srv.URL, "http://")
	want := map[string]string{
		"rtmp":     "rtmp://127.0.0.1:1935/live/demo",
		"rtmps":    "rtmps://127.0.0.1:1936/live/demo",
		"http_flv": "http://" + host + "/live/demo.flv",
		"hls":      "http://" + host + "/live/demo/index.m3u8",
	}
	if !got.PlayKey || len(got.Streams) != 1 || got.Streams[0].App != "live" || got.Streams[0].Key != "demo" || !got.Streams[0].Publishing || got.Streams[0].Players != 0 {
		t.Fatalf("streams: %s", body)
	}
	if diff := cmp.Diff(want, got.Streams[0].URLs); diff != "" {
		t.Errorf("URLs (-want +got):\n%s", diff)
	}
}
