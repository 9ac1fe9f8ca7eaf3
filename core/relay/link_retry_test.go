package relay_test

import (
	"testing"
	"time"

	"github.com/gortmp/rtmp/core/relay"
)

// TestBackoffWait: the wait doubles from Min up to Max and stays there,
// never negative however long it is, and the defaults fill in around
// whichever bound was given.
func TestBackoffWait(t *testing.T) {
	for _, c := range []struct {
		name     string
		min, max time.Duration
		failures []int
		want     []time.Duration
	}{
		{"defaults", 0, 0, []int{0, 1, 2, 3, 6, 7, 1000}, []time.Duration{
			500 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second,
			10 * time.Second, 10 * time.Second, 10 * time.Second}},
		{"only a short max", 0, 100 * time.Millisecond, []int{1, 5}, []time.Duration{
			100 * time.Millisecond, 100 * time.Millisecond}},
		{"max below min", time.Second, 100 * time.Millisecond, []int{1, 4}, []time.Duration{
			time.Second, time.Second}},
		{"only a long min", time.Minute, 0, []int{1, 3}, []time.Duration{time.Minute, time.Minute}},
		{"huge", 3 * time.Hour, 1 << 62, []int{1, 2, 25, 64, 1 << 20}, []time.Duration{
			3 * time.Hour, 6 * time.Hour, 1 << 62, 1 << 62, 1 << 62}},
	} {
		b := relay.Backoff{Min: c.min, Max: c.max}.WithDefaults()
		for i, f := range c.failures {
			if got := b.Wait(f); got != c.want[i] {
				t.Errorf("%s: wait after %d failures = %v, want %v", c.name, f, got, c.want[i])
			}
		}
	}
}

// TestRetryAgainstFailingRemote plays a link against a remote that refuses
// three times, then carries media and drops, then refuses for good, in
// virtual time: the waits double from the first failure, start again
// after the connection that carried media, and the link gives up after
// MaxRetries failures in a row.
func TestRetryAgainstFailingRemote(t *testing.T) {
	r := relay.NewRetry(relay.Backoff{Min: 100 * time.Millisecond, Max: 350 * time.Millisecond, MaxRetries: 4})
	// What each attempt of the remote does: carried media or not.
	attempts := []bool{false, false, false, true, false, false, false, false, false}
	var now time.Duration
	var at []time.Duration
	gaveUp := -1
	for i, progressed := range attempts {
		at = append(at, now)
		wait, again := r.Failed(progressed)
		if !again {
			gaveUp = i
			break
		}
		now += wait
	}
	want := []time.Duration{0, 100, 300, 650, 750, 950, 1300, 1650}
	for i := range want {
		want[i] *= time.Millisecond
	}
	if len(at) != len(want) {
		t.Fatalf("attempts at %v, want %v", at, want)
	}
	for i := range want {
		if at[i] != want[i] {
			t.Fatalf("attempts at %v, want %v", at, want)
		}
	}
	if gaveUp != 7 || r.Failures() != 5 {
		t.Fatalf("gave up at attempt %d after %d failures, want attempt 7 after 5", gaveUp, r.Failures())
	}
}
