package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/driver/dial"
)

// Lease periods of the cluster tests: short, so that a failover takes
// seconds.
const (
	testLease   = 1500 * time.Millisecond
	testRefresh = 300 * time.Millisecond
)

// clusterNode is one rtmpd process of a test cluster.
type clusterNode struct {
	name       string
	cmd        *exec.Cmd
	out        *syncBuffer
	rtmp, http string
	client     *http.Client
}

// buildRTMPD builds rtmpd once for a test (or takes binEnv's).
func buildRTMPD(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv(binEnv); bin != "" {
		return bin
	}
	bin := filepath.Join(t.TempDir(), "rtmpd")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// startNode runs rtmpd as a node of the cluster whose directory is at
// redisURL, on free loopback ports, with /stats, until the test ends.
func startNode(t *testing.T, bin, redisURL, name string) *clusterNode {
	t.Helper()
	n := &clusterNode{name: name, out: new(syncBuffer), client: &http.Client{Timeout: 300 * time.Millisecond}}
	n.cmd = exec.Command(bin, "-listen", "127.0.0.1:0", "-http-listen", "127.0.0.1:0", "-stats",
		"-cluster", redisURL, "-cluster-lease", testLease.String(), "-cluster-refresh", testRefresh.String(),
		"-pull-linger", "100ms", "-log-level", "info")
	n.cmd.Stdout, n.cmd.Stderr = n.out, n.out
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		n.cmd.Process.Signal(syscall.SIGCONT)
		n.cmd.Process.Kill()
		n.cmd.Wait()
		if t.Failed() {
			t.Logf("node %s's log:\n%s", n.name, n.out.String())
		}
	})
	waitUntil(t, "node "+name+"'s banner", 20*time.Second, func() bool {
		out := n.out.String()
		n.rtmp = bannerAddr(out, "(RTMP)")
		n.http = bannerAddr(out, "(HTTP:")
		return n.rtmp != "" && n.http != ""
	})
	return n
}

// bannerAddr is the address of the banner's "rtmpd listening on ADDR
// what" line, or "".
func bannerAddr(out, what string) string {
	for line := range strings.Lines(out) {
		if rest, ok := strings.CutPrefix(line, "rtmpd listening on "); ok && strings.Contains(rest, what) {
			addr, _, _ := strings.Cut(rest, " ")
			return addr
		}
	}
	return ""
}

// url is the node's rtmp:// URL of a path.
func (n *clusterNode) url(path string) string { return "rtmp://" + n.rtmp + "/" + path }

// cluster reads the cluster part of the node's GET /stats; false when the
// node does not answer (it is stopped or dead).
func (n *clusterNode) cluster() (clusterJSON, bool) {
	resp, err := n.client.Get("http://" + n.http + "/stats")
	if err != nil {
		return clusterJSON{}, false
	}
	defer resp.Body.Close()
	var s struct{ Cluster *clusterJSON }
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&s) != nil || s.Cluster == nil {
		return clusterJSON{}, false
	}
	return *s.Cluster, true
}

// owns reports whether the node answers and says it owns path.
func (n *clusterNode) owns(path string) bool {
	c, ok := n.cluster()
	return ok && slices.Contains(c.Owned, path)
}

// waitOwns waits until the node owns path.
func (n *clusterNode) waitOwns(t *testing.T, path string, timeout time.Duration) {
	t.Helper()
	waitUntil(t, n.name+" owning "+path, timeout, func() bool { return n.owns(path) })
}

// recorder plays a URL in the background and keeps what it gets: every
// audio and video payload (after a byte for its type) and when the
// keyframes came.
type recorder struct {
	mu        sync.Mutex
	media     [][]byte
	keyframes []time.Time
	err       error
	ended     chan struct{}
}

// record dials and plays url until ctx ends.
func record(ctx context.Context, t *testing.T, url string) *recorder {
	t.Helper()
	c, err := dial.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	pb, err := c.Play(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	r := &recorder{ended: make(chan struct{})}
	go func() {
		defer close(r.ended)
		for {
			m, err := pb.ReadMessage(ctx)
			r.mu.Lock()
			if err != nil {
				r.err = err
				r.mu.Unlock()
				return
			}
			switch b := m.Body.(type) {
			case message.Video:
				r.media = append(r.media, append([]byte{9}, b.Payload...))
				if isKeyframe(b.Payload) {
					r.keyframes = append(r.keyframes, time.Now())
				}
			case message.Audio:
				r.media = append(r.media, append([]byte{8}, b.Payload...))
			}
			r.mu.Unlock()
		}
	}()
	return r
}

// isKeyframe reports whether a legacy AVC video payload is a keyframe's
// coded frame (not its sequence header).
func isKeyframe(p []byte) bool { return len(p) > 1 && p[0] == 0x17 && p[1] == 1 }

// keyframeAfter returns when the first keyframe after since came.
func (r *recorder) keyframeAfter(since time.Time) (time.Time, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, at := range r.keyframes {
		if !at.Before(since) {
			return at, true
		}
	}
	return time.Time{}, false
}

// waitKeyframe waits for a keyframe that came after since, and fails if
// the playback ended.
func (r *recorder) waitKeyframe(t *testing.T, what string, since time.Time, timeout time.Duration) time.Time {
	t.Helper()
	var at time.Time
	waitUntil(t, what, timeout, func() bool {
		select {
		case <-r.ended:
			t.Fatalf("%s: the playback ended: %v", what, r.err)
		default:
		}
		var ok bool
		at, ok = r.keyframeAfter(since)
		return ok
	})
	return at
}

// coded returns the media from the first keyframe on, without sequence
// headers (a fast start sends them first, out of the live order).
func (r *recorder) coded() [][]byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out [][]byte
	started := false
	for _, m := range r.media {
		started = started || (m[0] == 9 && isKeyframe(m[1:]))
		header := len(m) > 2 && m[2] == 0 && (m[1] == 0x17 || m[1]>>4 == 10)
		if started && !header {
			out = append(out, m)
		}
	}
	return out
}

// stopProcess sends sig to a process, failing the test if it cannot.
func stopProcess(t *testing.T, cmd *exec.Cmd, sig syscall.Signal) {
	t.Helper()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// isVideoKeyframe reports whether a message body is a keyframe's video.
func isVideoKeyframe(b message.Body) bool {
	v, ok := b.(message.Video)
	return ok && isKeyframe(v.Payload)
}
