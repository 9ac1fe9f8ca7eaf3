package amf0

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/gortmp/rtmp/codec/amf3"
)

func nested(depth int) []byte {
	var b []byte
	for range depth {
		b = append(b, markerStrictArray, 0, 0, 0, 1)
	}
	return append(b, markerNull)
}

// TestMaxDepthIsConfigurable checks the limit at its edge, both ways.
func TestMaxDepthIsConfigurable(t *testing.T) {
	d := Decoder{MaxDepth: 3}
	if _, _, err := d.Decode(nested(3)); err != nil {
		t.Errorf("depth 3 with MaxDepth 3: %v", err)
	}
	if _, _, err := d.Decode(nested(4)); !errors.Is(err, ErrTooDeep) {
		t.Errorf("depth 4 with MaxDepth 3: %v, want ErrTooDeep", err)
	}
	if _, _, err := Decode(nested(DefaultMaxDepth)); err != nil {
		t.Errorf("default depth: %v", err)
	}
}

// TestReferences checks that a reference resolves to the earlier
// composite and counts its whole subtree against MaxElements.
func TestReferences(t *testing.T) {
	// [ {a: 1}, ref 1 ]: the array is composite 0, the object 1.
	b := []byte{markerStrictArray, 0, 0, 0, 2,
		markerObject, 0, 1, 'a', markerNumber, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0, 0, 0, markerObjectEnd,
		markerReference, 0, 1}
	v, _, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	obj := Object{{Key: "a", Value: 1.0}}
	if want := (StrictArray{obj, obj}); !equalValues(v, want) {
		t.Fatalf("got %#v, want %#v", v, want)
	}
	// array 1 + object 1 + number 1 + reference 2 = 5 elements.
	if _, _, err := (Decoder{MaxElements: 5}).Decode(b); err != nil {
		t.Errorf("MaxElements 5: %v", err)
	}
	if _, _, err := (Decoder{MaxElements: 4}).Decode(b); !errors.Is(err, ErrTooManyElements) {
		t.Errorf("MaxElements 4: %v, want ErrTooManyElements", err)
	}
}

func equalValues(a, b Value) bool {
	x, err1 := Append(nil, a)
	y, err2 := Append(nil, b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// TestEncodeErrors checks that values outside the model are refused with
// a typed error and dst left as it was.
func TestEncodeErrors(t *testing.T) {
	cyclic := StrictArray{nil}
	cyclic[0] = cyclic
	cases := []struct {
		v    Value
		kind error
	}{
		{map[string]any{"a": 1}, ErrUnsupportedType},
		{Object{{Key: strings.Repeat("k", 70000), Value: nil}}, ErrLength},
		{cyclic, ErrTooDeep},
		{AVMPlus{Value: amf3.External{ClassName: "Foo"}}, ErrExternalizable},
	}
	for _, c := range cases {
		dst := []byte{0xAA}
		out, err := Append(dst, "ok", c.v)
		if !errors.Is(err, c.kind) {
			t.Errorf("Append(%T) error = %v, want %v", c.v, err, c.kind)
		}
		if !bytes.Equal(out, dst) {
			t.Errorf("Append(%T) changed dst to % x", c.v, out)
		}
	}
}

// TestLongStringsSwitchForm checks the 65535-byte boundary of strings.
func TestLongStringsSwitchForm(t *testing.T) {
	for _, n := range []int{65535, 65536} {
		b, err := Append(nil, strings.Repeat("s", n))
		if err != nil {
			t.Fatal(err)
		}
		want := byte(markerString)
		if n > 65535 {
			want = markerLongString
		}
		if b[0] != want {
			t.Errorf("length %d: marker %#x, want %#x", n, b[0], want)
		}
	}
}

// TestAMF3ErrorOffsets checks that an error inside an AVM+ value reports
// its offset in the AMF0 input.
func TestAMF3ErrorOffsets(t *testing.T) {
	b := []byte{markerNull, markerNull, markerAVMPlus, 0x12}
	_, err := DecodeAll(b)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrUnknownMarker) || e.Offset != 3 {
		t.Fatalf("err = %v, want an unknown marker at offset 3", err)
	}
}
