package amf0

import (
	"encoding/binary"
	"math"
	"strconv"

	"github.com/gortmp/rtmp/codec/amf3"
)

// Type markers.
const (
	markerNumber      = 0x00
	markerBoolean     = 0x01
	markerString      = 0x02
	markerObject      = 0x03
	markerMovieClip   = 0x04 // reserved
	markerNull        = 0x05
	markerUndefined   = 0x06
	markerReference   = 0x07
	markerECMAArray   = 0x08
	markerObjectEnd   = 0x09
	markerStrictArray = 0x0A
	markerDate        = 0x0B
	markerLongString  = 0x0C
	markerUnsupported = 0x0D
	markerRecordSet   = 0x0E // reserved
	markerXMLDocument = 0x0F
	markerTypedObject = 0x10
	markerAVMPlus     = 0x11
)

// value decodes one value at depth (the number of composites around it).
// In the counting pass it returns nil.
func (s *state) value(depth int) (Value, error) {
	at := s.pos
	if at >= len(s.src) {
		return nil, fail(ErrTruncated, at, "")
	}
	m := s.src[at]
	s.pos++
	if !s.build {
		s.elems++
		if s.elems > s.maxElems {
			return nil, fail(ErrTooManyElements, at, "")
		}
	}
	switch m {
	case markerNumber:
		b, err := s.fixed(8)
		if err != nil {
			return nil, err
		}
		f := math.Float64frombits(binary.BigEndian.Uint64(b))
		if !s.build {
			return nil, nil
		}
		return s.a.boxNumber(f), nil
	case markerBoolean:
		b, err := s.fixed(1)
		if err != nil {
			return nil, err
		}
		return b[0] != 0, nil
	case markerString, markerLongString, markerXMLDocument:
		return s.stringValue(m)
	case markerNull:
		return nil, nil
	case markerUndefined:
		return Undefined{}, nil
	case markerUnsupported:
		return Unsupported{}, nil
	case markerReference:
		return s.reference()
	case markerDate:
		b, err := s.fixed(10)
		if err != nil {
			return nil, err
		}
		if !s.build {
			return nil, nil
		}
		return Date{
			Milliseconds: math.Float64frombits(binary.BigEndian.Uint64(b)),
			TimeZone:     int16(binary.BigEndian.Uint16(b[8:])),
		}, nil
	case markerAVMPlus:
		return s.avmPlus(at, depth)
	case markerObject, markerECMAArray, markerTypedObject, markerStrictArray:
		if depth >= s.maxDepth {
			return nil, fail(ErrTooDeep, at, "")
		}
		return s.composite(m, depth+1)
	case markerObjectEnd:
		return nil, fail(ErrMalformed, at, "object-end marker outside an object")
	case markerMovieClip:
		return nil, fail(ErrUnknownMarker, at, "reserved marker 0x04 (MovieClip)")
	case markerRecordSet:
		return nil, fail(ErrUnknownMarker, at, "reserved marker 0x0e (RecordSet)")
	}
	return nil, fail(ErrUnknownMarker, at, "marker 0x"+strconv.FormatUint(uint64(m), 16))
}

// fixed returns the next n bytes of a fixed-size field.
func (s *state) fixed(n int) ([]byte, error) {
	if n > len(s.src)-s.pos {
		return nil, fail(ErrTruncated, s.pos, "")
	}
	b := s.src[s.pos : s.pos+n]
	s.pos += n
	return b, nil
}

// text reads a length-prefixed UTF-8 string (16- or 32-bit length),
// checking the length against the remaining input.
func (s *state) text(long bool) ([]byte, error) {
	size := 2
	if long {
		size = 4
	}
	at := s.pos
	b, err := s.fixed(size)
	if err != nil {
		return nil, err
	}
	var n uint64
	if long {
		n = uint64(binary.BigEndian.Uint32(b))
	} else {
		n = uint64(binary.BigEndian.Uint16(b))
	}
	if n > uint64(len(s.src)-s.pos) {
		return nil, fail(ErrLength, at, "string length "+strconv.FormatUint(n, 10)+" exceeds the input")
	}
	t := s.src[s.pos : s.pos+int(n)]
	s.pos += int(n)
	if !s.build {
		s.need.text += int(n)
	}
	return t, nil
}

func (s *state) stringValue(m byte) (Value, error) {
	t, err := s.text(m != markerString)
	if err != nil {
		return nil, err
	}
	shared, common := commonStrings[string(t)]
	common = common && m != markerXMLDocument
	if !s.build {
		if common {
			s.need.text -= len(t) // shared, not copied
		}
		return nil, nil
	}
	if common {
		return shared, nil
	}
	if m == markerXMLDocument {
		return XMLDocument(s.a.str(t)), nil
	}
	return s.a.str(t), nil
}

func (s *state) reference() (Value, error) {
	at := s.pos - 1
	b, err := s.fixed(2)
	if err != nil {
		return nil, err
	}
	i := int(binary.BigEndian.Uint16(b))
	if s.build {
		return s.refs[i], nil
	}
	if i >= s.ncomps {
		return nil, fail(ErrBadReference, at, "reference "+strconv.Itoa(i)+" out of range")
	}
	w := int(s.comp(i).weight)
	if w < 0 {
		return nil, fail(ErrBadReference, at, "reference to an object still being decoded")
	}
	s.hasRefs = true
	// The reference was counted as one element; count the rest of the
	// subtree it stands for.
	s.elems += w - 1
	if s.elems > s.maxElems {
		return nil, fail(ErrTooManyElements, at, "")
	}
	return nil, nil
}

func (s *state) avmPlus(at, depth int) (Value, error) {
	if s.build {
		v := s.avm[s.avmNext]
		s.avmNext++
		s.pos += v.size
		return AVMPlus{Value: v.value}, nil
	}
	if depth >= s.maxDepth {
		return nil, fail(ErrTooDeep, at, "AVM+ switch at the depth limit")
	}
	left := s.maxElems - s.elems
	if left <= 0 {
		return nil, fail(ErrTooManyElements, at, "")
	}
	d := amf3.Decoder{MaxDepth: s.maxDepth - depth, MaxElements: left}
	v, n, count, err := d.DecodeCounted(s.src[s.pos:])
	if err != nil {
		return nil, amf3.Shifted(err, s.pos)
	}
	s.pos += n
	s.elems += count
	s.avm = append(s.avm, decodedAMF3{value: v, size: n})
	return nil, nil
}
