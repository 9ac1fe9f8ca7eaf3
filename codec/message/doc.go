// Package message gives RTMP messages typed bodies and converts them to
// and from the raw messages of package chunk. It is pure: no I/O, no
// clock, no goroutines.
//
// The receive path is
//
//	raws, err := dec.Feed(raws[:0], buf[:n]) // chunk.Decoder
//	for _, raw := range raws {
//		m, err := message.Decode(raw)
//		switch b := m.Body.(type) {
//		case message.Video: // b.Payload is raw.Payload, not a copy
//		case message.Command: // b.Name, b.TransactionID, b.Object, b.Args
//		case message.Aggregate:
//			parts, err := message.AggregateParts(raw)
//			for part := range parts { ... } // never an Aggregate
//		...
//		}
//	}
//
// and the send path
//
//	raw, err := message.Encode(m)
//	out, err = enc.Append(out, message.ChunkStreamID(m.Body, m.StreamID), raw)
//
// Every message type of the specification has a body type: Set Chunk Size,
// Abort, Acknowledgement, Window Acknowledgement Size, Set Peer Bandwidth,
// one type per User Control event (StreamBegin ... PingResponse), Audio,
// Video, Command and Data (AMF0 or, with AMF3 set, the AMF3 variants),
// SharedObject (kept raw) and Aggregate. Unknown message types decode to
// Unknown and unknown user-control events to UnknownUserControl, so a
// session can report them and a relay can forward them; neither is an
// error. Payloads that do not have the shape their type requires are a
// *FormatError.
//
// Media is never copied here: Decode makes Audio, Video, SharedObject,
// Aggregate and Unknown bodies alias the raw payload, Encode hands their
// payload slice on, and AggregateParts yields sub-messages that alias the
// aggregate's payload. The payloads the chunk decoder returns belong to
// the caller for good, so these bodies stay valid as long as they are
// kept.
//
// ChunkStreamID is the outbound chunk stream policy the sessions of
// package core follow: 2 for protocol and user control, 3 for commands and
// data on message stream 0, 5 for commands and data on the others, 6 for
// audio and 7 for video. A relay's fanned-out media uses 8, 9 and 10
// (FanOutAudioChunkStreamID and its siblings), which no session uses.
package message
