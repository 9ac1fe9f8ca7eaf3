package fmp4

// Box is one box as found in a file: its type, where it starts, and its
// payload (after the header), which points into the parsed bytes.
type Box struct {
	Type    string
	Offset  int
	Payload []byte
}

// Boxes splits b into its top-level boxes. Sizes must fit b exactly; a
// size of 0 (to the end) and 64-bit sizes are read as the standard says.
func Boxes(b []byte) ([]Box, error) {
	var out []Box
	err := walk(b, func(t boxType, at int, payload []byte) error {
		out = append(out, Box{Type: t.String(), Offset: at, Payload: payload})
		return nil
	})
	return out, err
}

// walk calls fn for each box in b, in order, with its type, offset and
// payload; it stops at the first error, fn's or a malformed size.
func walk(b []byte, fn func(t boxType, at int, payload []byte) error) error {
	at := 0
	for at < len(b) {
		rest := b[at:]
		if len(rest) < 8 {
			return malformed("%d bytes after the last box at %d", len(rest), at)
		}
		size, header := uint64(getBE32(rest)), 8
		t := boxType(getBE32(rest[4:]))
		switch size {
		case 0:
			size = uint64(len(rest))
		case 1:
			if len(rest) < 16 {
				return malformed("box %v at %d: truncated large size", t, at)
			}
			size, header = getBE64(rest[8:]), 16
		}
		if size < uint64(header) || size > uint64(len(rest)) {
			return malformed("box %v at %d: size %d in %d bytes", t, at, size, len(rest))
		}
		if err := fn(t, at, rest[header:size]); err != nil {
			return err
		}
		at += int(size)
	}
	return nil
}

// children returns the payloads of b's child boxes by type, the first of
// each type, and fails on a malformed child.
func child(b []byte, want boxType) ([]byte, bool, error) {
	var found []byte
	ok := false
	err := walk(b, func(t boxType, _ int, payload []byte) error {
		if t == want && !ok {
			found, ok = payload, true
		}
		return nil
	})
	return found, ok, err
}

// need is child for a box that must be there.
func need(b []byte, want boxType, in string) ([]byte, error) {
	p, ok, err := child(b, want)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, malformed("%s without %v", in, want)
	}
	return p, nil
}

// fullBox splits a FullBox payload into version, flags and the rest.
func fullBox(p []byte, t boxType) (uint8, uint32, []byte, error) {
	if len(p) < 4 {
		return 0, 0, nil, malformed("%v: no version and flags", t)
	}
	return p[0], getBE32(p) & 0xffffff, p[4:], nil
}
