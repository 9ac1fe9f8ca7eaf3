package amf0

import (
	"math"
	"unsafe"
)

// Boxing a string, float64 or slice into an interface normally costs one
// allocation per value. The decoder instead stores those values in arenas
// (a few allocations per message) and makes interfaces that point into
// them. This relies on the layout of an empty interface (a type word and a
// pointer to the value), which is fixed for every non-pointer-shaped type;
// all types boxed here are such. An arena slot is written once, before it
// is boxed, and never again, so the interface sees an immutable value just
// as if the runtime had copied it.

type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

func typeWord(v any) unsafe.Pointer { return (*eface)(unsafe.Pointer(&v)).typ }

var (
	stringType    = typeWord("")
	float64Type   = typeWord(float64(0))
	objectType    = typeWord(Object(nil))
	ecmaArrayType = typeWord(ECMAArray(nil))
	xmlType       = typeWord(XMLDocument(""))
)

// boxAt returns an interface of type typ whose value lives at p.
func boxAt(typ, p unsafe.Pointer) (v Value) {
	e := (*eface)(unsafe.Pointer(&v))
	e.typ = typ
	e.data = p
	return v
}

// smallInts holds the integral numbers that commands and metadata use most
// (transaction ids, codec ids, sizes, rates), so that they box for free.
var smallInts = func() (t [4096]float64) {
	for i := range t {
		t[i] = float64(i)
	}
	return t
}()

// smallInt returns the index of f in smallInts, or -1. Negative zero is
// left out so that its sign survives a round trip.
func smallInt(f float64) int {
	if !(f >= 0 && f < float64(len(smallInts))) {
		return -1
	}
	i := int(f)
	if float64(i) != f || math.Float64bits(f) == 1<<63 {
		return -1
	}
	return i
}
