package main

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/internal/peers"
	"github.com/gortmp/rtmp/driver/internal/redistest"
)

// TestClusterFirstKeyframe measures how soon a player on an edge gets its
// first keyframe: when the edge must look the owner up and dial it, and
// when the edge already pulls the stream for another player. Targets
// (loopback): 1 s and 300 ms at the 99th percentile, the largest of the
// samples here.
func TestClusterFirstKeyframe(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	srv := redistest.Start(t)
	bin := buildRTMPD(t)
	origin, edge := startNode(t, bin, srv.URL(), "origin"), startNode(t, bin, srv.URL(), "edge")
	ffmpegPublisher(t, ffmpeg, origin.url(clusterPath))
	origin.waitOwns(t, clusterPath, 10*time.Second)

	const dialing, pulling = 8, 30
	var cold, warm []time.Duration
	for range dialing {
		waitUntil(t, "the edge forgetting the stream", 10*time.Second, func() bool { return !edge.knows(clusterPath) })
		cold = append(cold, firstKeyframe(t, edge.url(clusterPath)))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	holder := record(ctx, t, edge.url(clusterPath))
	holder.waitKeyframe(t, "the holding player's keyframe", time.Time{}, 10*time.Second)
	for range pulling {
		warm = append(warm, firstKeyframe(t, edge.url(clusterPath)))
	}
	coldMax, warmMax := slices.Max(cold), slices.Max(warm)
	slices.Sort(warm)
	t.Logf("first keyframe on an edge that dials the origin: max %v of %d (%v)", coldMax.Round(time.Millisecond), dialing, cold)
	t.Logf("first keyframe on an edge already pulling: max %v, median %v of %d", warmMax.Round(time.Millisecond), warm[len(warm)/2].Round(time.Millisecond), pulling)
	if coldMax > time.Second {
		t.Errorf("first keyframe through a dialing edge took up to %v, over 1 s", coldMax)
	}
	if warmMax > 300*time.Millisecond {
		t.Errorf("first keyframe on a pulling edge took up to %v, over 300 ms", warmMax)
	}
}

// firstKeyframe plays url and returns how long the first keyframe took
// from the start of the dial.
func firstKeyframe(t *testing.T, url string) time.Duration {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	c, err := dial.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pb, err := c.Play(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for {
		m, err := pb.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("no keyframe from %s: %v", url, err)
		}
		if isVideoKeyframe(m.Body) {
			return time.Since(start)
		}
	}
}

// knows reports whether the node's GET /stats lists path.
func (n *clusterNode) knows(path string) bool {
	resp, err := n.client.Get("http://" + n.http + "/stats")
	if err != nil {
		return true
	}
	defer resp.Body.Close()
	var s struct{ Streams []streamJSON }
	if json.NewDecoder(resp.Body).Decode(&s) != nil {
		return true
	}
	for _, st := range s.Streams {
		if st.App+"/"+st.Key == path {
			return true
		}
	}
	return false
}
