package driver

import (
	"testing"
	"time"
)

// TestLinkBackoff: the wait doubles from MinBackoff up to MaxBackoff and
// stays there, never negative however long it is, and the defaults fill
// in around whichever bound was given.
func TestLinkBackoff(t *testing.T) {
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
		l := &Links{cfg: LinkConfig{MinBackoff: c.min, MaxBackoff: c.max}.withDefaults()}
		for i, f := range c.failures {
			if got := l.backoff(f); got != c.want[i] {
				t.Errorf("%s: backoff after %d failures = %v, want %v", c.name, f, got, c.want[i])
			}
		}
	}
}
