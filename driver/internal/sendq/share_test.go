package sendq

import (
	"testing"
	"time"
)

// Holders of the same period share one merger, other periods have their
// own, giving back twice counts once, and a period no one holds any more
// gets a new merger (the old one's goroutine has ended).
func TestShareMergerOnePerPeriodWhileHeld(t *testing.T) {
	a, releaseA := ShareMerger(time.Hour)
	b, releaseB := ShareMerger(time.Hour)
	other, releaseOther := ShareMerger(2 * time.Hour)
	defer releaseOther()
	if a != b {
		t.Fatal("two holders of one period got two mergers")
	}
	if other == a || other.Period() != 2*time.Hour {
		t.Fatalf("another period got %v", other.Period())
	}
	releaseA()
	releaseA()
	c, releaseC := ShareMerger(time.Hour)
	if c != a {
		t.Fatal("a second release by one holder stopped a merger another still holds")
	}
	releaseB()
	releaseC()
	d, releaseD := ShareMerger(time.Hour)
	defer releaseD()
	if d == a {
		t.Fatal("a merger no one held was handed out again")
	}
	shared.mu.Lock()
	n := len(shared.mergers)
	shared.mu.Unlock()
	if n != 2 {
		t.Errorf("%d mergers running, want 2", n)
	}
}
