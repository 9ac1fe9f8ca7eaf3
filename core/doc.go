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
// # The seed, mapped
//
// The package re-creates Rtmp.ServerSession.Handler of the Elixir library
// rtmp 0.2.0:
//
//	seed                                               Go
//	start_link(connection_id, configuration)           NewSession(Config); the driver starts the connection and keeps its id
//	handle_rtmp_input(pid, message)                    Step(MessageReceived{Message})
//	notify_byte_count(pid, :bytes_received/:sent, n)   Step(BytesCounted{Received, Sent}); drives Acknowledgements
//	accept_request(pid, request_id)                    Step(Accept{Request}); plus Step(Reject{Request, Reason, Description})
//	send_ping_request(pid)                             Step(SendPing{}); plus automatic pings and a timeout (Config.PingInterval/PingTimeout, Tick)
//	send_rtmp_message(pid, msg, stream_id, forced_ts)  Step(SendMessage{StreamID, Body, Timestamp, ForceTimestamp})
//	send_stream_zero_begin(pid)                        Step(BeginStreamZero{}); also sends Set Chunk Size (ChangeChunkSize)
//	set_event_handler(pid, ...)                        none: events are returned as effects
//	set_rtmp_output_handler(pid, ...)                  none: Send effects are returned
//	(no seed counterpart: socket closed)               Step(Close{}); Step(Tick{Now})
//	event ConnectionRequested                          ConnectionRequested (plus tcUrl, flashVer, swfUrl, pageUrl, query, all properties, extra args)
//	event PublishStreamRequested                       PublishStreamRequested (plus Type live/record/append, Query)
//	event PlayStreamRequested                          PlayStreamRequested (Start as sent, Type any/live/recorded, Play2)
//	event StreamMetaDataChanged                        StreamMetaDataChanged (every key, in order)
//	event AudioVideoDataReceived                       AudioVideoDataReceived (fields in *Media)
//	event PublishingFinished                           PublishingFinished (exactly once per PublishingStarted)
//	event PlayStreamFinished                           PlayStreamFinished (exactly once per PlayStreamStarted)
//	event PeerChunkSizeChanged                         PeerChunkSizeChanged (raised; the seed never did)
//	event NewByteIOTotals                              ByteTotalsReported
//	event AcknowledgementReceived                      AcknowledgementReceived
//	event PingRequestSent                              PingRequestSent
//	event PingResponseReceived                         PingResponseReceived
//	event ReleaseStreamRequested                       ReleaseStreamRequested (raised; answered with _result)
//	event UnhandleableAmf0Command                      CommandUnhandled (raised, with the command and its transaction id)
//	(new events)                                       PublishingStarted, PlayStreamStarted, StreamDeleted, BufferLengthSet,
//	                                                   StreamMetaDataCleared, DataReceived, PeerBandwidthSet, FCPublishRequested,
//	                                                   FCUnpublishRequested, FCSubscribeRequested, FCUnsubscribeRequested,
//	                                                   StreamLengthRequested, ReceiveAudioChanged, ReceiveVideoChanged,
//	                                                   PauseRequested, SeekRequested, MessageIgnored, ProtocolViolated
//
// # Corrections to the seed
//
// Ping requests are answered; Acknowledgements are sent against the
// client's window; requests can be rejected with the right status code;
// connect is answered with the client's transaction id; releaseStream,
// FCPublish, FCUnpublish, getStreamLength and commands in the wrong state
// are answered; media and data for unknown streams are ignored with an
// event instead of a crash; numbers are floats throughout (deleteStream,
// play start -1); record and append publishing work; the configured chunk
// size is sent. NetStream.Publish.Start (and onFCPublish, which carries the
// same code) is sent only after the application accepted. User Control
// Stream Begin travels on message stream 0, as the specification says.
//
// # Where we differ from the seed on purpose
//
// A ping is answered by anything the peer sends, and a publisher that
// sends no media for Config.PublishIdleTimeout is let go (see Liveness).
// Commands that come while the connect waits run after its Accept, and
// commands before any connect are ignored (see above). A play starts with
// Stream Begin, NetStream.Play.Start and |RtmpSampleAccess, as with
// nginx-rtmp, but not the seed's onStatus NetStream.Data.Start data
// message unless Config.SendDataStart asks for it: FFmpeg (ffprobe,
// ffplay, ffmpeg -map 0) shows that message as a third, codec-less stream
// beside the published audio and video. |RtmpSampleAccess and Data.Start
// carry timestamp 0, which FFmpeg reads as stream metadata.
package core
