package fuzz

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/amf3"
)

// amfEqual reports whether two decoded values are equal, numbers bit for
// bit and nil and empty slices alike. It walks once per node: go-cmp's
// slice diffing is exponential in the nesting depth fuzzing reaches.
func amfEqual(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return amfEqual(a.Elem(), b.Elem())
	case reflect.Float64:
		return math.Float64bits(a.Float()) == math.Float64bits(b.Float())
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := range a.Len() {
			if !amfEqual(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range a.NumField() {
			if !amfEqual(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int16, reflect.Int32:
		return a.Int() == b.Int()
	case reflect.Uint8, reflect.Uint32:
		return a.Uint() == b.Uint()
	}
	panic("amfEqual: unexpected kind " + a.Kind().String())
}

// amfElements keeps each fuzz input's decoded tree (references expanded)
// small enough to compare quickly.
const amfElements = 1 << 12

// checkAMFError fails unless err is a typed error inside the input.
func checkAMFError(t *testing.T, err error, input []byte) {
	t.Helper()
	var e *amf3.Error
	if !errors.As(err, &e) || e.Kind == nil {
		t.Fatalf("untyped error %v", err)
	}
	if e.Offset < 0 || e.Offset > len(input) {
		t.Fatalf("error offset %d outside the %d-byte input: %v", e.Offset, len(input), err)
	}
}

// amfCodec is one AMF version's decoder and encoder, as the fuzz targets
// use them.
type amfCodec struct {
	decode    func([]byte) (any, int, error)
	decodeAll func([]byte) ([]any, error)
	append    func([]byte, ...any) ([]byte, error)
}

// checkAMF is the invariant of both AMF targets: b decodes to values or a
// typed error, and whatever decodes re-encodes, decodes to an equal value
// and re-encodes to the same bytes.
func checkAMF(t *testing.T, c amfCodec, b []byte) {
	vs, err := c.decodeAll(b)
	if err != nil {
		checkAMFError(t, err, b)
		return
	}
	enc, err := c.append(nil, vs...)
	if err != nil {
		t.Fatalf("re-encoding decoded values: %v", err)
	}
	again, err := c.decodeAll(enc)
	if err != nil {
		t.Fatalf("decoding the re-encoded bytes % x: %v", enc, err)
	}
	if !amfEqual(reflect.ValueOf(vs), reflect.ValueOf(again)) {
		t.Fatalf("values changed through a round trip:\n%#v\n%#v", vs, again)
	}
	if enc2, _ := c.append(nil, again...); !bytes.Equal(enc, enc2) {
		t.Fatalf("canonical form not stable:\n% x\n% x", enc, enc2)
	}
	if len(b) > 0 {
		if _, n, err := c.decode(b); err != nil || n <= 0 || n > len(b) {
			t.Fatalf("Decode of a decodable payload: n=%d err=%v", n, err)
		}
	}
}

// FuzzAMF0 feeds arbitrary bytes to the AMF0 decoder; see checkAMF.
func FuzzAMF0(f *testing.F) {
	d := amf0.Decoder{MaxElements: amfElements}
	c := amfCodec{decode: d.Decode, decodeAll: d.DecodeAll, append: amf0.Append}
	f.Fuzz(func(t *testing.T, b []byte) {
		checkAMF(t, c, b)
		if vs, err := d.DecodeAll(b); err == nil {
			for _, v := range vs {
				checkSwitch(t, v)
			}
		}
	})
}

// checkSwitch is the invariant of the AMF0/AMF3 mapping sessions use for
// AMF3 peers: a value sent to an AMF3 peer always encodes, and after one
// trip (which may lose what one model cannot say, an empty key, a time
// zone) further trips change nothing.
func checkSwitch(t *testing.T, v amf0.Value) {
	trip := func(v amf0.Value) amf0.Value {
		b, err := amf0.Append(nil, amf0.SwitchToAMF3(amf0.Normalize(v)))
		if err != nil {
			t.Fatalf("encoding %#v for an AMF3 peer: %v", v, err)
		}
		back, _, err := amf0.Decode(b)
		if err != nil {
			t.Fatalf("decoding % x: %v", b, err)
		}
		return amf0.Normalize(back)
	}
	once := trip(v)
	if twice := trip(once); !amfEqual(reflect.ValueOf(&once).Elem(), reflect.ValueOf(&twice).Elem()) {
		t.Fatalf("a second trip through AMF3 changed the value:\n%#v\n%#v", once, twice)
	}
}

// FuzzAMF3 is FuzzAMF0 for AMF3.
func FuzzAMF3(f *testing.F) {
	d := amf3.Decoder{MaxElements: amfElements}
	c := amfCodec{decode: d.Decode, decodeAll: d.DecodeAll, append: amf3.Append}
	f.Fuzz(func(t *testing.T, b []byte) { checkAMF(t, c, b) })
}
