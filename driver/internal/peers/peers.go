// Package peers finds the real RTMP clients and servers that interop tests
// run against: ffmpeg, ffprobe, rtmpdump, GStreamer, nginx with its RTMP
// module, OBS Studio on a virtual X display, and redis-server. None of them was written
// here, which is the point.
//
// A missing peer skips the test with a message naming the Debian package
// that provides it, unless RTMP_REQUIRE_PEERS=1 is set (as CI does), in
// which case it fails the test.
package peers

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// A Peer is one external program and the Debian package that installs it.
type Peer struct {
	Program string
	Package string
	// Extra is an additional file the peer needs, such as a plugin or
	// module, or "" when the program alone is enough.
	Extra string
}

// The peers the interop tests use.
var (
	FFmpeg    = Peer{Program: "ffmpeg", Package: "ffmpeg"}
	FFprobe   = Peer{Program: "ffprobe", Package: "ffmpeg"}
	RTMPDump  = Peer{Program: "rtmpdump", Package: "rtmpdump"}
	GStreamer = Peer{Program: "gst-launch-1.0", Package: "gstreamer1.0-tools gstreamer1.0-plugins-bad"}
	NginxRTMP = Peer{Program: "nginx", Package: "nginx libnginx-mod-rtmp", Extra: NginxRTMPModule}
	OBS       = Peer{Program: "obs", Package: "obs-studio"}
	// XvfbRun runs OBS headless: an X server in memory, with xauth,
	// which xvfb-run needs for the display's cookie. OBS renders there
	// with Mesa's software OpenGL, which obs-studio pulls in.
	XvfbRun = Peer{Program: "xvfb-run", Package: "xvfb xauth", Extra: "/usr/bin/xauth"}
	// RedisServer is a cluster's directory store.
	RedisServer = Peer{Program: "redis-server", Package: "redis-server"}
	// Chromium plays rtmpd's page headless, driven through the DevTools
	// protocol by testdata/browser.
	Chromium = Peer{Program: "chromium", Package: "chromium"}
)

// NginxRTMPModule is where Debian's libnginx-mod-rtmp installs the module.
const NginxRTMPModule = "/usr/lib/nginx/modules/ngx_rtmp_module.so"

// Required reports whether missing peers fail tests instead of skipping.
func Required() bool { return os.Getenv("RTMP_REQUIRE_PEERS") == "1" }

// Find returns the absolute path of p's program, or reports why it is
// missing.
func (p Peer) Find() (string, bool) {
	path, err := exec.LookPath(p.Program)
	if err != nil {
		return "", false
	}
	if p.Extra != "" {
		if _, err := os.Stat(p.Extra); err != nil {
			return "", false
		}
	}
	return path, true
}

// Need returns the path of p's program, or ends the test: a skip naming
// the Debian package, or a failure when RTMP_REQUIRE_PEERS=1.
func Need(t testing.TB, p Peer) string {
	t.Helper()
	path, ok := p.Find()
	if ok {
		return path
	}
	msg := p.Program + " not found: apt-get install " + p.Package
	if Required() {
		t.Fatal(msg + " (RTMP_REQUIRE_PEERS=1)")
	}
	t.Skip(msg)
	return ""
}

// ERTMPPeerSource is the independent Enhanced RTMP peer (a program on
// bluenviron's gortmplib, a module of its own), from the driver packages.
const ERTMPPeerSource = "../testdata/ertmppeer"

// BuildERTMPPeer builds the Enhanced RTMP peer from src into dir and
// returns the program's path. It builds offline, from the module cache
// that `go mod download` in src fills (as CI does); a build that cannot
// ends the test like a missing peer.
func BuildERTMPPeer(t testing.TB, src, dir string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command, which builds the Enhanced RTMP peer, is not on PATH: %v", err)
	}
	bin := filepath.Join(dir, "ertmppeer")
	cmd := exec.Command(goTool, "build", "-o", bin, ".")
	cmd.Dir = src
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOFLAGS=-mod=readonly", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		msg := fmt.Sprintf("cannot build the Enhanced RTMP peer (run `go mod download` in testdata/ertmppeer): %v\n%s", err, out)
		if Required() {
			t.Fatal(msg + " (RTMP_REQUIRE_PEERS=1)")
		}
		t.Skip(msg)
	}
	return bin
}
