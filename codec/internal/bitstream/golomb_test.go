package bitstream

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUE(t *testing.T) {
	// 1 | 010 | 011 | 00100 | 00111 | 0001000: the codes of 0 to 3, 6 and 7.
	r := NewReader([]byte{0b1010_0110, 0b0100_0011, 0b1000_1000})
	got := []uint32{r.UE(), r.UE(), r.UE(), r.UE(), r.UE(), r.UE()}
	if diff := cmp.Diff([]uint32{0, 1, 2, 3, 6, 7}, got); diff != "" || r.Short() {
		t.Fatalf("ue (-want +got):\n%s short %v", diff, r.Short())
	}
}

func TestSE(t *testing.T) {
	var w writer
	want := []int32{0, 1, -1, 2, -2, 1000, -1000}
	for _, v := range want {
		w.putSE(v)
	}
	r := NewReader(w.b)
	var got []int32
	for range want {
		got = append(got, r.SE())
	}
	if diff := cmp.Diff(want, got); diff != "" || r.Short() {
		t.Fatalf("se (-want +got):\n%s short %v", diff, r.Short())
	}
}

func TestUELimits(t *testing.T) {
	var w writer
	w.putGolomb(1<<32 - 2) // 31 zeros: the largest ue(v) that fits
	r := NewReader(w.b)
	if v := r.UE(); v != 1<<32-2 || r.Short() {
		t.Fatalf("31-zero code = %d, short %v", v, r.Short())
	}
	w = writer{}
	w.putGolomb(1<<32 - 1) // 32 zeros
	r = NewReader(w.b)
	if v := r.UE(); v != 0 || !r.Short() {
		t.Fatalf("32-zero ue = %d, short %v; want 0, true", v, r.Short())
	}
	r = NewReader([]byte{0, 0})
	if v := r.UE(); v != 0 || !r.Short() {
		t.Fatalf("ue without its one = %d, short %v; want 0, true", v, r.Short())
	}
}

func TestUVLCLimits(t *testing.T) {
	var w writer
	w.putGolomb(1<<33 - 2) // 32 zeros: the most uvlc() reads
	r := NewReader(w.b)
	if v := r.UVLC(); v != 1<<33-2 || r.Short() {
		t.Fatalf("32-zero uvlc = %d, short %v", v, r.Short())
	}
	w = writer{}
	w.put(0, 33)
	w.put(1, 34)
	r = NewReader(w.b)
	if v := r.UVLC(); v != 0 || !r.Short() {
		t.Fatalf("33-zero uvlc = %d, short %v; want 0, true", v, r.Short())
	}
}
