package fmp4

import (
	"errors"
	"fmt"
)

// ErrInvalid is wrapped by every error about what a caller asked to write
// (a track or run that cannot be represented).
var ErrInvalid = errors.New("fmp4: invalid")

// ErrMalformed is wrapped by every error about boxes that do not parse.
var ErrMalformed = errors.New("fmp4: malformed")

func errorf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)
}
