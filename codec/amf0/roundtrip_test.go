package amf0

import (
	"bytes"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gortmp/rtmp/codec/amf3"
	"pgregory.net/rapid"
)

// exact compares numbers bit for bit (NaN payloads and negative zero
// included) and treats nil and empty slices alike, since a decoded empty
// composite and a hand-written nil one encode the same.
var exact = cmp.Options{
	cmp.Comparer(func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }),
	cmpopts.EquateEmpty(),
}

func genString(t *rapid.T, label string) string {
	// Arbitrary bytes, not just UTF-8: the codec must carry them unchanged.
	return string(rapid.SliceOfN(rapid.Byte(), 0, 12).Draw(t, label))
}

func genNumber(t *rapid.T) float64 {
	if rapid.Bool().Draw(t, "integral") {
		return float64(rapid.IntRange(-5000, 5000).Draw(t, "int"))
	}
	return math.Float64frombits(rapid.Uint64().Draw(t, "bits"))
}

func genProps(t *rapid.T, depth int) []Property {
	n := rapid.IntRange(0, 4).Draw(t, "props")
	ps := make([]Property, n)
	for i := range ps {
		ps[i] = Property{Key: genString(t, "key"), Value: genValue(t, depth+1)}
	}
	return ps
}

// genValue draws any AMF0 value; depth keeps the trees small.
func genValue(t *rapid.T, depth int) Value {
	kinds := 17
	if depth >= 3 {
		kinds = 10 // scalars only
	}
	switch rapid.IntRange(0, kinds-1).Draw(t, "kind") {
	case 0:
		return genNumber(t)
	case 1:
		return rapid.Bool().Draw(t, "bool")
	case 2:
		return genString(t, "string")
	case 3:
		return nil
	case 4:
		return Undefined{}
	case 5:
		return Unsupported{}
	case 6:
		return Date{Milliseconds: genNumber(t), TimeZone: int16(rapid.IntRange(-32768, 32767).Draw(t, "tz"))}
	case 7:
		return XMLDocument(genString(t, "xml"))
	case 8:
		// A long string: only lengths over 65535 take the long form.
		return string(bytes.Repeat([]byte{'x'}, rapid.IntRange(65530, 65540).Draw(t, "long")))
	case 9:
		return AVMPlus{Value: genAMF3(t)}
	case 10, 11:
		return Object(genProps(t, depth))
	case 12, 13:
		return ECMAArray(genProps(t, depth))
	case 14:
		return TypedObject{ClassName: genString(t, "class"), Properties: genProps(t, depth)}
	default:
		n := rapid.IntRange(0, 4).Draw(t, "items")
		vs := make(StrictArray, n)
		for i := range vs {
			vs[i] = genValue(t, depth+1)
		}
		return vs
	}
}

// genAMF3 draws a small AMF3 value; package amf3 tests its own model fully.
func genAMF3(t *rapid.T) amf3.Value {
	switch rapid.IntRange(0, 4).Draw(t, "amf3") {
	case 0:
		return int32(rapid.IntRange(-1<<28, 1<<28-1).Draw(t, "int29"))
	case 1:
		return genString(t, "amf3 string")
	case 2:
		return amf3.Undefined{}
	case 3:
		return amf3.Object{Dynamic: true, DynamicMembers: []amf3.Property{{Key: "k", Value: genString(t, "v")}}}
	default:
		return amf3.Array{Dense: []amf3.Value{1.5, nil}}
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
		// Decode of the first value alone agrees with DecodeAll.
		one, n, err := Decode(b)
		if err != nil {
			t.Fatalf("Decode: %v", err)
		}
		if diff := cmp.Diff(vs[0], one, exact); diff != "" {
			t.Fatalf("Decode differs (-want +got):\n%s", diff)
		}
		if first, _ := Append(nil, vs[0]); n != len(first) {
			t.Fatalf("Decode took %d bytes, the value has %d", n, len(first))
		}
	})
}

// TestDecodeDoesNotAlias checks that decoded strings survive the caller
// reusing its buffer, as the chunk decoder does.
func TestDecodeDoesNotAlias(t *testing.T) {
	b, _ := Append(nil, "connect", Object{{Key: "app", Value: "live"}})
	vs, err := DecodeAll(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = 0xEE
	}
	want := []Value{"connect", Object{{Key: "app", Value: "live"}}}
	if diff := cmp.Diff(want, vs); diff != "" {
		t.Fatalf("decoded values changed with the input (-want +got):\n%s", diff)
	}
}
