package amf0

import "errors"

// TEMPORARY: placeholders so dependent packages compile while the codec is
// written. Each is replaced by its real implementation.
var errTODO = errors.New("amf0: not implemented yet")

// Decode decodes one value from the start of b and returns it with the
// number of bytes it took.
func Decode(b []byte) (v Value, n int, err error) { return nil, 0, errTODO }

// DecodeAll decodes every value in b, as in a command or data payload.
func DecodeAll(b []byte) ([]Value, error) { return nil, errTODO }

// Append appends the encoding of each value to dst.
func Append(dst []byte, vs ...Value) ([]byte, error) { return dst, errTODO }
