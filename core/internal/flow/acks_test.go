package flow

import (
	"testing"

	"pgregory.net/rapid"
)

// TestAcksFollowTheWindow drives Acks with random totals (repeated,
// shrinking, growing past 2^32) and window changes, and checks each answer
// against the rule: an Acknowledgement is owed exactly when the bytes
// received since the last one reach a non-zero window, and it carries the
// total modulo 2^32.
func TestAcksFollowTheWindow(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var a Acks
		var received, acked uint64
		var window uint32
		for i := range rapid.IntRange(1, 60).Draw(t, "steps") {
			if rapid.Bool().Draw(t, "setWindow") {
				window = rapid.SampledFrom([]uint32{0, 1, 100, 2500000}).Draw(t, "window")
				a.SetWindow(window)
			}
			total := received + rapid.Uint64Range(0, 3_000_000).Draw(t, "more")
			if rapid.Bool().Draw(t, "stale") && received > 0 {
				total = received - 1
			}
			if rapid.Bool().Draw(t, "wrap") {
				total += 1 << 32
			}
			grew := a.Count(total)
			if grew != (total > received) {
				t.Fatalf("step %d: Count(%d) after %d reported grew=%v", i, total, received, grew)
			}
			received = max(received, total)
			if a.Received() != received || a.Window() != window {
				t.Fatalf("step %d: received %d window %d, want %d %d", i, a.Received(), a.Window(), received, window)
			}
			ack, due := a.Due()
			wantDue := window > 0 && received-acked >= uint64(window)
			if due != wantDue {
				t.Fatalf("step %d: due=%v with %d unacknowledged bytes and window %d", i, due, received-acked, window)
			}
			if due {
				acked = received
				if ack.SequenceNumber != uint32(received) {
					t.Fatalf("step %d: sequence %d, want %d", i, ack.SequenceNumber, uint32(received))
				}
				if _, again := a.Due(); again {
					t.Fatalf("step %d: the same bytes acknowledged twice", i)
				}
			}
		}
	})
}

func TestAcksZeroValueAcknowledgesNothing(t *testing.T) {
	var a Acks
	a.Count(1 << 40)
	if ack, due := a.Due(); due {
		t.Fatalf("no window set, yet %+v is due", ack)
	}
}
