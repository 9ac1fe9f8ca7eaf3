package amf3

// backing names the array behind s by a pointer to its first element, so
// that two slices of one array compare equal as identity fields (nil for a
// slice with no array). Reslicing to one element stays within the
// capacity, so it is valid for an empty slice that has one.
func backing[T any](s []T) any {
	if cap(s) == 0 {
		return nil
	}
	return &s[:1][0]
}

func (e *encoder) members(dst []byte, ps []Property, depth int) ([]byte, error) {
	var err error
	for _, p := range ps {
		if p.Key == "" {
			return dst, e.fail(ErrMalformed, dst, "empty member name would end the member list")
		}
		if dst, err = e.string(dst, p.Key); err != nil {
			return dst, err
		}
		if dst, err = e.value(dst, p.Value, depth); err != nil {
			return dst, err
		}
	}
	return append(dst, 0x01), nil // the empty string ends the list
}

func (e *encoder) array(dst []byte, a Array, depth int) ([]byte, error) {
	id := identity{kind: markerArray,
		p1: backing(a.Associative), n1: len(a.Associative),
		p2: backing(a.Dense), n2: len(a.Dense)}
	empty := id.n1 == 0 && id.n2 == 0
	dst = append(dst, markerArray)
	dst, slot, done := e.reference(dst, id, empty)
	if done {
		return dst, nil
	}
	dst, err := e.count(dst, len(a.Dense))
	if err != nil {
		return dst, err
	}
	if dst, err = e.members(dst, a.Associative, depth); err != nil {
		return dst, err
	}
	for _, v := range a.Dense {
		if dst, err = e.value(dst, v, depth); err != nil {
			return dst, err
		}
	}
	e.remember(id, slot, empty)
	return dst, nil
}

func (e *encoder) object(dst []byte, o Object, depth int) ([]byte, error) {
	if !o.Dynamic && len(o.DynamicMembers) > 0 {
		return dst, e.fail(ErrMalformed, dst, "dynamic members on a sealed object")
	}
	id := identity{kind: markerObject,
		p1: backing(o.Sealed), n1: len(o.Sealed),
		p2: backing(o.DynamicMembers), n2: len(o.DynamicMembers),
		name: o.ClassName, flag: o.Dynamic}
	empty := id.n1 == 0 && id.n2 == 0
	dst = append(dst, markerObject)
	dst, slot, done := e.reference(dst, id, empty)
	if done {
		return dst, nil
	}
	dst, err := e.objectTraits(dst, o)
	if err != nil {
		return dst, err
	}
	for _, p := range o.Sealed {
		if dst, err = e.value(dst, p.Value, depth); err != nil {
			return dst, err
		}
	}
	if o.Dynamic {
		if dst, err = e.members(dst, o.DynamicMembers, depth); err != nil {
			return dst, err
		}
	}
	e.remember(id, slot, empty)
	return dst, nil
}

// objectTraits writes a traits reference when the same traits were sent
// before, and the traits inline otherwise.
func (e *encoder) objectTraits(dst []byte, o Object) ([]byte, error) {
	for i, t := range e.traits {
		if t.matches(o) {
			return appendU29(dst, uint32(i)<<2|1), nil
		}
	}
	if len(o.Sealed) > maxU29>>4 {
		return dst, e.fail(ErrLength, dst, "too many sealed members")
	}
	t := traits{className: o.ClassName, dynamic: o.Dynamic, sealed: make([]string, len(o.Sealed))}
	bits := uint32(len(o.Sealed))<<4 | 0x03
	if o.Dynamic {
		bits |= 0x08
	}
	dst = appendU29(dst, bits)
	dst, err := e.string(dst, o.ClassName)
	if err != nil {
		return dst, err
	}
	for i, p := range o.Sealed {
		t.sealed[i] = p.Key
		if dst, err = e.string(dst, p.Key); err != nil {
			return dst, err
		}
	}
	e.traits = append(e.traits, t)
	return dst, nil
}

func (t traits) matches(o Object) bool {
	if t.externalizable || t.className != o.ClassName || t.dynamic != o.Dynamic || len(t.sealed) != len(o.Sealed) {
		return false
	}
	for i, name := range t.sealed {
		if o.Sealed[i].Key != name {
			return false
		}
	}
	return true
}

func (e *encoder) external(dst []byte, x External, depth int) ([]byte, error) {
	if !externalReaders[x.ClassName] {
		return dst, e.fail(ErrExternalizable, dst, "class "+x.ClassName)
	}
	dst = append(dst, markerObject)
	e.objects++
	found := false
	for i, t := range e.traits {
		if t.externalizable && t.className == x.ClassName {
			dst, found = appendU29(dst, uint32(i)<<2|1), true
			break
		}
	}
	if !found {
		dst = appendU29(dst, 0x07)
		var err error
		if dst, err = e.string(dst, x.ClassName); err != nil {
			return dst, err
		}
		e.traits = append(e.traits, traits{className: x.ClassName, externalizable: true})
	}
	return e.value(dst, x.Value, depth)
}

func (e *encoder) objectVector(dst []byte, v VectorObject, depth int) ([]byte, error) {
	id := identity{kind: markerVectorObject,
		p1: backing(v.Items), n1: len(v.Items),
		name: v.TypeName, flag: v.Fixed}
	empty := len(v.Items) == 0
	dst = append(dst, markerVectorObject)
	dst, slot, done := e.reference(dst, id, empty)
	if done {
		return dst, nil
	}
	dst, err := e.count(dst, len(v.Items))
	if err != nil {
		return dst, err
	}
	dst = append(dst, boolByte(v.Fixed))
	if dst, err = e.string(dst, v.TypeName); err != nil {
		return dst, err
	}
	for _, item := range v.Items {
		if dst, err = e.value(dst, item, depth); err != nil {
			return dst, err
		}
	}
	e.remember(id, slot, empty)
	return dst, nil
}

func (e *encoder) dictionary(dst []byte, d Dictionary, depth int) ([]byte, error) {
	id := identity{kind: markerDictionary,
		p1: backing(d.Entries), n1: len(d.Entries), flag: d.WeakKeys}
	empty := len(d.Entries) == 0
	dst = append(dst, markerDictionary)
	dst, slot, done := e.reference(dst, id, empty)
	if done {
		return dst, nil
	}
	dst, err := e.count(dst, len(d.Entries))
	if err != nil {
		return dst, err
	}
	dst = append(dst, boolByte(d.WeakKeys))
	for _, en := range d.Entries {
		if dst, err = e.value(dst, en.Key, depth); err != nil {
			return dst, err
		}
		if dst, err = e.value(dst, en.Value, depth); err != nil {
			return dst, err
		}
	}
	e.remember(id, slot, empty)
	return dst, nil
}
