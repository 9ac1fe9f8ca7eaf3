package amf0

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/gortmp/rtmp/codec/amf3"
)

// Append appends the encoding of each value to dst. It writes no
// references, picks the long string form by itself for strings over 65535
// bytes, and gives every ECMA array its true count, so its output is the
// canonical form of the values. On error it returns dst unchanged.
//
// Besides the decoded types it accepts int, int32, int64 and uint32 as
// numbers.
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

type encoder struct {
	base int // len(dst) at the start, so error offsets count from there
}

func (e *encoder) fail(kind error, dst []byte, detail string) error {
	return fail(kind, len(dst)-e.base, detail)
}

func (e *encoder) value(dst []byte, v Value, depth int) ([]byte, error) {
	switch t := v.(type) {
	case float64:
		return appendNumber(dst, t), nil
	case string:
		if uint64(len(t)) > math.MaxUint32 {
			return dst, e.fail(ErrLength, dst, "string too long")
		}
		return appendString(dst, t), nil
	case bool:
		b := byte(0)
		if t {
			b = 1
		}
		return append(dst, markerBoolean, b), nil
	case nil:
		return append(dst, markerNull), nil
	case Undefined:
		return append(dst, markerUndefined), nil
	case Unsupported:
		return append(dst, markerUnsupported), nil
	case int:
		return appendNumber(dst, float64(t)), nil
	case int32:
		return appendNumber(dst, float64(t)), nil
	case int64:
		return appendNumber(dst, float64(t)), nil
	case uint32:
		return appendNumber(dst, float64(t)), nil
	case Date:
		dst = binary.BigEndian.AppendUint64(append(dst, markerDate), math.Float64bits(t.Milliseconds))
		return binary.BigEndian.AppendUint16(dst, uint16(t.TimeZone)), nil
	case XMLDocument:
		if uint64(len(t)) > math.MaxUint32 {
			return dst, e.fail(ErrLength, dst, "XML document too long")
		}
		dst = binary.BigEndian.AppendUint32(append(dst, markerXMLDocument), uint32(len(t)))
		return append(dst, t...), nil
	}
	if depth >= DefaultMaxDepth {
		return dst, e.fail(ErrTooDeep, dst, "")
	}
	switch t := v.(type) {
	case Object:
		return e.properties(append(dst, markerObject), t, depth+1)
	case ECMAArray:
		if uint64(len(t)) > math.MaxUint32 {
			return dst, e.fail(ErrLength, dst, "ECMA array too long")
		}
		dst = binary.BigEndian.AppendUint32(append(dst, markerECMAArray), uint32(len(t)))
		return e.properties(dst, t, depth+1)
	case TypedObject:
		var err error
		if dst, err = e.key(append(dst, markerTypedObject), t.ClassName); err != nil {
			return dst, err
		}
		return e.properties(dst, t.Properties, depth+1)
	case StrictArray:
		if uint64(len(t)) > math.MaxUint32 {
			return dst, e.fail(ErrLength, dst, "strict array too long")
		}
		dst = binary.BigEndian.AppendUint32(append(dst, markerStrictArray), uint32(len(t)))
		var err error
		for _, item := range t {
			if dst, err = e.value(dst, item, depth+1); err != nil {
				return dst, err
			}
		}
		return dst, nil
	case AVMPlus:
		at := len(dst) + 1
		out, err := amf3.Append(append(dst, markerAVMPlus), t.Value)
		if err != nil {
			return dst, amf3.Shifted(err, at-e.base)
		}
		return out, nil
	}
	return dst, e.fail(ErrUnsupportedType, dst, fmt.Sprintf("%T", v))
}

func appendNumber(dst []byte, f float64) []byte {
	return binary.BigEndian.AppendUint64(append(dst, markerNumber), math.Float64bits(f))
}

func appendString(dst []byte, s string) []byte {
	if len(s) > math.MaxUint16 {
		dst = binary.BigEndian.AppendUint32(append(dst, markerLongString), uint32(len(s)))
	} else {
		dst = binary.BigEndian.AppendUint16(append(dst, markerString), uint16(len(s)))
	}
	return append(dst, s...)
}

// key appends a property name or class name, which has no long form.
func (e *encoder) key(dst []byte, k string) ([]byte, error) {
	if len(k) > math.MaxUint16 {
		return dst, e.fail(ErrLength, dst, "key longer than 65535 bytes")
	}
	return append(binary.BigEndian.AppendUint16(dst, uint16(len(k))), k...), nil
}

func (e *encoder) properties(dst []byte, ps []Property, depth int) ([]byte, error) {
	var err error
	for _, p := range ps {
		if dst, err = e.key(dst, p.Key); err != nil {
			return dst, err
		}
		if dst, err = e.value(dst, p.Value, depth); err != nil {
			return dst, err
		}
	}
	return append(dst, 0, 0, markerObjectEnd), nil
}
