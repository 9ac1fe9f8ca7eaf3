// Package flv knows FLV files and the audio and video tag headers that RTMP
// messages share with them, legacy and Enhanced RTMP v1/v2 alike.
//
// A server uses it to start late players on a keyframe, to send decoder
// configuration first, to record to a file and to pass Enhanced RTMP codecs
// (hvc1, av01, vp09, Opus, fLaC, ac-3, ec-3, mp4a, .mp3), multitrack and
// ModEx through untouched.
//
// The relay's hot path is ClassifyVideo and ClassifyAudio: they take an
// audio or video message payload and return a small value (Kind, codec,
// packet type, track id and count) without allocating. VideoTracks and
// AudioTracks walk the tracks of a multitrack message as sub-slices, and
// ExtractVideoTrack / ExtractAudioTrack re-emit one track as a plain
// single-track message for players that cannot read multitrack;
// AppendLegacyVideo / AppendLegacyAudio then turn avc1 and mp4a into the
// pre-Enhanced form for players that know nothing newer.
//
// Reader and Writer stream FLV files tag by tag over io.Reader and
// io.Writer; a Tag's Data is the same bytes as an RTMP message payload.
// Bad input is an error value (ErrTruncated, ErrReserved, ErrMultitrack,
// or a *FileError with the offset), never a panic.
package flv
