package hls_test

import (
	"context"
	"strings"
	"testing"
	"time"

	corehls "github.com/gortmp/rtmp/core/hls"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/hls"
	"github.com/gortmp/rtmp/driver/live"
)

// With Config.Always a published stream is segmented before anyone asks
// for it, and stops when its publisher does.
func TestAlways(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := &live.Relay{}
	srv := startServer(t, ctx, r, hls.Config{Always: true})
	pub, err := r.PublishLocal(demo)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the segmenter to start unasked", 5*time.Second, func() bool {
		s := srv.hls.Streams()
		return len(s) == 1 && s[0].Segmenting && s[0].Players == 0 && r.Players(demo) == 1
	})
	pub.Close()
	waitFor(t, "the segmenter to stop with the publisher", 5*time.Second, func() bool {
		s := srv.hls.Streams()
		return len(s) == 1 && !s[0].Segmenting && r.Players(demo) == 0
	})
}

// loops returns the sample's messages n times over, each loop's
// timestamps after the last's.
func loops(tags []relay.Media, n int) []relay.Media {
	span := tags[len(tags)-1].Timestamp + 40
	var out []relay.Media
	for l := range n {
		for _, m := range tags {
			m.Timestamp += uint32(l) * span
			out = append(out, m)
		}
	}
	return out
}

// With delta updates, _HLS_skip=YES replaces the segments more than six
// target durations from the end by EXT-X-SKIP; without it the playlist is
// whole.
func TestDeltaUpdate(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r := &live.Relay{}
	srv := startServer(t, ctx, r, hls.Config{Timeline: corehls.Config{TargetDuration: time.Second, Window: 12, Delta: true}})
	pub, err := r.PublishLocal(demo)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	url := srv.web.URL + "/live/demo/index.m3u8"
	first := beginSegmenting(t, srv, url)
	publishUntil(pub, loops(mediaTags(t), 3), 0, 11500)
	<-first
	full := settled(t, srv, url)
	_, _, delta := request(t, "GET", url+"?_HLS_skip=YES")
	if !strings.Contains(full, "CAN-SKIP-UNTIL=6.000") || strings.Contains(full, "EXT-X-SKIP:") || !strings.Contains(full, "seg-0.m4s") {
		t.Errorf("the whole playlist:\n%s", full)
	}
	if !strings.Contains(delta, "#EXT-X-SKIP:SKIPPED-SEGMENTS=") || strings.Contains(delta, "seg-0.m4s") || !strings.Contains(delta, "#EXT-X-VERSION:9") {
		t.Errorf("the delta update:\n%s", delta)
	}
}
