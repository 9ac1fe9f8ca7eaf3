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

// tinyArena and smallArena each serve a whole message from one
// allocation: tinyArena the short stream commands and replies
// (createStream, publish, play, _result) and a publisher's short connect, smallArena a typical connect or
// onMetaData. Larger messages get one exactly sized store per kind.
type tinyArena struct {
	text  [128]byte
	nums  [2]float64
	strs  [6]string
	props [6]Property
	vals  [6]Value
	objs  [1]Object
}

type smallArena struct {
	text  [384]byte
	nums  [8]float64
	strs  [16]string
	props [24]Property
	vals  [8]Value
	objs  [4]Object
}

// arenas are the backing stores of one decoding. Slots are filled in
// order and never rewritten.
type arenas struct {
	text  []byte
	nums  []float64
	strs  []string
	props []Property
	vals  []Value
	objs  []Object
}

func (n sizes) fit(text, nums, strs, props, vals, objs int) bool {
	return n.text <= text && n.nums <= nums && n.strs <= strs &&
		n.props <= props && n.vals <= vals && n.objs <= objs
}

func newArenas(n sizes) arenas {
	var t *tinyArena
	var s *smallArena
	switch {
	case n.fit(len(t.text), len(t.nums), len(t.strs), len(t.props), len(t.vals), len(t.objs)):
		t = new(tinyArena)
		return arenas{t.text[:0:n.text], t.nums[:0:n.nums], t.strs[:0:n.strs],
			t.props[:0:n.props], t.vals[:0:n.vals], t.objs[:0:n.objs]}
	case n.fit(len(s.text), len(s.nums), len(s.strs), len(s.props), len(s.vals), len(s.objs)):
		s = new(smallArena)
		return arenas{s.text[:0:n.text], s.nums[:0:n.nums], s.strs[:0:n.strs],
			s.props[:0:n.props], s.vals[:0:n.vals], s.objs[:0:n.objs]}
	}
	return arenas{
		text:  make([]byte, 0, n.text),
		nums:  make([]float64, 0, n.nums),
		strs:  make([]string, 0, n.strs),
		props: make([]Property, 0, n.props),
		vals:  make([]Value, 0, n.vals),
		objs:  make([]Object, 0, n.objs),
	}
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
