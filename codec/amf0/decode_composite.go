package amf0

import (
	"encoding/binary"
	"strconv"
)

// composite decodes an object, ECMA array, typed object or strict array;
// depth already counts it.
func (s *state) composite(m byte, depth int) (Value, error) {
	idx := s.next
	if s.build {
		s.next++
	} else {
		idx = s.open()
	}
	start := s.elems
	var v Value
	var err error
	switch m {
	case markerObject:
		v, err = s.object(idx, depth)
	case markerECMAArray:
		if _, err = s.fixed(4); err == nil { // the count is only a hint
			v, err = s.ecmaArray(idx, depth)
		}
	case markerTypedObject:
		v, err = s.typedObject(idx, depth)
	default:
		v, err = s.strictArray(depth)
	}
	if err != nil {
		return nil, err
	}
	if s.build {
		if s.refs != nil {
			s.refs[idx] = v
		}
	} else {
		s.comp(idx).weight = int32(s.elems - start + 1)
	}
	return v, nil
}

// properties decodes key/value pairs up to the object-end marker. In the
// building pass it fills slots reserved from the count the counting pass
// recorded for composite idx.
func (s *state) properties(idx, depth int) ([]Property, error) {
	var ps []Property
	if s.build {
		ps = s.a.takeProps(int(s.comp(idx).props))
	}
	for i := 0; ; i++ {
		key, err := s.text(false)
		if err != nil {
			return nil, err
		}
		if len(key) == 0 && s.pos < len(s.src) && s.src[s.pos] == markerObjectEnd {
			s.pos++
			if !s.build {
				s.comp(idx).props = int32(i)
				s.need.props += i
			}
			return ps, nil
		}
		v, err := s.value(depth)
		if err != nil {
			return nil, err
		}
		if s.build {
			ps[i] = Property{Key: s.a.str(key), Value: v}
		}
	}
}

func (s *state) object(idx, depth int) (Value, error) {
	ps, err := s.properties(idx, depth)
	if err != nil || !s.build {
		return nil, err
	}
	return Object(ps), nil
}

func (s *state) ecmaArray(idx, depth int) (Value, error) {
	ps, err := s.properties(idx, depth)
	if err != nil || !s.build {
		return nil, err
	}
	return ECMAArray(ps), nil
}

func (s *state) typedObject(idx, depth int) (Value, error) {
	name, err := s.text(false)
	if err != nil {
		return nil, err
	}
	ps, err := s.properties(idx, depth)
	if err != nil || !s.build {
		return nil, err
	}
	return TypedObject{ClassName: s.a.str(name), Properties: ps}, nil
}

func (s *state) strictArray(depth int) (Value, error) {
	at := s.pos
	b, err := s.fixed(4)
	if err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(b)
	// Every element takes at least one byte.
	if uint64(n) > uint64(len(s.src)-s.pos) {
		return nil, fail(ErrLength, at, "strict array count "+strconv.FormatUint(uint64(n), 10)+" exceeds the input")
	}
	var vs StrictArray
	if s.build {
		vs = s.a.takeVals(int(n))
	} else {
		s.need.vals += int(n)
	}
	for i := range int(n) {
		v, err := s.value(depth)
		if err != nil {
			return nil, err
		}
		if s.build {
			vs[i] = v
		}
	}
	if !s.build {
		return nil, nil
	}
	return vs, nil
}
