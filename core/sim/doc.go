// Package sim is a deterministic simulation of a whole RTMP relay: N
// clients and one server, with no sockets, no goroutines and no wall
// clock, all driven from one seed so that a failing seed replays exactly.
// It is test support: the package's tests run hundreds of seeds, and other
// packages use its scripted sessions (ClientReads, OBSPublish, Play) to
// build inputs.
//
// The server is core/serverconn per connection plus core/relay, with the
// decisions rtmpd makes (accept every connect and play, one publisher per
// path, fast start and the drop policy), carried out by a single caller as
// live.Relay carries them out with locks. Each client is the shipped
// client pipeline, core/clientconn (handshake, chunk stream,
// core/client.Session), driven by a script: publishers send an FLV file
// paced by its timestamps (connect with their acknowledgement window,
// createStream, releaseStream, FCPublish, publish, @setDataFrame, media,
// FCUnpublish, deleteStream), players connect, play, record what they get
// and delete their stream; the session answers pings. A client may connect
// with objectEncoding 3 (ClientSpec.AMF3), and then speaks AMF3 and is
// answered in it. Nothing in this
// package encodes or decodes a client's messages itself, except
// ClientReads, whose scripts say what no session would (explicit
// transaction ids, getStreamLength): its handshake and its reading of the
// server still run on core/clientconn.
//
// The network splits every write into random segments, delays each,
// merges what arrived into random reads, bounds the bytes in flight so a
// reader that stalls stalls its writer, and drops connections either with
// a reset both sides see or silently (the server must find out by
// itself). Virtual time jumps to the earliest deadline: a segment's
// arrival, a session timer, a client's next tag.
//
// After every run Run checks that every player the relay never dropped
// anything for received each publisher's media as a contiguous run from a
// keyframe, byte for byte; that every player read the published metadata
// with its keys and values, whatever encodings the two chose; that no
// server session outlives its vanished peer and no client misses its
// server's close; that every call got
// exactly one answer (at most one when the connection was cut); that the
// server's buffers and the relay's queues stayed within their bounds; and
// that pings and acknowledgements follow the configured interval and
// windows. A failing test prints the scenario and a go test command that
// replays exactly that case: the seed for TestSeeds, the subtest for a
// hand-made case, and otherwise the whole case as a one-line script
// (EncodeCase, DecodeCase) for TestCase.
package sim
