package driver_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/internal/peers"
)

const (
	longSample  = "../testdata/media/h264-aac-640x360.flv" // 4 s, GOP 25
	shortSample = "../testdata/media/h264-aac-320x240.flv" // 2 s, GOP 15
)

// testServer is a relay server on a loopback port, stopped at the end of
// the test; stopping checks that Serve returned nil.
type testServer struct {
	addr  string
	relay *live.Relay
}

func startServer(t *testing.T, ln net.Listener, h driver.Handler, cfg driver.Config) string {
	t.Helper()
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
	}
	if cfg.Logger == nil {
		cfg.Logger = testLogger(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- driver.Serve(ctx, ln, h, cfg) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("Serve did not return after cancellation")
		}
	})
	return ln.Addr().String()
}

func newRelayServer(t *testing.T) testServer {
	return newRelayServerWith(t, &live.Relay{})
}

// newRelayServerWith serves r on a new listener.
func newRelayServerWith(t *testing.T, r *live.Relay) testServer {
	return testServer{addr: startServer(t, nil, r, driver.Config{}), relay: r}
}

// testLogger logs through t at warning level and above, or everything
// with -v and RTMP_DEBUG=1.
func testLogger(t *testing.T) *slog.Logger {
	level := slog.LevelWarn
	if os.Getenv("RTMP_DEBUG") == "1" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: level}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// peer is a real client program running for a test.
type peer struct {
	name   string
	cmd    *exec.Cmd
	stderr bytes.Buffer
	done   chan error
}

// startPeer runs a program, killed when ctx ends.
func startPeer(ctx context.Context, t *testing.T, name string, args ...string) *peer {
	t.Helper()
	p := &peer{name: filepath.Base(name), done: make(chan error, 1)}
	p.cmd = exec.CommandContext(ctx, name, args...)
	p.cmd.Stderr = &p.stderr
	p.cmd.Stdout = &p.stderr
	p.cmd.WaitDelay = 2 * time.Second
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	go func() { p.done <- p.cmd.Wait() }()
	return p
}

// wait waits for the peer to exit and fails the test unless it succeeded.
func (p *peer) wait(t *testing.T) {
	t.Helper()
	if err := <-p.done; err != nil {
		t.Fatalf("%s %v: %v\n%s", p.name, p.cmd.Args[1:], err, p.stderr.String())
	}
}

// interrupt asks the peer to stop (GStreamer with -e then ends its stream
// cleanly) and waits for it.
func (p *peer) interrupt(t *testing.T) {
	t.Helper()
	p.cmd.Process.Signal(os.Interrupt)
	p.awaitInterrupted(t)
}

// awaitInterrupted waits for a peer that was sent an interrupt; one that
// is still running after 5 s is killed and fails the test.
func (p *peer) awaitInterrupted(t *testing.T) {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		t.Fatalf("%s did not stop on interrupt:\n%s", p.name, p.stderr.String())
	}
}

// finish waits for a peer that should end on its own (a player whose
// stream stopped), and otherwise interrupts it after grace. An ffmpeg
// player blocked in a read needs a second SIGINT to abort it; it then
// still closes its output file properly. The exit status after an
// interrupt is not checked, as in interrupt.
func (p *peer) finish(t *testing.T, grace time.Duration) {
	t.Helper()
	select {
	case err := <-p.done:
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", p.name, p.cmd.Args[1:], err, p.stderr.String())
		}
		return
	case <-time.After(grace):
	}
	for range 2 {
		p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.done:
			return
		case <-time.After(500 * time.Millisecond):
		}
	}
	p.awaitInterrupted(t)
}

// packet is one line of ffmpeg's framemd5 output.
type packet struct {
	stream   string // media type: video or audio
	dts      int64
	size     int
	hash     string
	keyframe bool
}

// packets lists the packets of a media file, per media type, with the
// hash of each stream's extradata (the sequence headers); timestamps are
// in milliseconds.
func packets(t *testing.T, file string) (map[string][]packet, map[string]string) {
	t.Helper()
	ffmpeg := peers.Need(t, peers.FFmpeg)
	out, err := exec.Command(ffmpeg, "-loglevel", "error", "-i", file, "-c", "copy", "-f", "framemd5", "-").Output()
	if err != nil {
		t.Fatalf("framemd5 of %s: %v", file, err)
	}
	types := map[string]string{}
	extradata := map[string]string{}
	extraByIndex := map[string]string{}
	byType := map[string][]packet{}
	timebases := map[string][2]int64{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "#media_type "); ok {
			idx, typ, _ := strings.Cut(rest, ": ")
			types[idx] = typ
			continue
		}
		if rest, ok := strings.CutPrefix(line, "#tb "); ok {
			// Timestamps are compared in milliseconds, FLV's unit, so
			// that an MP4 (90 kHz video, audio at its rate) compares too.
			idx, tb, _ := strings.Cut(rest, ": ")
			num, den, _ := strings.Cut(tb, "/")
			n, _ := strconv.ParseInt(num, 10, 64)
			d, _ := strconv.ParseInt(den, 10, 64)
			timebases[idx] = [2]int64{n, d}
			continue
		}
		if rest, ok := strings.CutPrefix(line, "#extradata "); ok {
			f := strings.Split(rest, ",")
			extraByIndex[strings.TrimSpace(f[0])] = strings.TrimSpace(f[len(f)-1])
			continue
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, ",")
		if len(f) != 6 {
			continue
		}
		dts, _ := strconv.ParseInt(strings.TrimSpace(f[1]), 10, 64)
		if tb := timebases[strings.TrimSpace(f[0])]; tb[1] != 0 && tb != [2]int64{1, 1000} {
			dts = int64(math.Round(float64(dts*tb[0]*1000) / float64(tb[1])))
		}
		size, _ := strconv.Atoi(strings.TrimSpace(f[4]))
		typ := types[strings.TrimSpace(f[0])]
		byType[typ] = append(byType[typ], packet{stream: typ, dts: dts, size: size, hash: strings.TrimSpace(f[5])})
	}
	for idx, h := range extraByIndex {
		extradata[types[idx]] = h
	}
	// Mark keyframes from ffprobe's packet flags.
	ffprobe := peers.Need(t, peers.FFprobe)
	flags, err := exec.Command(ffprobe, "-v", "error", "-select_streams", "v", "-show_entries", "packet=flags", "-of", "csv=p=0", file).Output()
	if err != nil {
		t.Fatalf("ffprobe %s: %v", file, err)
	}
	for i, fl := range strings.Fields(string(flags)) {
		if i < len(byType["video"]) {
			byType["video"][i].keyframe = strings.HasPrefix(fl, "K")
		}
	}
	return byType, extradata
}

// checkRun asserts that what a player wrote is a contiguous run of the
// source's packets in each stream (same sizes and hashes, one constant
// timestamp offset per stream), that video starts on a keyframe, that the
// sequence headers are the source's, and that at least minShare of the
// source's video arrived.
func checkRun(t *testing.T, who string, src map[string][]packet, srcExtra map[string]string, file string, minShare float64) {
	t.Helper()
	got, gotExtra := packets(t, file)
	for _, typ := range []string{"video", "audio"} {
		if gotExtra[typ] != srcExtra[typ] {
			t.Errorf("%s: %s sequence header hash %q, source %q", who, typ, gotExtra[typ], srcExtra[typ])
		}
		g, s := got[typ], src[typ]
		if len(g) == 0 {
			t.Errorf("%s: no %s packets", who, typ)
			continue
		}
		start := -1
		for i := range s {
			if s[i].hash == g[0].hash && s[i].size == g[0].size {
				start = i
				break
			}
		}
		if start < 0 {
			t.Errorf("%s: first %s packet (size %d) is not in the source", who, typ, g[0].size)
			continue
		}
		if typ == "video" && !s[start].keyframe {
			t.Errorf("%s: video starts at source packet %d, not a keyframe", who, start)
		}
		if start+len(g) > len(s) {
			t.Errorf("%s: %d %s packets from source packet %d run past the source's %d", who, len(g), typ, start, len(s))
			continue
		}
		offset := g[0].dts - s[start].dts
		for i := range g {
			want := s[start+i]
			if g[i].hash != want.hash || g[i].size != want.size {
				t.Errorf("%s: %s packet %d is not source packet %d: size %d/%d", who, typ, i, start+i, g[i].size, want.size)
				break
			}
			if d := g[i].dts - want.dts; d != offset {
				t.Errorf("%s: %s packet %d timestamp offset %d, first was %d", who, typ, i, d, offset)
				break
			}
		}
		if typ == "video" {
			if share := float64(len(g)) / float64(len(s)); share < minShare {
				t.Errorf("%s: got %d of %d video packets (%.0f%%), want at least %.0f%%", who, len(g), len(s), 100*share, 100*minShare)
			}
		}
		t.Logf("%s: %s packets %d..%d of %d, timestamp offset %d", who, typ, start, start+len(g)-1, len(s), offset)
	}
}

// waitFor polls cond every 10 ms until it holds or the timeout passes.
func waitFor(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// lateShare is the least of the long sample's video that a player that
// joins while it is published must get: the relay starts it at the last
// keyframe it has, so at least the last of the sample's four GOPs.
const lateShare = 0.25

// awaitUnderway waits until the relay has sent each of the players of
// path about 1.3 s of the long sample (68 messages a second), past its
// second keyframe: a player that joins now joins late, by the stream's
// progress rather than by the clock, which a loaded machine stretches.
func awaitUnderway(t *testing.T, r *live.Relay, path relay.Path, players int) {
	t.Helper()
	want := uint64(players * 90)
	waitFor(t, "the stream to be under way", 20*time.Second, func() bool { return sentToPlayers(r, path.App, path.Key) >= want })
}

// sentToPlayers is how many messages r has sent to the players of
// app/key so far.
func sentToPlayers(r *live.Relay, app, key string) uint64 {
	for _, s := range r.Streams() {
		if s.Path.App == app && s.Path.Key == key {
			return s.Sent
		}
	}
	return 0
}

// checkNoLeak fails if goroutines started during the test outlive it.
func checkNoLeak(t interface {
	Helper()
	Fatalf(string, ...any)
}, before int) {
	t.Helper()
	var n int
	for range 200 {
		runtime.GC()
		if n = runtime.NumGoroutine(); n <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	t.Fatalf("%d goroutines before, %d after:\n%s", before, n, buf)
}

func rtmpURL(addr, path string) string { return fmt.Sprintf("rtmp://%s/%s", addr, path) }

// readTags reads every tag of an FLV file.
func readTags(t *testing.T, file string) []flv.Tag {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tags, err := flv.ReadAll(f)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return tags
}
