package bitstream

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReadFields(t *testing.T) {
	r := NewReader([]byte{0b1011_0011, 0xff, 0x00, 0x80})
	got := []uint32{r.Read(1), r.Read(3), r.Read(4), r.Read(12), r.Read(5), r.Read(0)}
	want := []uint32{1, 0b011, 0b0011, 0xff0, 0b00001, 0}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("fields (-want +got):\n%s", diff)
	}
	if r.Short() {
		t.Fatal("short after reading 25 of 32 bits")
	}
	if v := r.Read(8); v != 0 || !r.Short() {
		t.Fatalf("Read(8) with 7 bits left = %d, short %v; want 0, true", v, r.Short())
	}
	if v := r.Read(1); v != 0 || !r.Short() {
		t.Fatalf("Read(1) after a short read = %d, short %v; want 0, true", v, r.Short())
	}
}

func TestRead32(t *testing.T) {
	r := NewReader([]byte{0xde, 0xad, 0xbe, 0xef, 0x01})
	if v := r.Read(32); v != 0xdeadbeef {
		t.Fatalf("Read(32) = %#x", v)
	}
	if v := r.Read(8); v != 1 || r.Short() {
		t.Fatalf("Read(8) = %d, short %v", v, r.Short())
	}
}

func TestSkip(t *testing.T) {
	r := NewReader([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xa5})
	r.Skip(96)
	if v := r.Read(8); v != 0xa5 || r.Short() {
		t.Fatalf("after Skip(96), Read(8) = %#x, short %v", v, r.Short())
	}
	r.Skip(1)
	if !r.Short() {
		t.Fatal("Skip past the end is not short")
	}
}

func TestFlag(t *testing.T) {
	r := NewReader([]byte{0b1000_0000})
	if !r.Flag() || r.Flag() {
		t.Fatal("flags 1, 0 misread")
	}
}

func TestEmptyReader(t *testing.T) {
	var r Reader
	if r.Read(1) != 0 || !r.Short() {
		t.Fatal("zero Reader reads a bit")
	}
}
