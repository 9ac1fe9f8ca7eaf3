package amf3

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// exact compares numbers bit for bit and treats nil and empty slices alike.
var exact = cmp.Options{
	cmp.Comparer(func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }),
	cmpopts.EquateEmpty(),
}

// genString draws from a small alphabet so that repeats, and so string
// and traits references, are common.
func genString(t *rapid.T, label string) string {
	return rapid.SampledFrom([]string{"", "a", "b", "app", "code", "\x00\xff", "é"}).Draw(t, label)
}

func genKey(t *rapid.T) string {
	return rapid.SampledFrom([]string{"a", "b", "app", "code"}).Draw(t, "key")
}

func genDouble(t *rapid.T) float64 {
	return math.Float64frombits(rapid.Uint64().Draw(t, "bits"))
}

func genProps(t *rapid.T, depth int, key func(*rapid.T) string) []Property {
	n := rapid.IntRange(0, 3).Draw(t, "props")
	ps := make([]Property, n)
	for i := range ps {
		ps[i] = Property{Key: key(t), Value: genValue(t, depth+1)}
	}
	return ps
}

func genValues(t *rapid.T, depth int) []Value {
	vs := make([]Value, rapid.IntRange(0, 3).Draw(t, "items"))
	for i := range vs {
		vs[i] = genValue(t, depth+1)
	}
	return vs
}

// genValue draws any AMF3 value; depth keeps the trees small.
func genValue(t *rapid.T, depth int) Value {
	kinds := 18
	if depth >= 3 {
		kinds = 9 // no composites
	}
	switch rapid.IntRange(0, kinds-1).Draw(t, "kind") {
	case 0:
		return Undefined{}
	case 1:
		return nil
	case 2:
		return rapid.Bool().Draw(t, "bool")
	case 3:
		return int32(rapid.IntRange(minInt29, maxInt29).Draw(t, "int"))
	case 4:
		return genDouble(t)
	case 5:
		return genString(t, "string")
	case 6:
		return XMLDocument(genString(t, "xmldoc"))
	case 7:
		return XML(genString(t, "xml"))
	case 8:
		return Date{Milliseconds: genDouble(t)}
	case 9:
		return ByteArray(rapid.SliceOfN(rapid.Byte(), 0, 6).Draw(t, "bytes"))
	case 10:
		return Array{Associative: genProps(t, depth, genKey), Dense: genValues(t, depth)}
	case 11:
		o := Object{ClassName: genString(t, "class"), Dynamic: rapid.Bool().Draw(t, "dynamic")}
		o.Sealed = genProps(t, depth, func(t *rapid.T) string { return genString(t, "sealed") })
		if o.Dynamic {
			o.DynamicMembers = genProps(t, depth, genKey)
		}
		return o
	case 12:
		class := rapid.SampledFrom([]string{"flex.messaging.io.ArrayCollection", "flex.messaging.io.ObjectProxy"}).Draw(t, "external")
		return External{ClassName: class, Value: genValue(t, depth+1)}
	case 13:
		return VectorInt{Fixed: rapid.Bool().Draw(t, "fixed"), Items: rapid.SliceOfN(rapid.Int32(), 0, 4).Draw(t, "ints")}
	case 14:
		return VectorUint{Fixed: rapid.Bool().Draw(t, "fixed"), Items: rapid.SliceOfN(rapid.Uint32(), 0, 4).Draw(t, "uints")}
	case 15:
		return VectorDouble{Fixed: rapid.Bool().Draw(t, "fixed"), Items: rapid.SliceOfN(rapid.Custom(genDouble), 0, 4).Draw(t, "doubles")}
	case 16:
		return VectorObject{Fixed: rapid.Bool().Draw(t, "fixed"), TypeName: genString(t, "type"), Items: genValues(t, depth)}
	default:
		d := Dictionary{WeakKeys: rapid.Bool().Draw(t, "weak")}
		for range rapid.IntRange(0, 3).Draw(t, "entries") {
			d.Entries = append(d.Entries, DictionaryEntry{Key: genValue(t, depth+1), Value: genValue(t, depth+1)})
		}
		return d
	}
}

// TestRoundTrip checks decode(encode(v)) == v for generated values of
// every kind, and encode(decode(b)) == b for the canonical bytes b.
func TestRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		vs := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) Value { return genValue(t, 0) }), 1, 4).Draw(t, "values")
		b, err := Append(nil, vs...)
		if err != nil {
			t.Fatalf("Append: %v", err)
		}
		got, err := DecodeAll(b)
		if err != nil {
			t.Fatalf("DecodeAll(% x): %v", b, err)
		}
		if diff := cmp.Diff(vs, got, exact); diff != "" {
			t.Fatalf("decode(encode(v)) differs (-want +got):\n%s", diff)
		}
		again, err := Append(nil, got...)
		if err != nil {
			t.Fatalf("Append(decoded): %v", err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("encode(decode(b)) != b:\n% x\n% x", again, b)
		}
	})
}

// TestIntegerRange checks the 29-bit rule: integers outside it travel as
// doubles, those inside as integers.
func TestIntegerRange(t *testing.T) {
	cases := []struct {
		in   Value
		want Value
		wire []byte
	}{
		{int32(maxInt29), int32(maxInt29), []byte{0x04, 0xBF, 0xFF, 0xFF, 0xFF}},
		{int32(minInt29), int32(minInt29), []byte{0x04, 0xC0, 0x80, 0x80, 0x00}},
		{int32(-1), int32(-1), []byte{0x04, 0xFF, 0xFF, 0xFF, 0xFF}},
		{int32(127), int32(127), []byte{0x04, 0x7F}},
		{int32(128), int32(128), []byte{0x04, 0x81, 0x00}},
		{int32(maxInt29 + 1), float64(maxInt29 + 1), []byte{0x05, 0x41, 0xB0, 0, 0, 0, 0, 0, 0}},
		{int64(minInt29 - 1), float64(minInt29 - 1), []byte{0x05, 0xC1, 0xB0, 0, 0, 0x01, 0, 0, 0}},
		{int(5), int32(5), []byte{0x04, 0x05}},
	}
	for _, c := range cases {
		b, err := Append(nil, c.in)
		if err != nil {
			t.Fatalf("Append(%v): %v", c.in, err)
		}
		if !bytes.Equal(b, c.wire) {
			t.Errorf("Append(%#v) = % x, want % x", c.in, b, c.wire)
		}
		got, _, err := Decode(b)
		if err != nil || got != c.want {
			t.Errorf("Decode(% x) = %#v, %v; want %#v", b, got, err, c.want)
		}
	}
}

// TestSharedValuesUseReferences checks that the very same composite, met
// twice, is written once and then referenced, as Flash does, and that
// equal but separate values are written twice.
func TestSharedValuesUseReferences(t *testing.T) {
	o := Object{ClassName: "C", Sealed: []Property{{Key: "x", Value: int32(1)}}}
	shared, err := Append(nil, Array{Dense: []Value{o, o}})
	if err != nil {
		t.Fatal(err)
	}
	twin := Object{ClassName: "C", Sealed: []Property{{Key: "x", Value: int32(1)}}}
	separate, err := Append(nil, Array{Dense: []Value{o, twin}})
	if err != nil {
		t.Fatal(err)
	}
	// array, count 2, no associative part; object with traits C{x}, 1;
	// then a reference to object 1 (0x02), or a traits reference (0x01).
	wantShared := []byte{0x09, 0x05, 0x01, 0x0A, 0x13, 0x03, 'C', 0x03, 'x', 0x04, 0x01, 0x0A, 0x02}
	wantSeparate := []byte{0x09, 0x05, 0x01, 0x0A, 0x13, 0x03, 'C', 0x03, 'x', 0x04, 0x01, 0x0A, 0x01, 0x04, 0x01}
	if !bytes.Equal(shared, wantShared) {
		t.Errorf("shared:   % x\nwant      % x", shared, wantShared)
	}
	if !bytes.Equal(separate, wantSeparate) {
		t.Errorf("separate: % x\nwant      % x", separate, wantSeparate)
	}
	for _, b := range [][]byte{shared, separate} {
		v, _, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(Array{Dense: []Value{o, o}}, v, exact); diff != "" {
			t.Errorf("decoded (-want +got):\n%s", diff)
		}
	}
}

// TestCyclicValueIsRefused checks that a Go value containing itself ends
// in an error, not a stack overflow or a reference the decoder refuses.
func TestCyclicValueIsRefused(t *testing.T) {
	a := Array{Dense: make([]Value, 1)}
	a.Dense[0] = a
	if _, err := Append(nil, a); !errors.Is(err, ErrTooDeep) {
		t.Fatalf("Append(cycle) = %v, want ErrTooDeep", err)
	}
}

// BenchmarkDecodeAllMarkers decodes a sequence holding every marker.
func BenchmarkDecodeAllMarkers(b *testing.B) {
	in := []Value{"connect", int32(1), Object{Dynamic: true, DynamicMembers: []Property{
		{Key: "app", Value: "live"}, {Key: "objectEncoding", Value: int32(3)}}},
		Array{Dense: []Value{1.5, "live", ByteArray{1, 2, 3}}}, VectorInt{Items: []int32{1, 2, 3}}}
	payload, err := Append(nil, in...)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		if _, err := DecodeAll(payload); err != nil {
			b.Fatal(err)
		}
	}
}
