// Package web serves rtmpd's page: GET / lists the live streams of a
// live.Relay, updated every two seconds while the page is open, each with
// the URLs to publish and play it (RTMP, RTMPS, HTTP-FLV, HLS) and a
// player. The player is a small script of ours over Media Source
// Extensions that follows the low-latency HLS playlist part by part and
// appends the fMP4 parts driver/hls serves; a browser without them
// (iPhones before iOS 17.1) plays with its own HLS, where canPlayType
// says it has one. MSE comes first, as in most HLS pages, because its
// latency is ours to keep low, and because Chromium's own HLS plays these
// playlists only some of the time. Everything
// is embedded in the binary: the page needs no other server and no
// internet access, and loads no third-party script.
//
// GET /api/streams is the list the page reads: JSON, one object per path
// with its publisher, players, HLS players, codecs, picture size and URLs.
//
// The page plays through driver/hls, so the play key (which the page asks
// for when the relay has one) and the relay's Authorize hook apply as to
// any player.
package web
