package amf0

import "unsafe"

// sizes is what the counting pass found a message needs.
type sizes struct {
	text  int // bytes of strings and keys
	nums  int // numbers not in smallInts
	strs  int // non-empty string and XML values
	props int // properties of objects, ECMA arrays and typed objects
	vals  int // strict-array elements and DecodeAll results
	objs  int // Object and ECMAArray headers
}

// smallArena serves a typical command (connect, _result, publish, a usual
// onMetaData) from one allocation.
type smallArena struct {
	text  [384]byte
	nums  [8]float64
	strs  [16]string
	props [24]Property
	vals  [8]Value
	objs  [4]Object
}

// arenas are the backing stores of one decoding, each sized exactly or
// from a smallArena. Slots are filled in order and never rewritten.
type arenas struct {
	text  []byte
	nums  []float64
	strs  []string
	props []Property
	vals  []Value
	objs  []Object
}

func newArenas(n sizes) arenas {
	var a arenas
	var small *smallArena
	fits := func(need, room int) bool {
		if need == 0 || need > room {
			return false
		}
		if small == nil {
			small = new(smallArena)
		}
		return true
	}
	if fits(n.text, len(small.text)) {
		a.text = small.text[:0:n.text]
	} else if n.text > 0 {
		a.text = make([]byte, 0, n.text)
	}
	if fits(n.nums, len(small.nums)) {
		a.nums = small.nums[:0:n.nums]
	} else if n.nums > 0 {
		a.nums = make([]float64, 0, n.nums)
	}
	if fits(n.strs, len(small.strs)) {
		a.strs = small.strs[:0:n.strs]
	} else if n.strs > 0 {
		a.strs = make([]string, 0, n.strs)
	}
	if fits(n.props, len(small.props)) {
		a.props = small.props[:0:n.props]
	} else if n.props > 0 {
		a.props = make([]Property, 0, n.props)
	}
	if fits(n.vals, len(small.vals)) {
		a.vals = small.vals[:0:n.vals]
	} else if n.vals > 0 {
		a.vals = make([]Value, 0, n.vals)
	}
	if fits(n.objs, len(small.objs)) {
		a.objs = small.objs[:0:n.objs]
	} else if n.objs > 0 {
		a.objs = make([]Object, 0, n.objs)
	}
	return a
}

// str copies b into the text arena and returns a string over the copy.
func (a *arenas) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	at := len(a.text)
	a.text = append(a.text, b...)
	return unsafe.String(&a.text[at], len(b))
}

func (a *arenas) boxString(typ unsafe.Pointer, s string) Value {
	if s == "" {
		if typ == xmlType {
			return XMLDocument("")
		}
		return ""
	}
	a.strs = append(a.strs, s)
	return boxAt(typ, unsafe.Pointer(&a.strs[len(a.strs)-1]))
}

func (a *arenas) boxNumber(f float64) Value {
	if i := smallInt(f); i >= 0 {
		return boxAt(float64Type, unsafe.Pointer(&smallInts[i]))
	}
	a.nums = append(a.nums, f)
	return boxAt(float64Type, unsafe.Pointer(&a.nums[len(a.nums)-1]))
}

// takeProps reserves n consecutive property slots.
func (a *arenas) takeProps(n int) []Property {
	at := len(a.props)
	a.props = a.props[:at+n]
	return a.props[at : at+n : at+n]
}

// takeVals reserves n consecutive value slots.
func (a *arenas) takeVals(n int) []Value {
	at := len(a.vals)
	a.vals = a.vals[:at+n]
	return a.vals[at : at+n : at+n]
}

func (a *arenas) boxProps(typ unsafe.Pointer, ps []Property) Value {
	a.objs = append(a.objs, Object(ps))
	return boxAt(typ, unsafe.Pointer(&a.objs[len(a.objs)-1]))
}
