package core_test

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

const ms = 1_000_000 // one millisecond as a time.Duration

// scenarios are the golden transcripts: real client sequences first, then
// one per seed fault, each showing the corrected behaviour.
func scenarios() []scenario {
	return []scenario{
		{
			name: "ffmpeg_publish",
			about: "FFmpeg 5.1: ffmpeg -re -i in.flv -c copy -f flv rtmp://127.0.0.1/live/demo\n" +
				"Chunk size, connect, releaseStream, FCPublish, createStream, then publish once the\n" +
				"stream id is known, @setDataFrame, media; FCUnpublish and deleteStream at the end.",
			inputs: []core.Input{
				core.BeginStreamZero{},
				recv(0, 0, message.SetChunkSize{Size: 4096}),
				connectFFmpegPublish(),
				core.Accept{Request: 1},
				call(0, "releaseStream", 2, nil, "demo"),
				call(0, "FCPublish", 3, nil, "demo"),
				call(0, "createStream", 4, nil),
				call(1, "publish", 5, nil, "demo", "live"),
				core.Accept{Request: 2},
				data(1, "@setDataFrame", "onMetaData", amf0.ECMAArray(obj(
					"duration", 0.0, "width", 640.0, "height", 360.0, "videodatarate", 1171.875,
					"framerate", 25.0, "videocodecid", 7.0, "audiodatarate", 93.75,
					"audiosamplerate", 44100.0, "audiosamplesize", 16.0, "stereo", true,
					"audiocodecid", 10.0, "encoder", "Lavf59.27.100", "filesize", 0.0))),
				recv(0, 1, avcHeader),
				recv(0, 1, aacHeader),
				recv(40, 1, avcFrame),
				core.Tick{Now: 4000 * ms},
				core.BytesCounted{Received: 712_000, Sent: 3_900},
				call(0, "FCUnpublish", 6, nil, "demo"),
				call(0, "deleteStream", 7, nil, 1.0),
				core.Close{},
			},
		},
		{
			name: "ffmpeg_play",
			about: "FFmpeg 5.1: ffplay rtmp://127.0.0.1/live/demo\n" +
				"connect, Window Ack Size, createStream, FCSubscribe (live is \"any\"), play with\n" +
				"start -2000 (-2 s in milliseconds), Set Buffer Length 3000 ms; media sent by the\n" +
				"application with forced timestamps; deleteStream at the end.",
			inputs: []core.Input{
				core.BeginStreamZero{},
				connectPlayer("live", "rtmp://127.0.0.1:1935/live"),
				core.Accept{Request: 1},
				recv(0, 0, message.WindowAckSize{Size: 2_500_000}),
				call(0, "createStream", 2, nil),
				call(0, "FCSubscribe", 3, nil, "demo"),
				call(1, "play", 4, nil, "demo", -2000.0),
				recv(0, 0, message.SetBufferLength{StreamID: 1, Milliseconds: 3000}),
				core.Accept{Request: 2},
				core.SendMessage{StreamID: 1, Body: avcHeader, ForceTimestamp: true},
				core.SendMessage{StreamID: 1, Body: aacFrame, Timestamp: 23, ForceTimestamp: true},
				core.BytesCounted{Received: 1_900_000, Sent: 2_600_000},
				core.BytesCounted{Received: 2_600_000, Sent: 3_000_000},
				call(0, "deleteStream", 5, nil, 1.0),
				core.Close{},
			},
		},
		{
			name: "rtmpdump_play",
			about: "librtmp: rtmpdump -v -r rtmp://127.0.0.1/live/demo -o out.flv\n" +
				"connect, Window Ack Size, Set Buffer Length on stream 0, createStream, _checkbw\n" +
				"(answering onBWDone), play with start -1000 (live only, in milliseconds), Set\n" +
				"Buffer Length on the new stream; the connection then drops.",
			inputs: []core.Input{
				core.BeginStreamZero{},
				call(0, "connect", 1, obj(
					"app", "live", "flashVer", "LNX 10,0,32,18", "tcUrl", "rtmp://127.0.0.1:1935/live",
					"fpad", false, "capabilities", 15.0, "audioCodecs", 3191.0, "videoCodecs", 252.0,
					"videoFunction", 1.0)),
				core.Accept{Request: 1},
				recv(0, 0, message.WindowAckSize{Size: 2_500_000}),
				recv(0, 0, message.SetBufferLength{StreamID: 0, Milliseconds: 300}),
				call(0, "createStream", 2, nil),
				call(0, "_checkbw", 3, nil),
				call(1, "play", 4, nil, "demo", -1000.0),
				recv(0, 0, message.SetBufferLength{StreamID: 1, Milliseconds: 36_000_000}),
				core.Accept{Request: 2},
				core.SendMessage{StreamID: 1, Body: message.Data{Values: []amf0.Value{"onMetaData", amf0.ECMAArray(obj("width", 640.0))}}, ForceTimestamp: true},
				core.SendMessage{StreamID: 1, Body: avcHeader, ForceTimestamp: true},
				core.Close{},
			},
		},
		{
			name: "obs_publish",
			about: "OBS Studio (librtmp), Enhanced RTMP capable: server rtmp://127.0.0.1/live, key demo?auth=abc\n" +
				"connect with fourCcList, answered with the server's Enhanced RTMP lists and capsEx;\n" +
				"releaseStream, FCPublish, createStream, publish,\n" +
				"@setDataFrame with OBS's keys, media, then FCUnpublish and deleteStream.",
			inputs: []core.Input{
				core.BeginStreamZero{},
				call(0, "connect", 1, obj(
					"app", "live", "type", "nonprivate", "flashVer", "FMLE/3.0 (compatible; FMSc/1.0)",
					"swfUrl", "rtmp://127.0.0.1/live", "tcUrl", "rtmp://127.0.0.1/live",
					"fourCcList", amf0.StrictArray{"av01", "vp09", "hvc1"})),
				core.Accept{Request: 1},
				recv(0, 0, message.SetChunkSize{Size: 4096}),
				call(0, "releaseStream", 2, nil, "demo?auth=abc"),
				call(0, "FCPublish", 3, nil, "demo?auth=abc"),
				call(0, "createStream", 4, nil),
				call(1, "publish", 5, nil, "demo?auth=abc", "live"),
				core.Accept{Request: 2},
				data(1, "@setDataFrame", "onMetaData", amf0.ECMAArray(obj(
					"duration", 0.0, "fileSize", 0.0, "width", 1280.0, "height", 720.0,
					"videocodecid", 7.0, "videodatarate", 2500.0, "framerate", 30.0,
					"audiocodecid", 10.0, "audiodatarate", 160.0, "audiosamplerate", 48000.0,
					"audiosamplesize", 16.0, "audiochannels", 2.0, "stereo", true,
					"2.1", false, "3.1", false, "4.0", false, "4.1", false, "5.1", false, "7.1", false,
					"encoder", "obs-output module (libobs version 30.0.2)"))),
				recv(0, 1, avcHeader),
				recv(0, 1, aacHeader),
				call(0, "FCUnpublish", 6, nil, "demo?auth=abc"),
				call(0, "deleteStream", 7, nil, 1.0),
			},
		},
		{
			name:  "fault_ping_request_unanswered",
			about: "Seed fault: it never answers a client's ping request. Corrected: a Ping Response\nwith the same timestamp, at once.",
			inputs: []core.Input{
				core.Tick{Now: 1500 * ms},
				recv(0, 0, message.PingRequest{Timestamp: 123_456}),
				core.SendPing{},
				recv(0, 0, message.PingResponse{Timestamp: 1500}),
			},
		},
		{
			name: "ping_interval_and_timeout",
			about: "Not in the seed (it has no timers): pings every interval, and a ping left\n" +
				"unanswered past the timeout, with nothing else received either, closes the\n" +
				"session, finishing its streams.",
			config: core.Config{PingInterval: 10_000 * ms, PingTimeout: 5_000 * ms, PublishIdleTimeout: -1},
			inputs: []core.Input{
				connectFFmpegPublish(),
				core.Accept{Request: 1},
				core.Tick{Now: 9_999 * ms},
				core.Tick{Now: 10_000 * ms},
				recv(0, 0, message.PingResponse{Timestamp: 10_000}),
				call(0, "createStream", 2, nil),
				call(1, "publish", 3, nil, "demo"),
				core.Accept{Request: 2},
				core.Tick{Now: 20_000 * ms},
				core.Tick{Now: 25_000 * ms},
				core.Tick{Now: 26_000 * ms},
			},
		},
		{
			name: "fault_no_acknowledgements",
			about: "Seed fault: it never sends Acknowledgements and ignores the client's window.\n" +
				"Corrected: each time the bytes received since the last one reach the window, an\n" +
				"Acknowledgement with the total (modulo 2^32).",
			inputs: []core.Input{
				core.BytesCounted{Received: 4_000, Sent: 100},
				recv(0, 0, message.WindowAckSize{Size: 5_000}),
				core.BytesCounted{Received: 4_999, Sent: 200},
				core.BytesCounted{Received: 5_000, Sent: 200},
				core.BytesCounted{Received: 9_999, Sent: 300},
				core.BytesCounted{Received: 12_000, Sent: 300},
				core.BytesCounted{Received: 1<<32 + 20_000, Sent: 400},
			},
		},
		{
			name: "fault_no_reject_publish_play",
			about: "Seed fault: there is no reject; a refused request stays queued forever.\n" +
				"Corrected: Reject answers publish with NetStream.Publish.BadName or Denied and play\n" +
				"with NetStream.Play.StreamNotFound or Failed; the stream can be used again.",
			inputs: []core.Input{
				connectFFmpegPublish(),
				core.Accept{Request: 1},
				call(0, "createStream", 2, nil),
				call(1, "publish", 3, nil, "taken", "live"),
				core.Reject{Request: 2, Reason: core.RejectBadName, Description: "taken is already published"},
				call(1, "publish", 4, nil, "secret"),
				core.Reject{Request: 3},
				call(0, "createStream", 5, nil),
				call(2, "play", 6, nil, "nothing"),
				core.Reject{Request: 4, Reason: core.RejectBadName},
				call(2, "play", 7, nil, "private"),
				core.Reject{Request: 5, Description: "not for you"},
				call(2, "play", 8, nil, "public"),
				core.Accept{Request: 6},
			},
		},
		{
			name: "fault_no_reject_connect",
			about: "Seed fault: a connect cannot be refused. Corrected: _error with\n" +
				"NetConnection.Connect.Rejected and the client's transaction id, then Disconnect;\n" +
				"the closed session ignores what follows.",
			inputs: []core.Input{
				core.BeginStreamZero{},
				call(0, "connect", 1, obj("app", "live?token=wrong", "tcUrl", "rtmp://127.0.0.1/live?token=wrong")),
				core.Reject{Request: 1, Description: "bad token"},
				call(0, "createStream", 2, nil),
				core.Accept{Request: 1},
			},
		},
		{
			name: "fault_connect_transaction_id",
			about: "Seed fault: _result for connect always carries transaction id 1. Corrected: the\n" +
				"client's id; objectEncoding 3 is echoed; the app loses its trailing slash and\n" +
				"query, which is exposed; extra connect arguments are kept.",
			inputs: []core.Input{
				call(0, "connect", 7, amf0.ECMAArray(obj(
					"app", "live/?key=k1", "tcUrl", "rtmp://example.com/live/?key=k1",
					"flashVer", "WIN 32,0,0,0", "swfUrl", "https://example.com/player.swf",
					"pageUrl", "https://example.com/", "objectEncoding", 3.0)),
					"extra", 42.0),
				core.Accept{Request: 1},
			},
		},
		{
			name: "fault_unanswered_commands",
			about: "Seed fault: no reply at all to releaseStream, FCPublish, FCUnpublish,\n" +
				"getStreamLength or to commands in the wrong state. Corrected: each raises its\n" +
				"event and answers _result with the client's transaction id (onFCPublish follows\n" +
				"the accepted publish, onFCUnpublish the FCUnpublish); wrong-state and unknown\n" +
				"commands raise CommandUnhandled and get _error (publish gets an onStatus error).\n" +
				"Commands before any connect are ignored; those while it waits run after the Accept.",
			inputs: []core.Input{
				call(0, "createStream", 1, nil),
				call(1, "publish", 0, nil, "early"),
				connectFFmpegPublish(),
				call(0, "createStream", 2, nil),
				call(0, "connect", 3, obj("app", "again")),
				core.Accept{Request: 1},
				call(0, "releaseStream", 4, nil, "demo"),
				call(0, "FCPublish", 5, nil, "demo"),
				call(0, "getStreamLength", 6, nil, "demo"),
				call(0, "createStream", 7, nil),
				call(1, "publish", 8, nil, "demo"),
				core.Accept{Request: 2},
				call(1, "publish", 9, nil, "demo"),
				call(1, "pause", 10, nil, true, 0.0),
				call(0, "noSuchCommand", 11, nil, "x"),
				call(0, "noSuchNotification", 0, nil),
				call(0, "FCUnpublish", 12, nil, "demo"),
			},
		},
		{
			name: "fault_media_unknown_stream",
			about: "Seed fault: media or data on an unknown or non-publishing stream crashes the\n" +
				"session. Corrected: MessageIgnored, and the session goes on.",
			inputs: []core.Input{
				recv(0, 9, avcFrame),
				data(9, "@setDataFrame", "onMetaData", obj("width", 1.0)),
				connectFFmpegPublish(),
				core.Accept{Request: 1},
				call(0, "createStream", 2, nil),
				recv(0, 1, aacFrame),
				call(1, "publish", 3, nil, "demo"),
				recv(0, 1, aacFrame),
				core.Accept{Request: 2},
				recv(0, 1, aacFrame),
				recv(0, 1, message.SharedObject{Payload: []byte{1}}),
				recv(0, 1, message.Unknown{TypeID: 99, Payload: []byte{1, 2}}),
				recv(0, 0, message.UnknownUserControl{Event: 31, Data: []byte{0}}),
			},
		},
		{
			name: "fault_float_numbers",
			about: "Seed fault: AMF0 numbers are floats but the seed matches integers, so\n" +
				"deleteStream misses its stream and play start -1 crashes; deleteStream also always\n" +
				"says PublishingFinished. Corrected: floats throughout; -1 and -1000 mean live,\n" +
				"0 or more recorded, anything else any; deleteStream finishes what really ran.",
			inputs: []core.Input{
				connectPlayer("live", "rtmp://127.0.0.1/live"),
				core.Accept{Request: 1},
				call(0, "createStream", 2, nil),
				call(1, "play", 3, nil, "a", -1.0, -1.0, false),
				core.Accept{Request: 2},
				call(0, "deleteStream", 4, nil, 1.0),
				call(0, "deleteStream", 5, nil, 1.0),
				call(0, "createStream", 6, nil),
				call(2, "play", 7, nil, "b", 2500.0, 10000.0),
				call(0, "createStream", 8, nil),
				call(3, "play2", 9, nil, obj("streamName", "c", "start", -2.0, "len", -1.0, "transition", "reset")),
				call(0, "deleteStream", 10, nil, 2.5),
			},
		},
		{
			name: "fault_only_live_publishing",
			about: "Seed fault: only publish [key, \"live\"] is handled; record, append or no type get\n" +
				"no reply. Corrected: all three, the type optional; an unknown type is refused.",
			inputs: []core.Input{
				connectFFmpegPublish(),
				core.Accept{Request: 1},
				call(0, "createStream", 2, nil),
				call(0, "createStream", 3, nil),
				call(0, "createStream", 4, nil),
				call(0, "createStream", 5, nil),
				call(1, "publish", 6, nil, "r", "record"),
				call(2, "publish", 7, nil, "a", "append"),
				call(3, "publish", 8, nil, "n"),
				call(4, "publish", 9, nil, "x", "sideways"),
				core.Accept{Request: 2},
				core.Accept{Request: 3},
				core.Accept{Request: 4},
			},
		},
		{
			name: "fault_chunk_size_never_sent",
			about: "Seed fault: the configured chunk size is never sent, so output stays at 128.\n" +
				"Corrected: stream-zero begin sends Set Chunk Size and tells the encoder; a second\n" +
				"begin is a caller error.",
			config: core.Config{ChunkSize: 60_000, PeerBandwidth: 5_000_000, WindowAckSize: 2_500_000, FMSVersion: "FMS/5,0,17,0"},
			inputs: []core.Input{
				core.BeginStreamZero{},
				core.BeginStreamZero{},
				core.SendMessage{Body: message.SetChunkSize{Size: 1024}},
			},
		},
		{
			name: "fault_events_never_raised",
			about: "Seed fault: PeerChunkSizeChanged, ReleaseStreamRequested and\n" +
				"UnhandleableAmf0Command (here CommandUnhandled) are defined but never raised.\n" +
				"Corrected: all raised; Set Peer Bandwidth is honoured and answered too.",
			inputs: []core.Input{
				recv(0, 0, message.SetChunkSize{Size: 65536}),
				connectFFmpegPublish(),
				core.Accept{Request: 1},
				call(0, "releaseStream", 2, nil, "demo"),
				call(0, "whatIsThis", 3, nil),
				recv(0, 0, message.Acknowledgement{SequenceNumber: 4096}),
				recv(0, 0, message.SetPeerBandwidth{Size: 1_000_000, Limit: message.LimitHard}),
				recv(0, 0, message.SetPeerBandwidth{Size: 2_000_000, Limit: message.LimitSoft}),
				recv(0, 0, message.SetPeerBandwidth{Size: 500_000, Limit: message.LimitDynamic}),
			},
		},
		{
			name: "fault_unknown_request_id",
			about: "Seed fault: accepting an unknown request id crashes. Corrected: a CallerError\n" +
				"and an unchanged session, also for an id already answered.",
			inputs: []core.Input{
				core.Accept{Request: 42},
				connectFFmpegPublish(),
				core.Accept{Request: 1},
				core.Accept{Request: 1},
				core.Reject{Request: 1},
				core.SendMessage{StreamID: 5, Body: avcFrame},
			},
		},
		{
			name: "close_finishes_streams",
			about: "Session close: every started stream finishes exactly once, pending requests\n" +
				"are dropped, and nothing follows the Disconnect.",
			inputs: []core.Input{
				connectFFmpegPublish(),
				core.Accept{Request: 1},
				call(0, "createStream", 2, nil),
				call(0, "createStream", 3, nil),
				call(0, "createStream", 4, nil),
				call(1, "publish", 5, nil, "pub"),
				call(2, "play", 6, nil, "other"),
				call(3, "play", 7, nil, "pending"),
				core.Accept{Request: 2},
				core.Accept{Request: 3},
				call(2, "closeStream", 0, nil),
				call(2, "play", 8, nil, "again"),
				core.Accept{Request: 5},
				core.Close{},
				core.Accept{Request: 4},
				recv(0, 1, avcFrame),
			},
		},
		{
			name: "protocol_violation",
			about: "A peer protocol error (connect without a command object) closes the session with\n" +
				"a typed error; the terminal session ignores further input.",
			inputs: []core.Input{
				call(0, "connect", 1, nil),
				connectFFmpegPublish(),
			},
		},
		{
			name: "player_controls",
			about: "receiveAudio, receiveVideo, pause/unpause, seek (live: Seek.Failed),\n" +
				"@clearDataFrame and other data on a publishing stream, FCUnsubscribe.",
			inputs: []core.Input{
				connectPlayer("live", "rtmp://127.0.0.1/live"),
				core.Accept{Request: 1},
				call(0, "createStream", 2, nil),
				call(1, "play", 3, nil, "demo"),
				core.Accept{Request: 2},
				call(1, "receiveAudio", 0, nil, false),
				call(1, "receiveVideo", 0, nil, true),
				call(1, "pause", 0, nil, true, 1234.0),
				call(1, "pause", 0, nil, false, 1234.0),
				call(1, "seek", 0, nil, 5000.0),
				call(0, "FCUnsubscribe", 4, nil, "demo"),
				call(0, "createStream", 5, nil),
				call(2, "publish", 6, nil, "cam"),
				core.Accept{Request: 3},
				data(2, "onMetaData", obj("width", 320.0)),
				data(2, "onTextData", obj("text", "hello")),
				data(2, "@clearDataFrame", "onMetaData"),
				call(2, "closeStream", 0, nil),
			},
		},
	}
}
