package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/internal/peers"
	"github.com/gortmp/rtmp/driver/live"
)

// TestRunHooks: with -on-publish and -on-play, rtmpd asks the callback
// before each publish and play, with nginx-rtmp's form fields, and a
// non-2xx answer refuses: ffmpeg publishes with the right token only, and
// a play the callback refuses fails.
func TestRunHooks(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	sample, _ := filepath.Abs("../../../testdata/media/h264-aac-320x240.flv")
	var mu sync.Mutex
	var forms []url.Values
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		forms = append(forms, r.PostForm)
		mu.Unlock()
		switch {
		case r.URL.Path == "/publish" && r.PostForm.Get("token") == "s3cret":
		case r.URL.Path == "/play" && r.PostForm.Get("name") != "secret":
		default:
			http.Error(w, "no", http.StatusForbidden)
		}
	}))
	defer hook.Close()
	addr := startRun(t, options{onPublish: hook.URL + "/publish", onPlay: hook.URL + "/play"})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	publish := func(name string) error {
		return exec.CommandContext(ctx, ffmpeg, "-loglevel", "quiet", "-re", "-i", sample, "-t", "0.5", "-c", "copy", "-f", "flv", "rtmp://"+addr+"/live/"+name).Run()
	}
	if err := publish("demo?token=wrong"); err == nil {
		t.Error("ffmpeg published with a token the callback refuses")
	}
	if err := publish("demo?token=s3cret"); err != nil {
		t.Errorf("ffmpeg could not publish with the right token: %v", err)
	}
	c, err := dial.Dial(ctx, "rtmp://"+addr+"/live")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Play(ctx, "secret"); err == nil || !strings.Contains(err.Error(), "play refused (403)") {
		t.Errorf("a play the callback refuses: %v", err)
	}
	if _, err := c.Play(ctx, "open"); err != nil {
		t.Errorf("a play the callback allows: %v", err)
	}

	mu.Lock()
	defer mu.Unlock()
	if len(forms) != 4 {
		t.Fatalf("%d callbacks, want 4: %v", len(forms), forms)
	}
	f := forms[1]
	for k, want := range map[string]string{
		"call": "publish", "addr": "127.0.0.1", "app": "live", "name": "demo", "token": "s3cret",
		"tcurl": "rtmp://" + addr + "/live",
	} {
		if got := f.Get(k); got != want {
			t.Errorf("publish callback %s=%q, want %q", k, got, want)
		}
	}
	if !strings.HasPrefix(f.Get("flashver"), "FMLE/3.0") {
		t.Errorf("publish callback flashver=%q, want ffmpeg's FMLE/3.0 (...)", f.Get("flashver"))
	}
	if got := forms[2].Get("call") + " " + forms[2].Get("name"); got != "play secret" {
		t.Errorf("third callback %q, want play secret", got)
	}
}

// A callback's fixed fields win over query arguments of the same name.
func TestHookFormFixedFieldsWin(t *testing.T) {
	f := hookForm(live.AuthRequest{Action: "play", Query: "call=publish&x=1"})
	if f.Get("call") != "play" || f.Get("x") != "1" {
		t.Errorf("form %v", f)
	}
}
