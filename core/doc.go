// Package core is the business logic of one RTMP connection, server side,
// as a pure state machine:
//
//	s := core.NewSession(cfg)
//	s, effects = s.Step(input)
//
// An Input is a decoded message from the peer (MessageReceived), a report
// from the driver (BytesCounted, Tick) or a call of the application
// (Accept, Reject, SendPing, SendMessage, BeginStreamZero, RequestReconnect,
// Close). The
// effects are messages to send with their chunk stream (Send), a change of
// our outbound chunk size (ChangeChunkSize), the next timer deadline
// (WakeAt), a request to disconnect (Disconnect, always last), a misuse
// report (CallerError) and events for the application (past-tense names:
// ConnectionRequested, PublishingFinished, ...). The driver carries the
// effects out in order.
//
// The package does no I/O, reads no clock, draws no random numbers, starts
// no goroutines and logs nothing: time arrives as Tick, and timers leave as
// WakeAt. Session is a value: stepping the same value twice gives the same
// result, because state that changes is copied on write. Audio and video on
// a publishing stream take a fast path that changes nothing and costs one
// allocation.
//
// # Enhanced RTMP
//
// A connect that declares fourCcList, videoFourCcInfoMap,
// audioFourCcInfoMap or capsEx is an Enhanced RTMP client: its
// declarations are read into Capabilities (ConnectionRequested.Client,
// Session.ClientCapabilities) and the _result announces the server's own
// (Config.Capabilities, every codec codec/flv knows by default) beside
// fmsVer. A legacy connect gets exactly the legacy _result. A relay asks
// the player's Capabilities whether it reads multitrack, and
// RequestReconnect sends NetConnection.Connect.ReconnectRequest to a client
// that declared capsEx Reconnect.
//
// # AMF0 and AMF3
//
// A client whose connect asks for objectEncoding 3 (a Flash, Flex or AIR
// application whose NetConnection.defaultObjectEncoding is 3) sends its
// commands as type 17 and its data as type 15, their values behind the
// AVM+ switch (marker 0x11); its connect may come that way too. Each
// command and data message is normalized once, on receipt
// (message.Command.Normalized, amf0.Normalize): AMF3 integers and doubles
// read as numbers, strings as strings, anonymous objects as objects, typed
// objects as typed objects, arrays as strict or ECMA arrays, dates as
// dates; what AMF0 has no counterpart for (byte arrays, vectors,
// dictionaries, E4X XML) stays behind the switch. So the session and its
// events see one value model: a script in AMF3 raises the same events as
// the same script in AMF0, which a property test checks.
//
// What such a client is sent:
//
//	the connect's _result or _error   type 20, AMF0, objectEncoding 3 in the info object
//	every later command               type 17: name and transaction id in AMF0, the
//	                                  command object and arguments behind the switch
//	                                  (null stays AMF0 null): _result, _error,
//	                                  onStatus, onFCPublish, onFCUnpublish
//	every data message                type 15: the leading names in AMF0, the rest
//	                                  behind the switch: |RtmpSampleAccess,
//	                                  NetStream.Data.Start, the relay's onMetaData
//	audio, video, control             unchanged
//
// The answer to the connect stays AMF0 because it is where the client
// learns whether the server took its encoding: a server that speaks only
// AMF0 answers that way too, and Red5 keeps it AMF0 for the same reason.
// onBWDone goes out with stream-zero begin, before any connect, in AMF0.
// After the connect the client has said it reads AMF3, and its replies
// carry values as it sends them. A driver applies the same rule to what
// bypasses the session (driver.Conn.QueueFrame and QueueNotice): a relayed
// stream's metadata, encoded once as AMF0, reaches each AMF3 player as
// type 15, so no player gets the two encodings mixed.
//
// # Liveness
//
// The seed has no timers. The session pings at Config.PingInterval and
// closes a connection with PingTimeoutError when the peer sent nothing at
// all for Config.PingTimeout after a ping request: any message, or a
// BytesCounted whose Received total grew, answers the ping as well as a
// Ping Response would (PingResponseReceived is still raised only for a
// real one). Encoders such as OBS Studio never read what the server sends
// after the connect, so they never answer a ping; their media keeps them
// connected, as nginx-rtmp keeps them.
//
// A connection with a stream publishing that receives no audio or video
// for Config.PublishIdleTimeout (10 s by default) ends with
// PublishIdleError, its streams finishing as on any close, so a frozen
// encoder does not hold its stream key until TCP gives up. Media carries
// no time, so the session checks a flag raised by media every quarter of
// the timeout: the close comes between the timeout and 1.25 times it
// after the last frame, never sooner.
//
// # Commands before the connect is accepted
//
// A command that arrives while the connect waits for Accept (FFmpeg's
// _checkbw, its answer to the onBWDone of stream-zero begin, often does)
// is held, up to Config.MaxPendingRequests, and runs right after the
// connect's _result, in order, as if it had arrived then; a rejected
// connect drops it. A command before any connect is ignored with
// CommandUnhandled and no answer, as nginx-rtmp ignores it. Neither is
// ever answered "not connected", which FFmpeg prints as a server error.
//
// Errors come in two kinds. A peer that breaks the protocol gets a
// Disconnect with a ProtocolError and the session turns terminal, ignoring
// all further input; a caller that misuses the API (an unknown request id)
// gets a CallerError and the session is unchanged.
//
// # Events
//
// Besides the seed's events (ConnectionRequested, PublishStreamRequested,
// PlayStreamRequested, StreamMetaDataChanged, AudioVideoDataReceived,
// PublishingFinished, PlayStreamFinished, PeerChunkSizeChanged,
// ByteTotalsReported, AcknowledgementReceived, PingRequestSent,
// PingResponseReceived, ReleaseStreamRequested, CommandUnhandled), a
// session raises PublishingStarted, PlayStreamStarted, StreamDeleted,
// BufferLengthSet, StreamMetaDataCleared, DataReceived, PeerBandwidthSet,
// FCPublishRequested, FCUnpublishRequested, FCSubscribeRequested,
// FCUnsubscribeRequested, StreamLengthRequested, ReceiveAudioChanged,
// ReceiveVideoChanged, PauseRequested, SeekRequested, MessageIgnored and
// ProtocolViolated. The project's README maps each function and event of
// the seed, the Elixir library rtmp 0.2.0's Rtmp.ServerSession.Handler, to
// its counterpart here, and says where and why the package departs from it.
package core
