package driver_test

import (
	"net"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver"
)

// idleConns is how many idle connections TestIdleConnectionHeap holds:
// RTMP_IDLE_CONNS overrides it (each costs two descriptors in this
// process, the client's and the server's, so mind ulimit -n).
func idleConns(t *testing.T) int {
	n := 1000
	if s := os.Getenv("RTMP_IDLE_CONNS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > 20000 {
			t.Fatalf("RTMP_IDLE_CONNS=%q: want 1 to 20000", s)
		}
		n = v
	}
	return n
}

// TestIdleConnectionHeap holds many connections that finished the
// handshake and sent nothing more, and measures the heap they cost: under
// 32 KiB each, counting the test's own client sockets too. The goroutine
// stacks (three per connection: loop, reader, writer) are reported
// beside it.
func TestIdleConnectionHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("opens many sockets")
	}
	n := idleConns(t)
	addr := startServer(t, nil, &driver.Relay{}, driver.Config{MaxConns: n + 10})

	before := memStats()
	conns := make([]net.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range n {
		conns = append(conns, dialHandshake(t, addr))
	}
	// The server reads each C2 shortly after the client sent it; give
	// the last ones time to land, then measure what stays.
	time.Sleep(500 * time.Millisecond)
	after := memStats()

	heap := (int64(after.HeapAlloc) - int64(before.HeapAlloc)) / int64(n)
	stack := (int64(after.StackInuse) - int64(before.StackInuse)) / int64(n)
	t.Logf("%d idle connections: %d B of heap and %d B of goroutine stack each", n, heap, stack)
	if heap >= 32<<10 {
		t.Errorf("an idle connection costs %d B of heap, want under 32 KiB", heap)
	}
}

// memStats returns the memory statistics after a full collection.
func memStats() runtime.MemStats {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m
}
