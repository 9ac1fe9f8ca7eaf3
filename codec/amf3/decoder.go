package amf3

// Default limits of a zero Decoder.
const (
	DefaultMaxDepth    = 64
	DefaultMaxElements = 1 << 18
)

// Decoder decodes AMF3 with limits. The zero value uses the defaults; a
// Decoder holds no state between calls and is safe to share.
type Decoder struct {
	// MaxDepth bounds how deeply composite values (arrays, objects,
	// vectors, dictionaries) nest; 0 means DefaultMaxDepth.
	MaxDepth int
	// MaxElements bounds the number of values in the decoded tree, where
	// a reference counts as the whole value it points at, so that walking
	// or re-encoding a decoded value stays proportional to the limit; 0
	// means DefaultMaxElements.
	MaxElements int
}

// Decode decodes one value from the start of b with fresh reference
// tables, and returns it with the number of bytes it took.
func Decode(b []byte) (Value, int, error) { return Decoder{}.Decode(b) }

// DecodeAll decodes every value in b. The values share one set of
// reference tables, as the values of one message do.
func DecodeAll(b []byte) ([]Value, error) { return Decoder{}.DecodeAll(b) }

// Decode decodes one value from the start of b with fresh reference
// tables, and returns it with the number of bytes it took.
func (d Decoder) Decode(b []byte) (Value, int, error) {
	v, n, _, err := d.DecodeCounted(b)
	return v, n, err
}

// DecodeCounted is Decode that also reports how many elements the value
// counted against MaxElements. Formats that embed AMF3 (the AMF0 AVM+
// switch) use it to keep one element budget for a whole message.
func (d Decoder) DecodeCounted(b []byte) (v Value, n, elements int, err error) {
	s := d.newState(b)
	v, err = s.value(0)
	if err != nil {
		return nil, 0, 0, err
	}
	return v, s.pos, s.elems, nil
}

// DecodeAll decodes every value in b. The values share one set of
// reference tables, as the values of one message do.
func (d Decoder) DecodeAll(b []byte) ([]Value, error) {
	s := d.newState(b)
	var out []Value
	for s.pos < len(b) {
		v, err := s.value(0)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (d Decoder) newState(b []byte) *state {
	s := &state{src: b, maxDepth: d.MaxDepth, maxElems: d.MaxElements}
	if s.maxDepth <= 0 {
		s.maxDepth = DefaultMaxDepth
	}
	if s.maxElems <= 0 {
		s.maxElems = DefaultMaxElements
	}
	return s
}

// state is one decoding pass with its three reference tables.
type state struct {
	src      []byte
	pos      int
	maxDepth int
	maxElems int
	elems    int

	stringTable []string
	objectTable []objectEntry
	traitTable  []traits
}

// objectEntry is a slot of the object reference table. A slot is taken
// when a composite starts, so that indexes match the encoder's, and
// filled when it ends; a reference to an unfilled slot is a cycle, which a
// tree of Go values cannot hold.
type objectEntry struct {
	value  Value
	weight int
	done   bool
}

type traits struct {
	className      string
	dynamic        bool
	externalizable bool
	sealed         []string
}

func (s *state) remaining() int { return len(s.src) - s.pos }

// count adds n elements for the value that starts at offset at.
func (s *state) count(n, at int) error {
	s.elems += n
	if s.elems > s.maxElems {
		return fail(ErrTooManyElements, at, "")
	}
	return nil
}

func (s *state) byte1() (byte, error) {
	if s.pos >= len(s.src) {
		return 0, fail(ErrTruncated, s.pos, "")
	}
	c := s.src[s.pos]
	s.pos++
	return c, nil
}

func (s *state) u29() (uint32, error) {
	v, next, ok := readU29(s.src, s.pos)
	if !ok {
		return 0, fail(ErrTruncated, s.pos, "in a variable-length integer")
	}
	s.pos = next
	return v, nil
}

// take returns the next n bytes, checking n against what is left first.
func (s *state) take(n int) ([]byte, error) {
	if n > s.remaining() {
		return nil, fail(ErrLength, s.pos, "")
	}
	b := s.src[s.pos : s.pos+n : s.pos+n]
	s.pos += n
	return b, nil
}

func (s *state) flag() (bool, error) {
	at := s.pos
	c, err := s.byte1()
	if err != nil {
		return false, err
	}
	if c > 1 {
		return false, fail(ErrMalformed, at, "flag byte is neither 0 nor 1")
	}
	return c == 1, nil
}

// string reads a UTF-8-vr: an inline string or a string-table reference.
func (s *state) string() (string, error) {
	at := s.pos
	u, err := s.u29()
	if err != nil {
		return "", err
	}
	if u&1 == 0 {
		i := int(u >> 1)
		if i >= len(s.stringTable) {
			return "", fail(ErrBadReference, at, "string reference out of range")
		}
		return s.stringTable[i], nil
	}
	b, err := s.take(int(u >> 1))
	if err != nil {
		return "", err
	}
	if len(b) == 0 {
		return "", nil // the empty string is never put in the table
	}
	str := string(b)
	s.stringTable = append(s.stringTable, str)
	return str, nil
}

// objectHeader reads the U29 that starts every object-table value. It
// returns the referenced value when it is a reference, and otherwise the
// remaining bits and a fresh table slot.
func (s *state) objectHeader() (ref Value, isRef bool, bits uint32, slot int, err error) {
	at := s.pos
	u, err := s.u29()
	if err != nil {
		return nil, false, 0, 0, err
	}
	if u&1 == 0 {
		i := int(u >> 1)
		if i >= len(s.objectTable) {
			return nil, true, 0, 0, fail(ErrBadReference, at, "object reference out of range")
		}
		e := s.objectTable[i]
		if !e.done {
			return nil, true, 0, 0, fail(ErrBadReference, at, "reference to an object still being decoded")
		}
		// The value itself was counted once already; count the rest.
		if err := s.count(e.weight-1, at); err != nil {
			return nil, true, 0, 0, err
		}
		return e.value, true, 0, 0, nil
	}
	s.objectTable = append(s.objectTable, objectEntry{})
	return nil, false, u >> 1, len(s.objectTable) - 1, nil
}

func (s *state) finish(slot int, v Value, startElems int) Value {
	s.objectTable[slot] = objectEntry{value: v, weight: s.elems - startElems + 1, done: true}
	return v
}
