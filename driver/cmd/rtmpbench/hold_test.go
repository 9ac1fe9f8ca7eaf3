package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestWritesWithHold(t *testing.T) {
	stamps := []uint32{0, 0, 10, 30, 31, 100}
	for hold, want := range map[uint32]int{0: 5, 1: 4, 10: 3, 69: 2, 100: 1} {
		if got := writesWithHold(stamps, hold); got != want {
			t.Errorf("hold %d ms: %d writes, want %d", hold, got, want)
		}
	}
}

// The schedule keeps the hold (no message waits longer than hold after the
// first of its write), and it is the shortest: its writes start more than
// hold apart, so no two of those first messages could share a write. A
// longer hold never needs more writes.
func TestHoldBatchesProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		gaps := rapid.SliceOfN(rapid.Uint32Range(0, 100), 1, 200).Draw(t, "gaps")
		stamps := make([]uint32, len(gaps))
		for i, g := range gaps {
			stamps[i] = g
			if i > 0 {
				stamps[i] += stamps[i-1]
			}
		}
		hold := rapid.Uint32Range(0, 150).Draw(t, "hold")
		starts := holdBatches(stamps, hold)
		if len(starts) == 0 || starts[0] != 0 {
			t.Fatalf("writes start at %v", starts)
		}
		for w, s := range starts {
			end := len(stamps)
			if w+1 < len(starts) {
				end = starts[w+1]
				if stamps[end]-stamps[s] <= hold {
					t.Fatalf("write %d could have carried message %d", w, end)
				}
			}
			if end <= s || stamps[end-1]-stamps[s] > hold {
				t.Fatalf("write %d carries messages %d to %d, past the hold", w, s, end-1)
			}
		}
		if more := writesWithHold(stamps, hold+rapid.Uint32Range(1, 50).Draw(t, "more")); more > len(starts) {
			t.Fatalf("a longer hold needs %d writes, the shorter %d", more, len(starts))
		}
	})
}

func TestPrintHolds(t *testing.T) {
	var out bytes.Buffer
	if err := printHolds(&out, "../../../testdata/media/h264-aac-320x240.flv"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1+len(holds) || !strings.HasPrefix(lines[0], "media: ") {
		t.Fatalf("got\n%s", out.String())
	}
	first, last := 0, 101
	for _, l := range lines[1:] {
		var percent int
		if i := strings.Index(l, "%"); i < 3 {
			t.Fatalf("no share in %q", l)
		} else if _, err := fmt.Sscan(l[i-3:i], &percent); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if percent > last || percent == 0 {
			t.Errorf("%q after %d%%", l, last)
		}
		if first == 0 {
			first = percent
		}
		last = percent
	}
	if last >= first {
		t.Errorf("holding 40 ms saves no write:\n%s", out.String())
	}
}
