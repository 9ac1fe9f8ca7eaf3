package amf0

import "github.com/gortmp/rtmp/codec/amf3"

// Default limits of a zero Decoder.
const (
	DefaultMaxDepth    = amf3.DefaultMaxDepth
	DefaultMaxElements = amf3.DefaultMaxElements
)

// Decoder decodes AMF0 with limits. The zero value uses the defaults; a
// Decoder holds no state between calls and is safe to share.
type Decoder struct {
	// MaxDepth bounds how deeply composite values (objects, arrays,
	// typed objects, and AMF3 composites after an AVM+ switch) nest; 0
	// means DefaultMaxDepth. An AVM+ switch at the limit is refused.
	MaxDepth int
	// MaxElements bounds the number of values in the decoded tree, where
	// a reference counts as the whole value it points at, so that walking
	// or re-encoding a decoded value stays proportional to the limit; 0
	// means DefaultMaxElements.
	MaxElements int
}

// Decode decodes one value from the start of b and returns it with the
// number of bytes it took.
func Decode(b []byte) (Value, int, error) { return Decoder{}.Decode(b) }

// DecodeAll decodes every value in b, as in a command or data payload.
// References resolve across the whole payload.
func DecodeAll(b []byte) ([]Value, error) { return Decoder{}.DecodeAll(b) }

// Decode decodes one value from the start of b and returns it with the
// number of bytes it took. The result does not share memory with b.
func (d Decoder) Decode(b []byte) (Value, int, error) {
	var s state
	s.init(d, b)
	if _, err := s.value(0); err != nil {
		return nil, 0, err
	}
	n := s.pos
	s.startBuild(n, 0)
	v, err := s.value(0)
	if err != nil {
		return nil, 0, err // unreachable: the counting pass accepted b
	}
	return v, n, nil
}

// DecodeAll decodes every value in b, as in a command or data payload.
// References resolve across the whole payload. The result does not share
// memory with b.
func (d Decoder) DecodeAll(b []byte) ([]Value, error) {
	var s state
	s.init(d, b)
	count := 0
	for s.pos < len(b) {
		if _, err := s.value(0); err != nil {
			return nil, err
		}
		count++
	}
	if count == 0 {
		return nil, nil
	}
	s.startBuild(len(b), count)
	out := s.a.takeVals(count)
	for i := range out {
		v, err := s.value(0)
		if err != nil {
			return nil, err // unreachable: the counting pass accepted b
		}
		out[i] = v
	}
	return out, nil
}

// state walks the input twice with the same code: a counting pass that
// validates everything and measures the arenas, then a building pass that
// fills them. Errors can only arise in the first pass.
type state struct {
	src      []byte
	pos      int
	maxDepth int
	maxElems int
	elems    int
	build    bool

	need sizes
	// comps has one entry per composite, in the order they start; it
	// gives the building pass each object's property count and the
	// counting pass each finished composite's weight for references.
	// The first entries live inline (a slice of them would make the state
	// escape to the heap); the rest spill into more.
	ncomps  int
	small   [8]composite
	more    []composite
	hasRefs bool
	avm     []decodedAMF3 // AVM+ values, decoded once in the counting pass

	a       arenas
	next    int     // composites started in the building pass
	avmNext int     // AVM+ values consumed in the building pass
	refs    []Value // finished composites, kept only when references occur
}

type decodedAMF3 struct {
	value amf3.Value
	size  int
}

type composite struct {
	props  int32
	weight int32 // elements in the subtree; -1 while still open
}

func (s *state) init(d Decoder, b []byte) {
	s.src = b
	s.maxDepth = d.MaxDepth
	if s.maxDepth <= 0 {
		s.maxDepth = DefaultMaxDepth
	}
	s.maxElems = d.MaxElements
	if s.maxElems <= 0 {
		s.maxElems = DefaultMaxElements
	}
}

// comp returns the entry of composite i.
func (s *state) comp(i int) *composite {
	if i < len(s.small) {
		return &s.small[i]
	}
	return &s.more[i-len(s.small)]
}

// open adds an entry for a composite that starts, and returns its index.
func (s *state) open() int {
	i := s.ncomps
	s.ncomps++
	if i >= len(s.small) {
		s.more = append(s.more, composite{})
	}
	s.comp(i).weight = -1
	return i
}

// startBuild rewinds to the start for the building pass over b[:end].
func (s *state) startBuild(end, results int) {
	s.src = s.src[:end]
	s.pos = 0
	s.build = true
	s.need.vals += results
	s.a.reset(s.need)
	if s.hasRefs {
		s.refs = make([]Value, s.ncomps)
	}
}
