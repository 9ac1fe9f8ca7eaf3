package amf3

import (
	"encoding/binary"
	"math"
)

// checkCount fails when n items of at least size bytes each cannot fit in
// what is left, before anything is allocated for them.
func (s *state) checkCount(n uint32, size int) error {
	if uint64(n)*uint64(size) > uint64(s.remaining()) {
		return fail(ErrLength, s.pos, "count exceeds the input")
	}
	return nil
}

// properties reads name-value pairs up to the empty name that ends them
// (nil for none).
func (s *state) properties(depth int) ([]Property, error) {
	var ps []Property
	for {
		key, err := s.string()
		if err != nil || key == "" {
			return ps, err
		}
		v, err := s.value(depth)
		if err != nil {
			return nil, err
		}
		ps = append(ps, Property{Key: key, Value: v})
	}
}

// values reads n values (nil for none), their count first checked against
// the input: every value takes at least one byte.
func (s *state) values(n uint32, depth int) ([]Value, error) {
	if err := s.checkCount(n, 1); err != nil || n == 0 {
		return nil, err
	}
	vs := make([]Value, n)
	for i := range vs {
		var err error
		if vs[i], err = s.value(depth); err != nil {
			return nil, err
		}
	}
	return vs, nil
}

func (s *state) array(depth int) (Value, error) {
	ref, isRef, bits, slot, err := s.objectHeader()
	if isRef || err != nil {
		return ref, err
	}
	start := s.elems
	var a Array
	if a.Associative, err = s.properties(depth); err != nil {
		return nil, err
	}
	if a.Dense, err = s.values(bits, depth); err != nil {
		return nil, err
	}
	return s.finish(slot, a, start), nil
}

func (s *state) object(depth int) (Value, error) {
	ref, isRef, bits, slot, err := s.objectHeader()
	if isRef || err != nil {
		return ref, err
	}
	start := s.elems
	t, err := s.traits(bits)
	if err != nil {
		return nil, err
	}
	if t.externalizable {
		if !externalReaders[t.className] {
			return nil, fail(ErrExternalizable, s.pos, "class "+t.className)
		}
		inner, err := s.value(depth)
		if err != nil {
			return nil, err
		}
		return s.finish(slot, External{ClassName: t.className, Value: inner}, start), nil
	}
	o := Object{ClassName: t.className, Dynamic: t.dynamic}
	if len(t.sealed) > 0 {
		if err := s.checkCount(uint32(len(t.sealed)), 1); err != nil {
			return nil, err
		}
		o.Sealed = make([]Property, len(t.sealed))
		for i, name := range t.sealed {
			v, err := s.value(depth)
			if err != nil {
				return nil, err
			}
			o.Sealed[i] = Property{Key: name, Value: v}
		}
	}
	if t.dynamic {
		if o.DynamicMembers, err = s.properties(depth); err != nil {
			return nil, err
		}
	}
	return s.finish(slot, o, start), nil
}

// traits reads inline traits or a traits reference from the bits left of
// an object header (its reference bit already removed).
func (s *state) traits(bits uint32) (traits, error) {
	at := s.pos
	if bits&1 == 0 {
		i := int(bits >> 1)
		if i >= len(s.traitTable) {
			return traits{}, fail(ErrBadReference, at, "traits reference out of range")
		}
		return s.traitTable[i], nil
	}
	var t traits
	if bits&2 != 0 {
		t.externalizable = true
	} else {
		t.dynamic = bits&4 != 0
		n := bits >> 3
		if err := s.checkCount(n, 1); err != nil {
			return traits{}, err
		}
		if n > 0 {
			t.sealed = make([]string, n)
		}
	}
	name, err := s.string()
	if err != nil {
		return traits{}, err
	}
	t.className = name
	for i := range t.sealed {
		if t.sealed[i], err = s.string(); err != nil {
			return traits{}, err
		}
	}
	s.traitTable = append(s.traitTable, t)
	return t, nil
}

func (s *state) numberVector(m byte) (Value, error) {
	ref, isRef, bits, slot, err := s.objectHeader()
	if isRef || err != nil {
		return ref, err
	}
	size := 4
	if m == markerVectorDouble {
		size = 8
	}
	fixed, err := s.flag()
	if err != nil {
		return nil, err
	}
	if err := s.checkCount(bits, size); err != nil {
		return nil, err
	}
	n := int(bits)
	b, _ := s.fixed(n * size)
	var v Value
	switch m {
	case markerVectorInt:
		items := make([]int32, n)
		for i := range items {
			items[i] = int32(binary.BigEndian.Uint32(b[i*4:]))
		}
		v = VectorInt{Fixed: fixed, Items: items}
	case markerVectorUint:
		items := make([]uint32, n)
		for i := range items {
			items[i] = binary.BigEndian.Uint32(b[i*4:])
		}
		v = VectorUint{Fixed: fixed, Items: items}
	default:
		items := make([]float64, n)
		for i := range items {
			items[i] = math.Float64frombits(binary.BigEndian.Uint64(b[i*8:]))
		}
		v = VectorDouble{Fixed: fixed, Items: items}
	}
	if err := s.count(n, s.pos); err != nil {
		return nil, err
	}
	return s.finish(slot, v, s.elems-n), nil
}

func (s *state) objectVector(depth int) (Value, error) {
	ref, isRef, bits, slot, err := s.objectHeader()
	if isRef || err != nil {
		return ref, err
	}
	start := s.elems
	fixed, err := s.flag()
	if err != nil {
		return nil, err
	}
	typeName, err := s.string()
	if err != nil {
		return nil, err
	}
	v := VectorObject{Fixed: fixed, TypeName: typeName}
	if v.Items, err = s.values(bits, depth); err != nil {
		return nil, err
	}
	return s.finish(slot, v, start), nil
}

func (s *state) dictionary(depth int) (Value, error) {
	ref, isRef, bits, slot, err := s.objectHeader()
	if isRef || err != nil {
		return ref, err
	}
	start := s.elems
	weak, err := s.flag()
	if err != nil {
		return nil, err
	}
	if err := s.checkCount(bits, 2); err != nil {
		return nil, err
	}
	d := Dictionary{WeakKeys: weak}
	if bits > 0 {
		d.Entries = make([]DictionaryEntry, bits)
		for i := range d.Entries {
			if d.Entries[i].Key, err = s.value(depth); err != nil {
				return nil, err
			}
			if d.Entries[i].Value, err = s.value(depth); err != nil {
				return nil, err
			}
		}
	}
	return s.finish(slot, d, start), nil
}
