package bitstream

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// field is one value of a random bit string and how it is coded.
type field struct {
	Kind  int // 0 fixed, 1 ue, 2 se, 3 uvlc
	Width int
	Value uint64
	S     int32
}

func drawField(t *rapid.T) field {
	switch kind := rapid.IntRange(0, 3).Draw(t, "kind"); kind {
	case 0:
		w := rapid.IntRange(0, 32).Draw(t, "width")
		return field{Kind: 0, Width: w, Value: rapid.Uint64Range(0, 1<<w-1).Draw(t, "fixed")}
	case 1:
		return field{Kind: 1, Value: rapid.Uint64Range(0, 1<<32-2).Draw(t, "ue")}
	case 2:
		return field{Kind: 2, S: rapid.Int32Range(-(1<<31-1), 1<<31-1).Draw(t, "se")}
	default:
		return field{Kind: 3, Value: rapid.Uint64Range(0, 1<<33-2).Draw(t, "uvlc")}
	}
}

func (f field) write(w *writer) {
	switch f.Kind {
	case 0:
		w.put(f.Value, f.Width)
	case 1, 3:
		w.putGolomb(f.Value)
	case 2:
		w.putSE(f.S)
	}
}

func (f field) read(r *Reader) field {
	out := f
	switch f.Kind {
	case 0:
		out.Value = uint64(r.Read(f.Width))
	case 1:
		out.Value = uint64(r.UE())
	case 2:
		out.S = r.SE()
	case 3:
		out.Value = r.UVLC()
	}
	return out
}

// TestPropertyRoundTrip writes random fields and reads them back.
func TestPropertyRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		fields := rapid.SliceOfN(rapid.Custom(drawField), 0, 40).Draw(t, "fields")
		var w writer
		for _, f := range fields {
			f.write(&w)
		}
		r := NewReader(w.b)
		got := make([]field, 0, len(fields))
		for _, f := range fields {
			got = append(got, f.read(&r))
		}
		if diff := cmp.Diff(fields, got); diff != "" {
			t.Fatalf("fields (-wrote +read):\n%s", diff)
		}
		if r.Short() {
			t.Fatal("short reading back what was written")
		}
		if pad := 8*len(w.b) - w.bits; r.Read(pad+1) != 0 || !r.Short() {
			t.Fatal("a read past the padding is not short")
		}
	})
}

// TestPropertyTruncated reads random fields from the first bytes of their
// coding: no panic, and the reader is short exactly when the fields do
// not all fit.
func TestPropertyTruncated(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		fields := rapid.SliceOfN(rapid.Custom(drawField), 1, 20).Draw(t, "fields")
		var w writer
		for _, f := range fields {
			f.write(&w)
		}
		cut := rapid.IntRange(0, len(w.b)).Draw(t, "cut")
		r := NewReader(w.b[:cut])
		for _, f := range fields {
			f.read(&r)
		}
		if fits := w.bits <= 8*cut; r.Short() == fits {
			t.Fatalf("%d of %d bits kept: short %v", 8*cut, w.bits, r.Short())
		}
	})
}

// TestPropertyArbitraryInput reads random fields from random bytes: no
// panic, and once short the reader stays short and reads zeros (a draw's
// own value is replaced by what was read).
func TestPropertyArbitraryInput(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := NewReader(rapid.SliceOfN(rapid.Byte(), 0, 16).Draw(t, "bytes"))
		for range rapid.IntRange(0, 40).Draw(t, "reads") {
			wasShort := r.Short()
			f := drawField(t)
			got := f.read(&r)
			if wasShort && (!r.Short() || got.Value != 0 && f.Kind != 2 || got.S != 0) {
				t.Fatalf("read %+v after the end: %+v, short %v", f, got, r.Short())
			}
		}
	})
}

// TestPropertyUnescape: AppendUnescaped removes what an escaper inserts,
// a 03 after two zeros wherever the next byte is 00 to 03, or at the end
// after zeros.
func TestPropertyUnescape(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		payload := rapid.SliceOfN(rapid.SampledFrom([]byte{0, 0, 0, 1, 2, 3, 0x65}), 0, 64).Draw(t, "payload")
		var escaped []byte
		zeros := 0
		for _, c := range payload {
			if zeros >= 2 && c <= 3 {
				escaped = append(escaped, 3)
				zeros = 0
			}
			escaped = append(escaped, c)
			if c == 0 {
				zeros++
			} else {
				zeros = 0
			}
		}
		if zeros >= 2 {
			escaped = append(escaped, 3) // cabac_zero_word-style trailing
		}
		got := AppendUnescaped(nil, escaped)
		if diff := cmp.Diff(string(payload), string(got)); diff != "" {
			t.Fatalf("AppendUnescaped(% x) (-want +got):\n%s", escaped, diff)
		}
	})
}
