package amf0

import "strings"

// sizes is what the counting pass found a message needs.
type sizes struct {
	text  int // bytes of strings and keys
	props int // properties of objects, ECMA arrays and typed objects
	vals  int // strict-array elements and DecodeAll results
}

// tinyArena and smallArena each serve a whole message's properties and
// values from one allocation: tinyArena the short stream commands and
// replies (createStream, publish, play, _result) and a publisher's short
// connect, smallArena a typical connect or onMetaData. Larger messages get
// one exactly sized store per kind.
type tinyArena struct {
	props [6]Property
	vals  [6]Value
}

type smallArena struct {
	props [24]Property
	vals  [8]Value
}

// arenas are the backing stores of one decoding. Slots are filled in
// order and never rewritten. Strings share one buffer: text only grows,
// so a string taken from it stays valid and unchanged (a Builder that
// outgrows its buffer copies into a new one and leaves the old as it was).
type arenas struct {
	text  strings.Builder
	props []Property
	vals  []Value
}

func (n sizes) fit(props, vals int) bool { return n.props <= props && n.vals <= vals }

// reset sizes a for a message that needs n.
func (a *arenas) reset(n sizes) {
	a.text.Grow(n.text)
	var t *tinyArena
	var s *smallArena
	switch {
	case n.fit(len(t.props), len(t.vals)):
		t = new(tinyArena)
		a.props, a.vals = t.props[:0:n.props], t.vals[:0:n.vals]
	case n.fit(len(s.props), len(s.vals)):
		s = new(smallArena)
		a.props, a.vals = s.props[:0:n.props], s.vals[:0:n.vals]
	default:
		a.props, a.vals = make([]Property, 0, n.props), make([]Value, 0, n.vals)
	}
}

// str copies b into the text buffer and returns a string over the copy.
func (a *arenas) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	at := a.text.Len()
	a.text.Write(b)
	return a.text.String()[at:]
}

// boxNumber makes a number a Value, without an allocation for the
// integers that commands and metadata use most.
func (a *arenas) boxNumber(f float64) Value {
	if i := smallInt(f); i >= 0 {
		return smallInts[i]
	}
	return f
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
