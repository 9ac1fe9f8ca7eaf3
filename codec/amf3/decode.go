package amf3

import (
	"encoding/binary"
	"math"
	"strconv"
)

// value decodes one value at depth (the number of composites around it).
func (s *state) value(depth int) (Value, error) {
	at := s.pos
	m, err := s.byte1()
	if err != nil {
		return nil, err
	}
	if err := s.count(1, at); err != nil {
		return nil, err
	}
	switch m {
	case markerUndefined:
		return Undefined{}, nil
	case markerNull:
		return nil, nil
	case markerFalse:
		return false, nil
	case markerTrue:
		return true, nil
	case markerInteger:
		u, err := s.u29()
		if err != nil {
			return nil, err
		}
		return int29(u), nil
	case markerDouble:
		b, err := s.fixed(8)
		if err != nil {
			return nil, err
		}
		return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
	case markerString:
		return s.string()
	case markerXMLDocument, markerXML:
		return s.xml(m)
	case markerDate:
		return s.date()
	case markerByteArray:
		return s.byteArray()
	}
	if m > markerDictionary {
		return nil, fail(ErrUnknownMarker, at, "marker 0x"+strconv.FormatUint(uint64(m), 16))
	}
	if depth >= s.maxDepth {
		return nil, fail(ErrTooDeep, at, "")
	}
	switch m {
	case markerArray:
		return s.array(depth + 1)
	case markerObject:
		return s.object(depth + 1)
	case markerVectorInt, markerVectorUint, markerVectorDouble:
		return s.numberVector(m)
	case markerVectorObject:
		return s.objectVector(depth + 1)
	default: // markerDictionary
		return s.dictionary(depth + 1)
	}
}

// fixed returns the next n bytes of a fixed-size field.
func (s *state) fixed(n int) ([]byte, error) {
	if n > s.remaining() {
		return nil, fail(ErrTruncated, s.pos, "")
	}
	b := s.src[s.pos : s.pos+n]
	s.pos += n
	return b, nil
}

func (s *state) xml(m byte) (Value, error) {
	ref, isRef, bits, slot, err := s.objectHeader()
	if isRef || err != nil {
		return ref, err
	}
	b, err := s.take(int(bits))
	if err != nil {
		return nil, err
	}
	var v Value = XML(b)
	if m == markerXMLDocument {
		v = XMLDocument(b)
	}
	return s.finish(slot, v, s.elems), nil
}

func (s *state) date() (Value, error) {
	ref, isRef, _, slot, err := s.objectHeader()
	if isRef || err != nil {
		return ref, err
	}
	b, err := s.fixed(8)
	if err != nil {
		return nil, err
	}
	v := Date{Milliseconds: math.Float64frombits(binary.BigEndian.Uint64(b))}
	return s.finish(slot, v, s.elems), nil
}

func (s *state) byteArray() (Value, error) {
	ref, isRef, bits, slot, err := s.objectHeader()
	if isRef || err != nil {
		return ref, err
	}
	b, err := s.take(int(bits))
	if err != nil {
		return nil, err
	}
	return s.finish(slot, ByteArray(append([]byte(nil), b...)), s.elems), nil
}
