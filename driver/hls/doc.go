// Package hls serves the live streams of a live.Relay over HLS and
// low-latency HLS, from fragmented MP4 (codec/fmp4), cut by core/hls:
//
//	GET /APP/KEY/index.m3u8         the media playlist
//	GET /APP/KEY/init-N.mp4         an initialization section
//	GET /APP/KEY/seg-MSN.m4s        a segment
//	GET /APP/KEY/part-MSN.P.m4s     a partial segment
//
// A stream is segmented from the first request for its playlist (or, with
// Config.Always, from its publish) by one goroutine that reads it from the
// relay as an in-process player (live.Relay.Subscribe, so the relay's fast
// start gives it the last keyframe at once), and stops once nobody asked
// for it for Config.Idle. Each part is made once, kept in memory in a
// sliding window bounded in segments and in bytes (Config.MaxBytes), and
// written as the same bytes to every player; a segment is the
// concatenation of its parts, which are written one after the other.
//
// Low-latency HLS: segments start on keyframes once the target duration
// is reached, parts last up to about 200 ms, the playlist announces the
// next part with EXT-X-PRELOAD-HINT, and a request for it is held until it
// is complete; playlist requests with _HLS_msn and _HLS_part are held
// until the playlist lists that part (or Config.Wait passes), and with
// Config.Timeline.Delta, _HLS_skip=YES gets a delta update.
//
// A stream's tracks (H.264, H.265, AV1, VP9, AAC, Opus, ... as codec/fmp4
// writes them) are served as renditions cut on one timeline: the video and
// the first audio track in one fMP4 stream, each further audio track in one
// of its own. With one audio track at most, index.m3u8 is the media
// playlist; with more it is a multivariant playlist whose variant,
// index.m3u8?r=0, carries the video and the first audio track, and whose
// alternate audio renditions (EXT-X-MEDIA) are index.m3u8?r=N, their files
// named as the variant's with ?r=N. When the tracks change (a new sequence
// header), a new init section starts after a discontinuity. What
// index.m3u8 is, media or multivariant, is decided by the tracks when it
// is first served and kept while the segmenter runs (core/hls.IndexKind):
// a player that loaded it as a media playlist keeps reloading one. An
// audio track added later is then still served as index.m3u8?r=N, but
// listed in a multivariant playlist only from the segmenter's next start.
//
// The play key (?key=, as for RTMP and HTTP-FLV) is asked of every
// request and carried on to the URIs of the playlist; the relay's
// Authorize hook (rtmpd's -on-play) is asked on playlist requests that do
// not block, so once per player start rather than once per part. Every
// response has Access-Control-Allow-Origin: *, as HTTP-FLV's, for players
// in pages of other origins.
//
// A stream's first playlist is answered once its first segment is
// complete, so it lists one segment, then more every target duration.
// Chromium's own HLS player fails on a live playlist that lists fewer
// than three when it first loads it, where MSE players such as
// driver/web's page play it; driver/web says how its page waits for them.
//
// HLS has no connection per player: a player is an address and a user
// agent that requested the stream within Config.PlayerTimeout
// (Handler.Streams, which rtmpd adds to /stats and /metrics).
package hls
