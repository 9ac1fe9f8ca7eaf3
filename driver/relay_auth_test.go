package driver_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/httpflv"
)

// Relay.Authorize decides every publish and play, RTMP and HTTP-FLV alike,
// with what the client said; a refusal reaches the client with the
// error's text, and nothing of the refused request is registered.
func TestAuthorize(t *testing.T) {
	var mu sync.Mutex
	var seen []live.AuthRequest
	r := &live.Relay{Authorize: func(ctx context.Context, req live.AuthRequest) error {
		mu.Lock()
		seen = append(seen, req)
		mu.Unlock()
		if !strings.Contains(req.Query, "token=good") {
			return errors.New("no good token")
		}
		return nil
	}}
	addr := startServer(t, nil, r, driver.Config{})
	web := httptest.NewServer(httpflv.NewHandler(r))
	defer web.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	c, err := dial.Dial(ctx, "rtmp://"+addr+"/live")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Publish(ctx, "demo?token=bad"); err == nil || !strings.Contains(err.Error(), "no good token") {
		t.Errorf("publish with a bad token: %v, want the refusal's text", err)
	}
	if r.Publishing(relay.Path{App: "live", Key: "demo"}) {
		t.Error("a refused publisher is publishing")
	}
	if _, err := c.Publish(ctx, "demo?token=good"); err != nil {
		t.Fatalf("publish with a good token: %v", err)
	}
	if _, err := c.Play(ctx, "demo?token=bad"); err == nil {
		t.Error("play with a bad token accepted")
	}
	if _, err := c.Play(ctx, "demo?token=good"); err != nil {
		t.Errorf("play with a good token: %v", err)
	}
	for _, tc := range []struct {
		query string
		want  int
	}{{"token=bad", http.StatusForbidden}, {"token=good", http.StatusOK}} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodHead, web.URL+"/live/demo.flv?"+tc.query, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("HTTP-FLV with %s: %d, want %d", tc.query, resp.StatusCode, tc.want)
		}
	}

	mu.Lock()
	defer mu.Unlock()
	tcURL := "rtmp://" + addr + "/live"
	want := []live.AuthRequest{
		{Action: "publish", Path: relay.Path{App: "live", Key: "demo"}, Query: "token=bad", TCURL: tcURL},
		{Action: "publish", Path: relay.Path{App: "live", Key: "demo"}, Query: "token=good", TCURL: tcURL},
		{Action: "play", Path: relay.Path{App: "live", Key: "demo"}, Query: "token=bad", TCURL: tcURL},
		{Action: "play", Path: relay.Path{App: "live", Key: "demo"}, Query: "token=good", TCURL: tcURL},
		{Action: "play", Path: relay.Path{App: "live", Key: "demo"}, Query: "token=bad", ConnectQuery: "token=bad"},
		{Action: "play", Path: relay.Path{App: "live", Key: "demo"}, Query: "token=good", ConnectQuery: "token=good"},
	}
	ignore := cmpopts.IgnoreFields(live.AuthRequest{}, "Remote", "FlashVer", "SWFURL", "PageURL")
	if diff := cmp.Diff(want, seen, ignore); diff != "" {
		t.Errorf("authorization requests (-want +got):\n%s", diff)
	}
	for _, req := range seen {
		if !strings.HasPrefix(req.Remote, "127.0.0.1:") {
			t.Errorf("%s: remote %q", req.Action, req.Remote)
		}
	}
}
