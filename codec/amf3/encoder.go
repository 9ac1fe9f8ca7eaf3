package amf3

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Append appends the encoding of each value to dst. The values share one
// set of reference tables, mirroring DecodeAll. On error it returns dst
// unchanged.
func Append(dst []byte, vs ...Value) ([]byte, error) {
	e := encoder{base: len(dst)}
	out := dst
	for _, v := range vs {
		var err error
		if out, err = e.value(out, v, 0); err != nil {
			return dst, err
		}
	}
	return out, nil
}

// encoder holds the reference tables of one Append call.
type encoder struct {
	base    int // len(dst) at the start, so error offsets count from there
	strings map[string]int
	traits  []traits
	objects int // object-table slots handed out so far
	seen    map[identity]int
}

// identity names one composite by its backing storage, so that meeting the
// very same decoded value twice writes a reference, as its sender did.
type identity struct {
	kind   byte
	p1, p2 any // backing arrays' first elements (see backing)
	n1, n2 int
	name   string
	flag   bool
}

func (e *encoder) fail(kind error, dst []byte, detail string) error {
	return fail(kind, len(dst)-e.base, detail)
}

func (e *encoder) value(dst []byte, v Value, depth int) ([]byte, error) {
	switch t := v.(type) {
	case nil:
		return append(dst, markerNull), nil
	case Undefined:
		return append(dst, markerUndefined), nil
	case bool:
		if t {
			return append(dst, markerTrue), nil
		}
		return append(dst, markerFalse), nil
	case int32:
		return appendInteger(dst, int64(t)), nil
	case int:
		return appendInteger(dst, int64(t)), nil
	case int64:
		return appendInteger(dst, t), nil
	case float64:
		return appendDouble(append(dst, markerDouble), t), nil
	case string:
		return e.string(append(dst, markerString), t)
	case XMLDocument:
		return e.text(append(dst, markerXMLDocument), string(t))
	case XML:
		return e.text(append(dst, markerXML), string(t))
	case Date:
		e.objects++
		return appendDouble(append(dst, markerDate, 0x01), t.Milliseconds), nil
	case ByteArray:
		return e.byteArray(dst, t)
	case VectorInt, VectorUint, VectorDouble:
		return e.numberVector(dst, t)
	}
	if depth >= DefaultMaxDepth {
		return dst, e.fail(ErrTooDeep, dst, "")
	}
	switch t := v.(type) {
	case Array:
		return e.array(dst, t, depth+1)
	case Object:
		return e.object(dst, t, depth+1)
	case External:
		return e.external(dst, t, depth+1)
	case VectorObject:
		return e.objectVector(dst, t, depth+1)
	case Dictionary:
		return e.dictionary(dst, t, depth+1)
	}
	return dst, e.fail(ErrUnsupportedType, dst, fmt.Sprintf("%T", v))
}

func appendInteger(dst []byte, n int64) []byte {
	if n < minInt29 || n > maxInt29 {
		return appendDouble(append(dst, markerDouble), float64(n))
	}
	return appendU29(append(dst, markerInteger), uint32(n)&maxU29)
}

func appendDouble(dst []byte, f float64) []byte {
	return binary.BigEndian.AppendUint64(dst, math.Float64bits(f))
}

// string appends a UTF-8-vr: a reference when the string was sent before.
func (e *encoder) string(dst []byte, s string) ([]byte, error) {
	if s == "" {
		return append(dst, 0x01), nil
	}
	if i, ok := e.strings[s]; ok {
		return appendU29(dst, uint32(i)<<1), nil
	}
	if len(s) > maxU29>>1 {
		return dst, e.fail(ErrLength, dst, "string too long")
	}
	if e.strings == nil {
		e.strings = make(map[string]int)
	}
	e.strings[s] = len(e.strings)
	return append(appendU29(dst, uint32(len(s))<<1|1), s...), nil
}

func (e *encoder) text(dst []byte, s string) ([]byte, error) {
	if len(s) > maxU29>>1 {
		return dst, e.fail(ErrLength, dst, "XML too long")
	}
	e.objects++
	return append(appendU29(dst, uint32(len(s))<<1|1), s...), nil
}

// reference writes a reference to id when it was written before;
// otherwise it takes an object-table slot and returns it.
func (e *encoder) reference(dst []byte, id identity, empty bool) (out []byte, slot int, done bool) {
	if !empty {
		if i, ok := e.seen[id]; ok {
			return appendU29(dst, uint32(i)<<1), 0, true
		}
	}
	e.objects++
	return dst, e.objects - 1, false
}

// remember records a finished composite. Recording at the end rather
// than the start means a cyclic Go value recurses into the depth limit
// instead of producing a reference the decoder would reject.
func (e *encoder) remember(id identity, slot int, empty bool) {
	if empty {
		return
	}
	if e.seen == nil {
		e.seen = make(map[identity]int)
	}
	e.seen[id] = slot
}

func (e *encoder) count(dst []byte, n int) ([]byte, error) {
	if n > maxU29>>1 {
		return dst, e.fail(ErrLength, dst, "too many items")
	}
	return appendU29(dst, uint32(n)<<1|1), nil
}

func (e *encoder) byteArray(dst []byte, b ByteArray) ([]byte, error) {
	id := identity{kind: markerByteArray, p1: backing(b), n1: len(b)}
	dst = append(dst, markerByteArray)
	dst, slot, done := e.reference(dst, id, len(b) == 0)
	if done {
		return dst, nil
	}
	dst, err := e.count(dst, len(b))
	if err != nil {
		return dst, err
	}
	e.remember(id, slot, len(b) == 0)
	return append(dst, b...), nil
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func (e *encoder) numberVector(dst []byte, v Value) ([]byte, error) {
	var id identity
	var n int
	switch t := v.(type) {
	case VectorInt:
		id = identity{kind: markerVectorInt, p1: backing(t.Items), flag: t.Fixed}
		n = len(t.Items)
	case VectorUint:
		id = identity{kind: markerVectorUint, p1: backing(t.Items), flag: t.Fixed}
		n = len(t.Items)
	case VectorDouble:
		id = identity{kind: markerVectorDouble, p1: backing(t.Items), flag: t.Fixed}
		n = len(t.Items)
	}
	id.n1 = n
	dst = append(dst, id.kind)
	dst, slot, done := e.reference(dst, id, n == 0)
	if done {
		return dst, nil
	}
	dst, err := e.count(dst, n)
	if err != nil {
		return dst, err
	}
	dst = append(dst, boolByte(id.flag))
	switch t := v.(type) {
	case VectorInt:
		for _, x := range t.Items {
			dst = binary.BigEndian.AppendUint32(dst, uint32(x))
		}
	case VectorUint:
		for _, x := range t.Items {
			dst = binary.BigEndian.AppendUint32(dst, x)
		}
	case VectorDouble:
		for _, x := range t.Items {
			dst = appendDouble(dst, x)
		}
	}
	e.remember(id, slot, n == 0)
	return dst, nil
}
