package amf0

import "github.com/gortmp/rtmp/codec/amf3"

// The error kinds, shared with package amf3 so that errors.Is matches the
// same kind whether it arose in AMF0 or in an AMF3 value after an AVM+
// switch. Every error this package returns is an *Error with one of them.
var (
	ErrTruncated       = amf3.ErrTruncated
	ErrUnknownMarker   = amf3.ErrUnknownMarker
	ErrBadReference    = amf3.ErrBadReference
	ErrTooDeep         = amf3.ErrTooDeep
	ErrLength          = amf3.ErrLength
	ErrTooManyElements = amf3.ErrTooManyElements
	ErrExternalizable  = amf3.ErrExternalizable
	ErrMalformed       = amf3.ErrMalformed
	ErrUnsupportedType = amf3.ErrUnsupportedType
)

// Error is a failure with its kind and byte offset; see amf3.Error.
type Error = amf3.Error

func fail(kind error, off int, detail string) error {
	return &Error{Kind: kind, Offset: off, Detail: detail}
}
