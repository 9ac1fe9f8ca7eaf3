package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/internal/peers"
)

// buildBrowser builds testdata/browser, the DevTools client that drives
// Chromium, a nested module whose dependencies .ci/run downloads.
func buildBrowser(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "browser")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = "../../../testdata/browser"
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building testdata/browser (its modules: cd testdata/browser && go mod download): %v\n%s", err, out)
	}
	return bin
}

// browserSaw is what testdata/browser prints.
type browserSaw struct {
	Streams []string
	Frames  int
	Width   int
	Height  int
	Mode    string
	Error   string
	Info    string
}

// TestBrowserPlaysPage runs rtmpd with its page and HLS while ffmpeg
// publishes 640x360 H.264 and AAC, and opens the page in headless
// Chromium, where it plays with our player over Media Source Extensions:
// the page lists the stream, its video decodes frame after frame at the
// published width, the page counts its viewer once, over HLS (not the
// segmenter), /stats and /metrics count the page's HLS player, and a
// screenshot of the page is saved (in $RTMPD_SCREENSHOTS if set, else the
// test's temporary folder). The same holds with Chromium's own HLS
// (?player=native), tried first, while the stream is new: its playlist
// lists one segment when the page first asks for it, which Chromium's
// player fails on unless the page waits for three (see driver/web).
func TestBrowserPlaysPage(t *testing.T) {
	chromium := peers.Need(t, peers.Chromium)
	ffmpeg := peers.Need(t, peers.FFmpeg)
	browser := buildBrowser(t)
	sample, _ := filepath.Abs("../../../testdata/media/h264-aac-640x360.flv")
	shots := os.Getenv("RTMPD_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}

	o := options{listen: "127.0.0.1:0", httpListen: "127.0.0.1:0", logLevel: "warn", stats: true,
		web: webOptions{hls: true, page: true, segment: time.Second, part: 200 * time.Millisecond, window: 6}}
	srv := startRunning(t, o)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	pub := exec.CommandContext(ctx, ffmpeg, "-nostdin", "-loglevel", "error", "-stream_loop", "-1", "-re", "-i", sample,
		"-c", "copy", "-f", "flv", "rtmp://"+srv.addrs[addrRTMP].String()+"/live/demo")
	if err := pub.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { pub.Process.Kill(); pub.Wait() }()
	web := "http://" + srv.addrs[addrHTTP].String()
	for _, want := range []string{"  page:    " + web + "/\n", "  play:    ffplay '" + web + "/live/demo/index.m3u8'\n"} {
		if !strings.Contains(srv.out.String(), want) {
			t.Errorf("the banner lacks %q:\n%s", want, srv.out.String())
		}
	}

	for _, mode := range []struct{ name, query, says string }{
		{"native", "?player=native", "native HLS"},
		{"mse", "", "Media Source Extensions"},
	} {
		t.Run(mode.name, func(t *testing.T) {
			shot := filepath.Join(shots, "page-"+mode.name+".png")
			cmd := exec.CommandContext(ctx, browser, "-chromium", chromium, "-url", web+"/"+mode.query,
				"-stream", "live/demo", "-width", "640", "-frames", "50", "-screenshot", shot, "-timeout", "25s",
				"-info", viewersLine.String())
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			var saw browserSaw
			json.Unmarshal(out, &saw)
			if err != nil {
				t.Fatalf("the browser: %v, saw %+v\n%s", err, saw, stderr.String())
			}
			if len(saw.Streams) != 1 || saw.Streams[0] != "live/demo" || saw.Width != 640 || saw.Height != 360 || saw.Error != "" || !strings.Contains(saw.Mode, mode.says) {
				t.Errorf("the page showed %+v; want live/demo alone, 640x360, played with %s, no error", saw, mode.says)
			}
			// No one plays over RTMP or HTTP-FLV: every viewer is over
			// HLS, and the segmenter is none.
			if m := viewersLine.FindStringSubmatch(saw.Info); m == nil || m[1] != m[2] {
				t.Errorf("the page says %q; want as many viewers as over HLS", saw.Info)
			}
			if png, err := os.ReadFile(shot); err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
				t.Errorf("screenshot %s: %v, not a PNG", shot, err)
			}
			if n := hlsPlayersOf(t, web, "live", "demo"); n < 1 {
				t.Errorf("/stats counts %d HLS players while the page plays, want at least 1", n)
			}
			if m := metricsOf(t, web); !strings.Contains(m, `rtmpd_stream_hls_players{app="live",key="demo"} `) || strings.Contains(m, `rtmpd_stream_hls_players{app="live",key="demo"} 0`) {
				t.Errorf("/metrics does not count the page's HLS player:\n%s", m)
			}
			t.Logf("%s: %d frames decoded at %dx%d; screenshot %s", saw.Mode, saw.Frames, saw.Width, saw.Height, shot)
		})
	}
}

// viewersLine is the page's count of a stream's viewers, once one plays
// over HLS: all of them and those over HLS.
var viewersLine = regexp.MustCompile(`\b([1-9][0-9]*) viewers?, ([1-9][0-9]*) over HLS\b`)

// metricsOf reads GET /metrics.
func metricsOf(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// hlsPlayersOf reads a stream's HLS players from GET /stats.
func hlsPlayersOf(t *testing.T, base, app, key string) int {
	t.Helper()
	resp, err := http.Get(base + "/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var stats struct{ Streams []streamJSON }
	if err := json.NewDecoder(resp.Body).Decode(&stats); err != nil {
		t.Fatal(err)
	}
	for _, s := range stats.Streams {
		if s.App == app && s.Key == key {
			return s.HLSPlayers
		}
	}
	return 0
}
