package driver_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/internal/testdial"
	"github.com/gortmp/rtmp/driver/internal/testkit"
)

// idleClientEnv, when set to "N@ADDR", turns the test binary into the
// client process of TestIdleConnectionHeap: it holds N handshaken
// connections to ADDR until its standard input closes. With the client
// ends in another process, each process needs one descriptor per
// connection, so 10,000 connections fit under a 20,000 descriptor limit,
// and the heap measured is the server's alone.
const idleClientEnv = "RTMP_IDLE_CLIENT"

func TestMain(m *testing.M) {
	if spec := os.Getenv(idleClientEnv); spec != "" {
		os.Exit(idleClient(spec))
	}
	if spec := os.Getenv(playClientEnv); spec != "" {
		os.Exit(playClient(spec))
	}
	os.Exit(m.Run())
}

// idleClient is the client process: it dials, says "ready" on standard
// output, and waits.
func idleClient(spec string) int {
	count, addr, _ := strings.Cut(spec, "@")
	n, err := strconv.Atoi(count)
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s=%q: %v\n", idleClientEnv, spec, err)
		return 2
	}
	conns := make([]net.Conn, 0, n)
	for range n {
		c, err := testdial.Handshaken(addr)
		if err != nil {
			fmt.Fprintf(os.Stderr, "connection %d: %v\n", len(conns)+1, err)
			return 1
		}
		conns = append(conns, c)
	}
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
	for _, c := range conns {
		c.Close()
	}
	return 0
}

// idleConns is how many idle connections TestIdleConnectionHeap holds:
// 10,000, or what the descriptor limit leaves room for (2,000 under the
// race detector); RTMP_IDLE_CONNS sets it, and then a limit too low for it
// fails the test.
func idleConns(t *testing.T) int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	room := int(min(lim.Cur, 1<<20)) - 256
	if s := os.Getenv("RTMP_IDLE_CONNS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > 100000 {
			t.Fatalf("RTMP_IDLE_CONNS=%q: want 1 to 100000", s)
		}
		if v > room {
			t.Fatalf("RTMP_IDLE_CONNS=%d: the descriptor limit (ulimit -n) leaves room for %d", v, room)
		}
		return v
	}
	if raceEnabled {
		// Three goroutines a connection, under the race detector's 8128.
		return 2000
	}
	if room < 10000 {
		t.Logf("the descriptor limit (ulimit -n %d) leaves room for %d connections, not 10000", lim.Cur, room)
		return max(room, 100)
	}
	return 10000
}

// TestIdleConnectionHeap holds 10,000 connections that finished the
// handshake and sent nothing more, their client ends in a second process,
// and measures the heap they cost the server: under 32 KiB each, the
// performance issue's bound, and under 8 KiB, this server's; and their
// goroutine stacks: one goroutine per idle connection, its loop, which
// reads the socket itself (the writer runs only while there is something
// to write).
func TestIdleConnectionHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("opens many sockets")
	}
	n := idleConns(t)
	stats := new(driver.ServerStats)
	addr := startServer(t, nil, &live.Relay{}, driver.Config{MaxConns: n + 10, Stats: stats})

	before := testkit.MemStats()
	startClientProcess(t, fmt.Sprintf("%s=%d@%s", idleClientEnv, n, addr))
	// The server reads each C2 a little after the client sent it: measure
	// once it has read every connection's C0, C1 and C2.
	waitFor(t, "the server to read every handshake", 60*time.Second, func() bool {
		return stats.Counts().BytesReceived == uint64(n*(1+1536+1536))
	})
	after := testkit.MemStats()

	heap := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / int64(n)
	stack := (int64(after.StackInuse) - int64(before.StackInuse)) / int64(n)
	t.Logf("%d idle connections: %d B of heap and %d B of goroutine stack each", n, heap, stack)
	if heap >= 32<<10 {
		t.Errorf("an idle connection costs %d B of heap, want under 32 KiB", heap)
	}
	// It waits without a read buffer (two of initialReadBuffer, held
	// while waiting, and a reader goroutine made it about 11.4 KiB).
	if heap >= 8<<10 {
		t.Errorf("an idle connection costs %d B of heap, want under 8 KiB: does it hold a read buffer while it waits?", heap)
	}
	// One goroutine each, the loop, which reads itself: a second, 8 KiB
	// of stack or more, would be over.
	if stack >= 8<<10 {
		t.Errorf("an idle connection costs %d B of goroutine stack, want under 8 KiB: does it run more than one goroutine?", stack)
	}
	if g := runtime.NumGoroutine(); g < n {
		t.Errorf("%d goroutines for %d connections: the server does not hold them all", g, n)
	}
}

// startClientProcess runs this test binary as a client process, made one
// by env (NAME=VALUE, see TestMain), and returns once it says "ready" on
// its standard output. The process ends when the test does: its standard
// input closes, and it must then exit 0.
func startClientProcess(t *testing.T, env string) {
	t.Helper()
	client := exec.Command(os.Args[0], "-test.run=^$")
	client.Env = append(os.Environ(), env)
	client.Stderr = os.Stderr
	stdin, err := client.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := client.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		if err := client.Wait(); err != nil {
			t.Errorf("client process: %v", err)
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		t.Fatalf("client process said %q, %v; want ready", line, err)
	}
}
