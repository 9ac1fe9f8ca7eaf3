package sendq

import (
	"net"
	"testing"
	"time"
)

// A queue closed while a direct write is in flight: the writer wakes for
// the close, finds the queue busy, and sleeps again; the direct write's
// end must wake it to see the close, or the connection never ends.
func TestWriterEndsWhenClosedDuringADirectWrite(t *testing.T) {
	server, client := net.Pipe()
	defer server.Close()
	defer client.Close()
	q := New(1 << 20)

	q.mu.Lock()
	q.busy = true // a direct write in flight
	q.mu.Unlock()
	done := make(chan error, 1)
	go func() { done <- WriteLoop(server, q, time.Second) }()
	q.Close()
	// Let the writer take the close's signal and go back to sleep.
	for range 100 {
		if len(q.wake) == 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	time.Sleep(10 * time.Millisecond)

	q.directDone()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("WriteLoop: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("writer still asleep after the queue closed")
	}
}
