package message

import (
	"errors"
	"fmt"
)

// FormatError says a message payload does not have the shape its type
// requires. Err, when set, is the underlying AMF error.
type FormatError struct {
	Type   TypeID
	Reason string
	Err    error
}

func (e *FormatError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("message: type %d: %s: %v", e.Type, e.Reason, e.Err)
	}
	return fmt.Sprintf("message: type %d: %s", e.Type, e.Reason)
}

func (e *FormatError) Unwrap() error { return e.Err }

// ErrNoBody is returned when a Message without a Body is encoded.
var ErrNoBody = errors.New("message: no body to encode")

func short(t TypeID, what string, need, have int) error {
	return &FormatError{Type: t, Reason: fmt.Sprintf("%s needs %d bytes, has %d", what, need, have)}
}
