package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/internal/testdial"
)

// binEnv, when set, names an rtmpd binary for TestHostileAggregates to run
// instead of building this one: a release to check, or an older build to
// see the test fail on.
const binEnv = "RTMPD_TEST_BIN"

// hostileConns is how many connections send the nested aggregate at once.
const hostileConns = 4

// maxPeakRSS is the most rtmpd may reach while they do.
const maxPeakRSS = 64 << 20

// An aggregate nested a million deep at the largest message size, sent
// before connect on several connections at once, neither takes rtmpd's
// memory nor disturbs a publisher and a player: each of those connections
// is closed with the memory budget error, logged, and rtmpd's peak RSS
// stays under 64 MB.
func TestHostileAggregates(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	srv := startRTMPD(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	tags, err := readFLVFile("../../../testdata/media/h264-aac-320x240.flv")
	if err != nil {
		t.Fatal(err)
	}
	pubConn, err := dial.Dial(ctx, "rtmp://"+srv.addr+"/live")
	if err != nil {
		t.Fatal(err)
	}
	defer pubConn.Close()
	pub, err := pubConn.Publish(ctx, "legit")
	if err != nil {
		t.Fatal(err)
	}
	pubCtx, stopPub := context.WithCancel(ctx)
	pubErr := make(chan error, 1)
	go func() { pubErr <- publishLoop(pubCtx, pub, tags) }()

	playConn, err := dial.Dial(ctx, "rtmp://"+srv.addr+"/live")
	if err != nil {
		t.Fatal(err)
	}
	defer playConn.Close()
	play, err := playConn.Play(ctx, "legit")
	if err != nil {
		t.Fatal(err)
	}
	var received atomic.Int64
	playErr := make(chan error, 1)
	go func() {
		for {
			if _, err := play.ReadMessage(ctx); err != nil {
				playErr <- err
				return
			}
			received.Add(1)
		}
	}()
	waitUntil(t, "the player to receive media", 30*time.Second, func() bool { return received.Load() >= 20 })

	payload := nestedAggregate(1_000_000)
	var wg sync.WaitGroup
	closed := make([]error, hostileConns)
	for i := range hostileConns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			closed[i] = sendHostile(srv.addr, payload)
		}()
	}
	wg.Wait()
	for i, err := range closed {
		if err != nil {
			t.Errorf("hostile connection %d: %v", i, err)
		}
	}

	// The legitimate pair carries on: the player keeps receiving.
	after := received.Load()
	waitUntil(t, "the player to keep receiving", 30*time.Second, func() bool { return received.Load() >= after+50 })
	select {
	case err := <-pubErr:
		t.Fatalf("the publisher stopped: %v", err)
	case err := <-playErr:
		t.Fatalf("the player stopped: %v", err)
	default:
	}
	stopPub()

	peak, err := peakRSS(srv.cmd.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("rtmpd peak RSS %.1f MB after %d hostile connections", float64(peak)/(1<<20), hostileConns)
	if peak > maxPeakRSS {
		t.Errorf("rtmpd peak RSS %d bytes, over %d", peak, maxPeakRSS)
	}
	waitUntil(t, "every hostile connection's end in the log", 10*time.Second, func() bool {
		return strings.Count(srv.out.String(), "memory budget") >= hostileConns
	})
	if t.Failed() {
		t.Logf("rtmpd's log:\n%s", srv.out.String())
	}
}

// rtmpdProcess is a running rtmpd and its log.
type rtmpdProcess struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	addr string
}

// startRTMPD builds rtmpd (or takes binEnv's) and runs it on a free port
// until the test ends.
func startRTMPD(t *testing.T) *rtmpdProcess {
	t.Helper()
	bin := os.Getenv(binEnv)
	if bin == "" {
		bin = filepath.Join(t.TempDir(), "rtmpd")
		if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			t.Fatalf("build: %v\n%s", err, out)
		}
	}
	p := &rtmpdProcess{out: new(syncBuffer)}
	p.cmd = exec.Command(bin, "-listen", "127.0.0.1:0")
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { p.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			p.cmd.Process.Kill()
			<-done
		}
	})
	waitUntil(t, "rtmpd's banner", 20*time.Second, func() bool {
		_, rest, ok := strings.Cut(p.out.String(), "rtmpd listening on ")
		if !ok {
			return false
		}
		p.addr, _, ok = strings.Cut(rest, " ")
		return ok
	})
	return p
}

// publishLoop publishes tags at their pace, over and over, until ctx ends.
func publishLoop(ctx context.Context, pub *dial.Publication, tags []flv.Tag) error {
	start := time.Now()
	var offset uint32
	for {
		for _, tag := range tags {
			tag.Timestamp += offset
			if wait := time.Until(start.Add(time.Duration(tag.Timestamp) * time.Millisecond)); wait > 0 {
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(wait):
				}
			}
			if err := pub.WriteTag(tag); err != nil {
				return err
			}
		}
		offset = tags[len(tags)-1].Timestamp + offset + 40
	}
}

// sendHostile opens a connection, sets a 16 MiB chunk size and sends an
// aggregate message of payload, before any connect, then reads until the
// server closes the connection; it fails if the server does not.
func sendHostile(addr string, payload []byte) error {
	c, err := testdial.Handshaken(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	var enc chunk.Encoder
	setSize, err := message.Encode(message.Message{Body: message.SetChunkSize{Size: 16 << 20}})
	if err != nil {
		return err
	}
	out, err := enc.Append(nil, 2, setSize)
	if err != nil {
		return err
	}
	if out, err = enc.Append(out, 6, chunk.Message{TypeID: uint8(message.TypeAggregate), StreamID: 1, Payload: payload}); err != nil {
		return err
	}
	c.SetDeadline(time.Now().Add(60 * time.Second))
	// The server may close the connection before it has read all of it.
	c.Write(out)
	_, err = io.Copy(io.Discard, c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return errors.New("the server kept the connection open")
	}
	return nil
}

// nestedAggregate is depth aggregates, each the only part of the one
// around it, around one video part: 15 bytes a level, written in one pass.
func nestedAggregate(depth int) []byte {
	inner := []byte{9, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0x17, 1, 0, 0, 0, 13}
	total := len(inner) + depth*message.AggregateOverhead
	b := make([]byte, total)
	copy(b[depth*11:], inner)
	for i := range depth {
		size := len(inner) + (depth-1-i)*message.AggregateOverhead
		h := b[i*11:]
		h[0] = byte(message.TypeAggregate)
		h[1], h[2], h[3] = byte(size>>16), byte(size>>8), byte(size)
		binary.BigEndian.PutUint32(b[total-(i+1)*4:], uint32(11+size))
	}
	return b
}

// peakRSS is a process's VmHWM in bytes.
func peakRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmHWM in the process status")
}

// waitUntil polls cond every 20 ms until it holds or the timeout passes.
func waitUntil(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// readFLVFile returns every tag of the FLV file at path, in order.
func readFLVFile(path string) ([]flv.Tag, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return flv.ReadAll(f)
}
