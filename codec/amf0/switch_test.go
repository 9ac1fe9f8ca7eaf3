package amf0

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/amf3"
	"pgregory.net/rapid"
)

// genMappable draws an AMF0 value that has an AMF3 form which maps back
// to it: no empty keys (AMF3 cannot write them), no empty ECMA arrays
// (which come back as empty strict arrays), dates in UTC, no Unsupported.
func genMappable(t *rapid.T, depth int) Value {
	kinds := 10
	if depth >= 3 {
		kinds = 6
	}
	props := func() []Property {
		n := rapid.IntRange(1, 3).Draw(t, "n")
		ps := make([]Property, n)
		for i := range ps {
			ps[i] = Property{Key: rapid.StringMatching(`[a-z][a-zA-Z0-9]{0,6}`).Draw(t, "key"), Value: genMappable(t, depth+1)}
		}
		return ps
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
		return Date{Milliseconds: float64(rapid.Int64Range(-1e12, 1e12).Draw(t, "ms"))}
	case 6:
		return Object(props())
	case 7:
		return ECMAArray(props())
	case 8:
		return TypedObject{ClassName: rapid.StringMatching(`[a-z]{1,5}(\.[A-Z][a-z]{1,5})?`).Draw(t, "class"), Properties: props()}
	default:
		n := rapid.IntRange(0, 3).Draw(t, "len")
		a := make(StrictArray, n)
		for i := range a {
			a[i] = genMappable(t, depth+1)
		}
		return a
	}
}

// TestSwitchRoundTrip: a value sent to an AMF3 peer and read back, over
// the wire, is the value it was.
func TestSwitchRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		v := genMappable(t, 0)
		b, err := Append(nil, SwitchToAMF3(v))
		if err != nil {
			t.Fatalf("encode %#v: %v", v, err)
		}
		got, _, err := Decode(b)
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		if v != nil {
			if _, ok := got.(AVMPlus); !ok {
				t.Fatalf("not switched: %#v", got)
			}
		}
		if diff := cmp.Diff(v, Normalize(got), exact); diff != "" {
			t.Fatalf("round trip (-sent +read):\n%s", diff)
		}
	})
}

// TestNormalizeMapping pins the AMF3 to AMF0 mapping of the doc comment.
func TestNormalizeMapping(t *testing.T) {
	bytesArray := amf3.ByteArray{1, 2}
	cases := []struct {
		name string
		in   amf3.Value
		want Value
	}{
		{"integer", int32(-7), -7.0},
		{"undefined", amf3.Undefined{}, Undefined{}},
		{"date", amf3.Date{Milliseconds: 5}, Date{Milliseconds: 5}},
		{"dense array", amf3.Array{Dense: []amf3.Value{"a", int32(1)}}, StrictArray{"a", 1.0}},
		{"mixed array", amf3.Array{Associative: []amf3.Property{{Key: "k", Value: true}}, Dense: []amf3.Value{"a"}},
			ECMAArray{{Key: "k", Value: true}, {Key: "0", Value: "a"}}},
		{"anonymous object", amf3.Object{Sealed: []amf3.Property{{Key: "s", Value: 1.5}}, Dynamic: true, DynamicMembers: []amf3.Property{{Key: "d", Value: nil}}},
			Object{{Key: "s", Value: 1.5}, {Key: "d", Value: nil}}},
		{"typed object", amf3.Object{ClassName: "a.B", Sealed: []amf3.Property{{Key: "x", Value: int32(2)}}},
			TypedObject{ClassName: "a.B", Properties: Object{{Key: "x", Value: 2.0}}}},
		{"byte array kept", bytesArray, AVMPlus{Value: bytesArray}},
		{"nested byte array kept", amf3.Object{Dynamic: true, DynamicMembers: []amf3.Property{{Key: "b", Value: bytesArray}}},
			Object{{Key: "b", Value: AVMPlus{Value: bytesArray}}}},
	}
	for _, c := range cases {
		if diff := cmp.Diff(c.want, Normalize(AVMPlus{Value: c.in})); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}
	plain := Object{{Key: "a", Value: 1.0}}
	if got := Normalize(plain); &got.(Object)[0] != &plain[0] {
		t.Error("a value without a switch was copied")
	}
}

// TestNormalizeBounded: parts shared by reference many times over cannot
// make a conversion build more than the decoder's element limit; such a
// value is left as it came.
func TestNormalizeBounded(t *testing.T) {
	v := amf3.Value("leaf")
	for range 40 { // 2^40 leaves once unshared
		v = amf3.Array{Dense: []amf3.Value{v, v}}
	}
	in := AVMPlus{Value: v}
	got := Normalize(in)
	if _, ok := got.(AVMPlus); !ok {
		t.Fatalf("an oversized value was converted: %T", got)
	}
}
