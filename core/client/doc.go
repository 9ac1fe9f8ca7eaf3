// Package client is the client side of one RTMP connection as a pure state
// machine, beside the server session of package core and in the same
// style: New(cfg) returns a Session value, and
//
//	s, effects = s.Step(input)
//
// applies one input (a message from the server, a byte count, or a call of
// the application such as Connect, CreateStream, Publish or Play) and
// returns the next value with the effects the driver carries out in order:
// Send a message, ChangeChunkSize, Disconnect, or an event for the
// application. There is no I/O, clock, randomness, goroutine or logging
// here; old values stay valid (copy on write).
//
// # Requests and their answers
//
// Connect sends Set Chunk Size and connect with transaction id 1; every
// later command counts the id up (as floats, as on the wire). Each request
// gets exactly one answer event: Connected or ConnectFailed, StreamCreated
// or CreateStreamFailed (matched by the caller's RequestID), PublishStarted
// or PublishFailed, PlayStarted or PlayFailed. Servers refuse with _error
// or with an onStatus error; both are answers. A request still open when
// the session ends fails with CodeClosed. A connection holds any number of
// streams, each publishing or playing on its own. DeleteStream sends
// FCUnpublish (for a publisher) and deleteStream and finishes the stream.
//
// With Config.FMLECalls, Publish first sends releaseStream and FCPublish,
// as FMLE, OBS and FFmpeg do. The first answer to each of these calls,
// and to FCUnpublish, is CallAnswered; a repeated or stray answer is
// CommandUnhandled.
//
// # AMF3
//
// A Connect with ObjectEncoding 3 goes out as every client sends its
// connect, type 20 in AMF0, asking for objectEncoding 3; every command and
// data message after it goes out as type 17 or 15 with its values behind
// the AVM+ switch, as a Flash application with defaultObjectEncoding 3
// sends them. Whatever the server answers in, AMF0 or AMF3, is normalized
// on receipt (message.Command.Normalized), so events read the same either
// way.
//
// # Housekeeping
//
// The session announces Config.Window, when set, before connect, answers
// the server's pings, replies to Set Peer Bandwidth with its window as the
// specification asks, and acknowledges received
// bytes against the server's Window Acknowledgement Size from the
// cumulative totals of BytesCounted. Metadata on a played stream arrives as
// MetaDataReceived whether the server sends onMetaData bare or inside
// @setDataFrame. Enhanced RTMP's NetConnection.Connect.ReconnectRequest
// becomes ReconnectRequested.
package client
