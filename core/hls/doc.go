// Package hls decides what an HLS server lists: where a live stream is cut
// into segments and partial segments, which of them a sliding window keeps,
// the media and multivariant playlists that describe them (with the
// low-latency tags: EXT-X-PART, EXT-X-PRELOAD-HINT, EXT-X-SERVER-CONTROL,
// EXT-X-SKIP), and whether a blocking playlist reload (_HLS_msn,
// _HLS_part) can be answered now.
//
// Like the rest of core it is pure: no I/O, clock or goroutines. Time is
// the media's decode timestamps, given to Timeline.Push one sample at a
// time; the caller keeps the bytes of each part and segment under the
// addresses Push reports, and forgets a segment when Push says it left the
// window.
//
// A segment starts on a keyframe once the one before it lasted at least
// Config.TargetDuration; a part closes when one more sample would take it
// past Config.PartTarget, so parts stay within the target as RFC 8216bis
// asks, and every segment's first part is independent.
package hls
