package amf3

import (
	"errors"
	"strconv"
)

// The kinds of decoding and encoding failure. Every error returned by this
// package and by package amf0 is an *Error whose Kind is one of these, so
// callers test with errors.Is(err, amf3.ErrTruncated) and friends. Package
// amf0 re-exports the same values.
var (
	// ErrTruncated: the input ended inside a value.
	ErrTruncated = errors.New("truncated input")
	// ErrUnknownMarker: a type marker that is reserved or not defined.
	ErrUnknownMarker = errors.New("unknown or reserved type marker")
	// ErrBadReference: a reference to an entry that does not exist (yet),
	// or to an object that is still being decoded (a cycle).
	ErrBadReference = errors.New("bad reference")
	// ErrTooDeep: composite values nested deeper than the configured limit.
	ErrTooDeep = errors.New("nesting too deep")
	// ErrLength: a declared length or count larger than the input that
	// is left (or, when encoding, larger than the format can carry).
	ErrLength = errors.New("length exceeds the input")
	// ErrTooManyElements: more values than the configured limit.
	ErrTooManyElements = errors.New("too many elements")
	// ErrExternalizable: an externalizable object of a class without a
	// known reader; Detail names the class.
	ErrExternalizable = errors.New("externalizable class without a reader")
	// ErrMalformed: bytes that no encoder produces, such as an object-end
	// marker outside an object or a flag byte other than 0 or 1.
	ErrMalformed = errors.New("malformed value")
	// ErrUnsupportedType: Append was given a Go value outside the model.
	ErrUnsupportedType = errors.New("unsupported Go type")
)

// Error is a failure at a byte offset of the input (decoding) or of the
// output being appended (encoding, where Offset counts from the start of
// the values written by the call).
type Error struct {
	Kind   error
	Offset int
	Detail string
}

func (e *Error) Error() string {
	s := "amf: " + e.Kind.Error() + " at offset " + strconv.Itoa(e.Offset)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap lets errors.Is match the kind.
func (e *Error) Unwrap() error { return e.Kind }

// Shifted returns a copy of err moved by delta bytes when it is an *Error,
// and err unchanged otherwise. Formats that embed AMF3 (the AMF0 AVM+
// switch) use it to report offsets in their own input.
func Shifted(err error, delta int) error {
	var e *Error
	if errors.As(err, &e) {
		c := *e
		c.Offset += delta
		return &c
	}
	return err
}

func fail(kind error, off int, detail string) error {
	return &Error{Kind: kind, Offset: off, Detail: detail}
}
