// Command browser opens rtmpd's page in headless Chromium through the
// DevTools protocol, waits until the page lists a stream and its video
// decodes frames at the expected width (and, with -info, that the line
// the page shows under its name matches), saves a screenshot and prints
// what it saw as JSON. It is a nested module so that the server's module
// does not depend on a DevTools client; the tests build it like any other
// peer.
//
//	browser -chromium /usr/bin/chromium -url http://127.0.0.1:8080/ -stream live/demo -width 640 -screenshot page.png
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"time"

	"github.com/chromedp/chromedp"
)

// seen is what the page showed, read in the page by probeScript.
type seen struct {
	Streams []string `json:"streams"`
	Frames  int      `json:"frames"`
	Dropped int      `json:"dropped"`
	Width   int      `json:"width"`
	Height  int      `json:"height"`
	Time    float64  `json:"time"`
	Mode    string   `json:"mode"`
	Error   string   `json:"error"`
	// Info is the line the page shows under the stream's name.
	Info string `json:"info"`
}

// probeScript reads the listed streams and the state of the named
// stream's video.
const probeScript = `(() => {
  const out = {streams: [...document.querySelectorAll("section.stream")].map(s => s.dataset.stream), frames: 0, dropped: 0, width: 0, height: 0, time: 0, mode: "", error: "", info: ""};
  const s = document.querySelector('section.stream[data-stream=%q]');
  if (!s) return out;
  const v = s.querySelector("video");
  const q = v.getVideoPlaybackQuality();
  out.frames = q.totalVideoFrames; out.dropped = q.droppedVideoFrames;
  out.width = v.videoWidth; out.height = v.videoHeight; out.time = v.currentTime;
  out.mode = s.querySelector(".mode").textContent;
  out.info = s.querySelector(".info").textContent;
  out.error = v.error ? v.error.code + " " + v.error.message : "";
  return out;
})()`

func main() {
	chromium := flag.String("chromium", "/usr/bin/chromium", "the browser to drive")
	url := flag.String("url", "", "the page")
	stream := flag.String("stream", "live/demo", "the stream the page must list and play")
	width := flag.Int("width", 0, "the video width the player must report")
	frames := flag.Int("frames", 50, "how many more frames the player must decode after its first")
	screenshot := flag.String("screenshot", "", "where to save a PNG of the page")
	timeout := flag.Duration("timeout", 25*time.Second, "how long to wait for all that")
	info := flag.String("info", "", "a regular expression the stream's info line must match too")
	flag.Parse()
	infoRE, err := regexp.Compile(*info)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browser: -info:", err)
		os.Exit(2)
	}
	got, err := watch(*chromium, *url, *stream, *width, *frames, infoRE, *screenshot, *timeout)
	json.NewEncoder(os.Stdout).Encode(got)
	if err != nil {
		fmt.Fprintln(os.Stderr, "browser:", err)
		os.Exit(1)
	}
}

func watch(chromium, url, stream string, width, frames int, info *regexp.Regexp, screenshot string, timeout time.Duration) (seen, error) {
	profile, err := os.MkdirTemp("", "browser-profile-")
	if err != nil {
		return seen{}, err
	}
	defer os.RemoveAll(profile)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.WindowSize(1280, 800),
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout+15*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	if _, err := chromedp.Run(bctx, chromedp.Navigate(url)); err != nil {
		return seen{}, fmt.Errorf("opening %s: %w", url, err)
	}
	var s seen
	first := -1
	deadline := time.Now().Add(timeout)
	for {
		s, err = chromedp.Run(bctx, chromedp.Evaluate[seen](fmt.Sprintf(probeScript, stream)))
		if err != nil {
			return s, err
		}
		if s.Frames > 0 && first < 0 {
			first = s.Frames
		}
		if first >= 0 && s.Frames >= first+frames && (width == 0 || s.Width == width) && info.MatchString(s.Info) {
			break
		}
		if s.Error != "" {
			return s, errors.New("the player failed")
		}
		if time.Now().After(deadline) {
			return s, errors.New("the page did not list and play the stream in time")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if screenshot != "" {
		png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			return s, err
		}
		if err := os.WriteFile(screenshot, png, 0o644); err != nil {
			return s, err
		}
	}
	return s, nil
}
