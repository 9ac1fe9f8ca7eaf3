package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// counts are what the players received, summed.
type counts struct {
	media, playlists, requests atomic.Int64
	measuring                  atomic.Bool
}

func (c *counts) add(playlist bool, n int64) {
	if !c.measuring.Load() {
		return
	}
	c.requests.Add(1)
	if playlist {
		c.playlists.Add(n)
	} else {
		c.media.Add(n)
	}
}

// runPlayers runs n players of a mode, waits two seconds for them to
// settle, then measures for o.duration.
func runPlayers(ctx context.Context, o options, base, mode string, pid int) (result, error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: o.n + 16, DisableCompression: true}}
	defer client.CloseIdleConnections()
	pctx, cancel := context.WithCancel(ctx)
	var c counts
	var wg sync.WaitGroup
	errs := make(chan error, o.n)
	for range o.n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			switch mode {
			case "flv":
				err = playFLV(pctx, client, base+"/live/demo.flv", &c)
			case "hls":
				err = playHLS(pctx, client, base+"/live/demo/", &c)
			case "llhls":
				err = playLLHLS(pctx, client, base+"/live/demo/", &c)
			}
			if err != nil && pctx.Err() == nil {
				errs <- err
			}
		}()
	}
	select {
	case <-time.After(2 * time.Second):
	case <-ctx.Done():
	}
	before, err1 := cpuOf(pid)
	c.measuring.Store(true)
	select {
	case <-time.After(o.duration):
	case <-ctx.Done():
	}
	c.measuring.Store(false)
	after, err2 := cpuOf(pid)
	cancel()
	wg.Wait()
	close(errs)
	r := result{cpu: after - before, media: c.media.Load(), playlists: c.playlists.Load(), requests: c.requests.Load()}
	for err := range errs {
		if r.failed++; r.firstErr == nil {
			r.firstErr = err
		}
	}
	if r.media == 0 {
		return r, errors.New("the players received nothing")
	}
	return r, errors.Join(err1, err2)
}

// playFLV reads an HTTP-FLV stream, counting what arrives while the
// measure runs.
func playFLV(ctx context.Context, client *http.Client, url string, c *counts) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	buf := make([]byte, 64<<10)
	for {
		n, err := resp.Body.Read(buf)
		if c.measuring.Load() {
			c.media.Add(int64(n))
		}
		if err != nil {
			return err
		}
	}
}

// fetch GETs url and counts its body.
func fetch(ctx context.Context, client *http.Client, url string, playlist bool, c *counts) ([]byte, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	if err != nil {
		return nil, err
	}
	c.add(playlist, int64(len(b)))
	return b, nil
}

// playHLS reloads the playlist every second and fetches each segment
// once, as a player that ignores parts does.
func playHLS(ctx context.Context, client *http.Client, base string, c *counts) error {
	seen := map[string]bool{}
	first := true
	for ctx.Err() == nil {
		pl, err := fetch(ctx, client, base+"index.m3u8", true, c)
		if err != nil {
			return err
		}
		var segs []string
		for _, line := range strings.Split(string(pl), "\n") {
			if line != "" && !strings.HasPrefix(line, "#") {
				segs = append(segs, line)
			}
		}
		if first && len(segs) > 3 {
			for _, s := range segs[:len(segs)-3] {
				seen[s] = true // start three segments from the end
			}
		}
		first = false
		for _, s := range segs {
			if !seen[s] {
				seen[s] = true
				if _, err := fetch(ctx, client, base+s, false, c); err != nil {
					return err
				}
			}
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	return nil
}

// playLLHLS follows the playlist part by part with blocking reloads.
func playLLHLS(ctx context.Context, client *http.Client, base string, c *counts) error {
	pl, err := fetch(ctx, client, base+"index.m3u8", true, c)
	if err != nil {
		return err
	}
	var next [2]int // MSN, part
	started := false
	for ctx.Err() == nil {
		msn, part := 0, 0
		var last [2]int
		for _, line := range strings.Split(string(pl), "\n") {
			switch {
			case strings.HasPrefix(line, "#EXT-X-MEDIA-SEQUENCE:"):
				msn, _ = strconv.Atoi(strings.TrimPrefix(line, "#EXT-X-MEDIA-SEQUENCE:"))
			case strings.HasPrefix(line, "#EXT-X-PART:"):
				here := [2]int{msn, part}
				part++
				independent := strings.Contains(line, "INDEPENDENT=YES")
				if !started && independent {
					last = here // start on the last independent part
				}
				if started && (here[0] > next[0] || here[0] == next[0] && here[1] >= next[1]) {
					_, rest, _ := strings.Cut(line, `URI="`)
					uri, _, _ := strings.Cut(rest, `"`)
					if _, err := fetch(ctx, client, base+uri, false, c); err != nil {
						return err
					}
					next = [2]int{here[0], here[1] + 1}
				}
			case line != "" && !strings.HasPrefix(line, "#"):
				if started && next[0] == msn && next[1] == part {
					next = [2]int{msn + 1, 0}
				}
				msn, part = msn+1, 0
			}
		}
		if !started {
			next, started = last, true
			continue // fetch from there on in the same playlist
		}
		pl, err = fetch(ctx, client, fmt.Sprintf("%sindex.m3u8?_HLS_msn=%d&_HLS_part=%d", base, next[0], next[1]), true, c)
		if err != nil {
			return err
		}
	}
	return nil
}
