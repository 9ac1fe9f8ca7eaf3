package hls_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/fmp4"
	corehls "github.com/gortmp/rtmp/core/hls"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/hls"
	"github.com/gortmp/rtmp/driver/live"
)

// mediaTags reads the sample's FLV tags as relay media.
func mediaTags(t *testing.T) []relay.Media {
	t.Helper()
	f, err := os.Open(media)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tags, err := flv.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	var out []relay.Media
	for _, tag := range tags {
		switch tag.Type {
		case flv.TagAudio:
			out = append(out, relay.Media{Kind: relay.Audio, Timestamp: tag.Timestamp, Payload: tag.Data})
		case flv.TagVideo:
			out = append(out, relay.Media{Kind: relay.Video, Timestamp: tag.Timestamp, Payload: tag.Data})
		}
	}
	return out
}

// publishRealTime writes the sample loops times, each loop's timestamps
// after the last's, at the pace of its timestamps, and records when each
// video frame (by timestamp) was written.
func publishRealTime(ctx context.Context, pub *live.LocalPublisher, tags []relay.Media, loops int, written map[uint32]time.Time, mu *sync.Mutex) {
	start := time.Now()
	span := tags[len(tags)-1].Timestamp + 40
	for l := range loops {
		for _, m := range tags {
			m.Timestamp += uint32(l) * span
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Until(start.Add(time.Duration(m.Timestamp) * time.Millisecond))):
			}
			if m.Kind == relay.Video && len(m.Payload) > 1 && m.Payload[1] == 1 {
				mu.Lock()
				written[m.Timestamp] = time.Now()
				mu.Unlock()
			}
			pub.WriteMedia(m)
		}
	}
}

// listedPart is a part a playlist listed.
type listedPart struct {
	addr corehls.Address
	uri  string
}

// partsOf reads the parts a media playlist lists, and its init section.
func partsOf(playlist string) (parts []listedPart, initURI string) {
	msn, part := uint64(0), 0
	for _, line := range strings.Split(playlist, "\n") {
		switch {
		case strings.HasPrefix(line, "#EXT-X-MEDIA-SEQUENCE:"):
			msn, _ = strconv.ParseUint(strings.TrimPrefix(line, "#EXT-X-MEDIA-SEQUENCE:"), 10, 64)
		case strings.HasPrefix(line, "#EXT-X-MAP:URI=\""):
			initURI = strings.TrimSuffix(strings.TrimPrefix(line, "#EXT-X-MAP:URI=\""), "\"")
		case strings.HasPrefix(line, "#EXT-X-PART:"):
			_, rest, _ := strings.Cut(line, "URI=\"")
			uri, _, _ := strings.Cut(rest, "\"")
			parts = append(parts, listedPart{corehls.Address{MSN: msn, Part: part}, uri})
			part++
		case line != "" && !strings.HasPrefix(line, "#"):
			msn, part = msn+1, 0
		}
	}
	return parts, initURI
}

func get(t *testing.T, client *http.Client, url string) []byte {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v %s", url, resp.StatusCode, err, b)
	}
	return b
}

// TestPartLatency measures low-latency HLS as a player sees it: a
// publisher writes the sample in real time (25 fps, a keyframe a second),
// a player follows the playlist with blocking reloads for the next part,
// and for every video frame the time from its publishing to the reload
// that first lists its part is taken. With 200 ms parts, the 95th
// percentile must be under a second (it is about a part's length: a frame
// waits for the rest of its part).
func TestPartLatency(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r := &live.Relay{}
	srv := startServer(t, ctx, r, hls.Config{Timeline: corehls.Config{TargetDuration: time.Second, PartTarget: 200 * time.Millisecond}})
	pub, err := r.PublishLocal(relay.Path{App: "live", Key: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	var mu sync.Mutex
	written := map[uint32]time.Time{}
	published := make(chan struct{})
	tags := mediaTags(t)
	go func() {
		defer close(published)
		publishRealTime(ctx, pub, tags, 2, written, &mu)
		pub.Close() // the playlist ends: the last blocking reload returns at once
	}()

	base := srv.web.URL + "/live/demo/"
	client := srv.web.Client()
	playlist := string(get(t, client, base+"index.m3u8"))
	parts, initURI := partsOf(playlist)
	initSeg := get(t, client, base+initURI)
	var latencies []time.Duration
	var next corehls.Address
	started := false
	for {
		select {
		case <-published:
		default:
			if started {
				playlist = string(get(t, client, fmt.Sprintf("%sindex.m3u8?_HLS_msn=%d&_HLS_part=%d", base, next.MSN, next.Part)))
				parts, _ = partsOf(playlist)
			}
			listed := time.Now()
			for _, p := range parts {
				if started && (p.addr.MSN < next.MSN || p.addr.MSN == next.MSN && p.addr.Part < next.Part) {
					continue
				}
				if started {
					latencies = append(latencies, frameLatencies(t, initSeg, get(t, client, base+p.uri), listed, written, &mu)...)
				}
				next = corehls.Address{MSN: p.addr.MSN, Part: p.addr.Part + 1}
			}
			if strings.Contains(playlist, fmt.Sprintf("seg-%d.m4s", next.MSN)) {
				next = corehls.Address{MSN: next.MSN + 1}
			}
			started = true
			continue
		}
		break
	}
	if len(latencies) < 100 {
		t.Fatalf("%d frames measured, want at least 100", len(latencies))
	}
	slices.Sort(latencies)
	p := func(q float64) time.Duration { return latencies[int(q*float64(len(latencies)-1))] }
	t.Logf("publish to listed in a blocking reload, %d frames, 200 ms parts: p50 %v, p95 %v, max %v",
		len(latencies), p(0.5).Round(time.Millisecond), p(0.95).Round(time.Millisecond), latencies[len(latencies)-1].Round(time.Millisecond))
	if p(0.95) >= time.Second {
		t.Errorf("p95 %v, want under 1 s", p(0.95))
	}
}

// frameLatencies reads a part's video frames and returns, for each, the
// time from its publishing to listed.
func frameLatencies(t *testing.T, initSeg, part []byte, listed time.Time, written map[uint32]time.Time, mu *sync.Mutex) []time.Duration {
	t.Helper()
	f, err := fmp4.Parse(append(slices.Clip(initSeg), part...))
	if err != nil {
		t.Fatal(err)
	}
	video := map[uint32]bool{}
	for _, tr := range f.Tracks {
		video[tr.ID] = tr.Codec.IsVideo()
	}
	var out []time.Duration
	mu.Lock()
	defer mu.Unlock()
	for _, fr := range f.Fragments {
		for _, run := range fr.Runs {
			if !video[run.TrackID] {
				continue
			}
			dts := run.BaseDecodeTime
			for _, s := range run.Samples {
				at, ok := written[uint32(dts/90)]
				if !ok {
					t.Fatalf("a frame at %d ms that was not published", dts/90)
				}
				out = append(out, listed.Sub(at))
				dts += uint64(s.Duration)
			}
		}
	}
	return out
}
