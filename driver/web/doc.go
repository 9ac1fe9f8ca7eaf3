// Package web serves rtmpd's page: GET / lists the live streams of a
// live.Relay, updated every two seconds while the page is open, each with
// the URLs to publish and play it (RTMP, RTMPS, HTTP-FLV, HLS) and a
// player. The player is a small script of ours over Media Source
// Extensions that follows the low-latency HLS playlist part by part and
// appends the fMP4 parts driver/hls serves; a browser without them
// (iPhones before iOS 17.1) plays with its own HLS, where canPlayType
// says it has one. MSE comes first, as in most HLS pages, because its
// latency is ours to keep low: Chromium's own HLS (which answers "maybe"
// too) ignores parts and blocking reloads, polls the playlist and plays
// whole segments, starting three from its end. Everything is embedded in
// the binary: the page needs no other server and no internet access, and
// loads no third-party script.
//
// The page hands a playlist to the browser's own HLS only once it lists
// three complete segments. Chromium's player (156) fails on any live
// media playlist that lists fewer when it first loads it, ours or
// ffmpeg's alike: the minimal case is a playlist without EXT-X-ENDLIST
// listing one or two segments, which fails at once with
// DEMUXER_ERROR_COULD_NOT_PARSE ("Segment queue never had any data")
// even when it is reloaded and grows, while the same playlist listing
// three plays (whatever EXT-X-TARGETDURATION says). Every stream's
// playlist is that short for its first target durations, since driver/hls
// answers the first request once the first segment is complete, so
// without the wait Chromium's HLS failed on new streams and played those
// running for a while, the boxes and tags being the same.
//
// GET /api/streams is the list the page reads: JSON, one object per path
// with its publisher, viewers (players: over RTMP and HTTP-FLV;
// hls_players: over HLS), codecs, picture size and URLs. The page shows
// their sum and the HLS share ("2 viewers, 1 over HLS"). In-process
// readers, such as the HLS segmenter that cuts the stream for the HLS
// viewers, are no viewers and are not listed.
//
// The page plays through driver/hls, so the play key (which the page asks
// for when the relay has one) and the relay's Authorize hook apply as to
// any player.
package web
