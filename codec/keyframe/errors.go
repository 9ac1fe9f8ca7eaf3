package keyframe

import "errors"

// Errors of a bitstream that cannot be read; test them with errors.Is.
var (
	// ErrTruncated: the data ends inside a NAL unit, OBU or header.
	ErrTruncated = errors.New("keyframe: truncated bitstream")
	// ErrSyntax: a field has a value the codec forbids (a zero-length NAL
	// unit, a forbidden bit set, a bad VP9 frame marker), or the data
	// holds no frame at all.
	ErrSyntax = errors.New("keyframe: not a valid bitstream")
)
