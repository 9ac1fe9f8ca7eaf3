package flv

import (
	"errors"
	"fmt"
)

// Errors of audio and video tag headers. They are plain values so that
// classifying a payload never allocates, even when it fails; test them with
// errors.Is.
var (
	// ErrTruncated: the payload or file ends inside a field.
	ErrTruncated = errors.New("flv: truncated")
	// ErrReserved: a frame type, packet type, sound format or multitrack
	// type has a value the specifications reserve.
	ErrReserved = errors.New("flv: reserved value")
	// ErrMultitrack: a multitrack body is inconsistent (nested multitrack,
	// no tracks, or a track size past the end).
	ErrMultitrack = errors.New("flv: inconsistent multitrack body")
	// ErrTrackNotFound: the requested track id is not in the message.
	ErrTrackNotFound = errors.New("flv: track not found")
)

// Errors of FLV files, reported inside a *FileError.
var (
	ErrSignature       = errors.New("flv: not an FLV file (bad signature)")
	ErrDataOffset      = errors.New("flv: header data offset below 9")
	ErrPreviousTagSize = errors.New("flv: previous tag size does not match the tag")
	ErrTagTooLarge     = errors.New("flv: tag data larger than 2^24-1 bytes")
	ErrTagReserved     = errors.New("flv: reserved bits set in tag type")
)

// FileError locates a problem in an FLV file: Offset is the byte position,
// from the start of the file, of the field that is wrong or missing.
type FileError struct {
	Offset int64
	Err    error
}

func (e *FileError) Error() string { return fmt.Sprintf("%v at byte %d", e.Err, e.Offset) }

// Unwrap lets errors.Is see the sentinel inside.
func (e *FileError) Unwrap() error { return e.Err }
