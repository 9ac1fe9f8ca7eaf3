// Package amf0 decodes and encodes AMF0, the serialization of RTMP command
// (type 20) and data (type 18) messages, including the AVM+ switch to AMF3
// (see package amf3).
//
// It does no I/O: byte slices go in, Go values come out (see Value for
// the model), and back. Every marker 0x00-0x11 is handled; the reserved
// MovieClip and RecordSet markers and unknown markers are errors.
// References (0x07) resolve against the objects decoded so far in the same
// call. Append writes strings over 65535 bytes as long strings by itself
// and never writes references.
//
// Decoding is strict, bounded and cheap. It walks the input twice: a first
// pass validates everything and counts what the values need, so no length
// read from the wire sizes an allocation before its bytes are known to be
// there; a second pass builds the values with their properties, elements
// and text in two stores sized by the first, and common strings and small
// integers boxed once at start, so that a stream command costs one to
// four allocations. Decoded values never share memory
// with the input. Failures are *Error values with a kind to test with
// errors.Is (ErrTruncated, ErrUnknownMarker, ErrBadReference, ErrTooDeep,
// ErrLength, ErrTooManyElements, ...) and the byte offset where they
// happened; bad input never panics.
package amf0
