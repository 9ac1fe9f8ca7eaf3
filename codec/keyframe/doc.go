// Package keyframe tells from a video bitstream whether a coded frame is
// one a decoder can start from, for publishers that do not say so in the
// tag header (Enhanced RTMP frame type 0, which the specification
// reserves, is what some libraries write on every video message).
//
// Each function reads the codec data of one frame as an Enhanced RTMP
// message carries it (after any composition time) and answers without
// allocating:
//
//   - AVC: length-prefixed NAL units (4-byte lengths, the form every
//     encoder in practice writes); an IDR slice (type 5) is a keyframe.
//   - HEVC: the same framing; an IRAP picture (NAL types 16 to 23).
//   - AV1: a temporal unit of OBUs in the low-overhead format; a frame
//     header with frame_type KEY_FRAME, or any frame of a reduced
//     still-picture sequence.
//   - VP9: an uncompressed header with frame_type KEY_FRAME (the first
//     frame of a superframe decides).
//
// A bitstream that cannot be read is an error (ErrTruncated, ErrSyntax),
// never a panic: the caller then knows nothing and says so.
package keyframe
