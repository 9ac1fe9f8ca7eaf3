package core_test

import (
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

// publisherInputs is an FFmpeg-shaped publisher's connect and publish of
// live/demo on stream 1, every request accepted, and its sequence headers.
func publisherInputs() []core.Input {
	return []core.Input{
		connectFFmpegPublish(),
		core.Accept{Request: 1},
		call(0, "createStream", 2, nil),
		call(1, "publish", 3, nil, "demo", "live"),
		core.Accept{Request: 2},
		recv(0, 1, avcHeader),
		recv(0, 1, aacHeader),
	}
}

// livenessScenarios show the ping timeout measured from the peer's
// silence, not from its Ping Responses.
func livenessScenarios() []scenario {
	return []scenario{
		{
			name: "liveness_media_answers_pings",
			about: "Not in the seed (it has no timers): a publisher that never answers a ping (OBS\n" +
				"Studio discards what the server sends) stays connected while it sends: the first\n" +
				"message after a ping request, or a grown byte total, clears it, and the next\n" +
				"ping goes out at the interval. No PingResponseReceived: nothing was answered.",
			config: core.Config{PingInterval: 10_000 * ms, PingTimeout: 5_000 * ms, PublishIdleTimeout: -1},
			inputs: append(publisherInputs(),
				core.Tick{Now: 10_000 * ms},
				recv(10_000, 1, avcFrame),
				recv(10_033, 1, aacFrame),
				core.Tick{Now: 15_000 * ms},
				core.Tick{Now: 20_000 * ms},
				recv(20_000, 1, aacFrame),
				core.Tick{Now: 30_000 * ms},
				core.BytesCounted{Received: 70_000, Sent: 4_000},
				recv(30_000, 1, avcFrame),
				core.Tick{Now: 40_000 * ms},
				recv(0, 0, message.Acknowledgement{SequenceNumber: 9_000}),
				core.Tick{Now: 45_000 * ms},
				core.Tick{Now: 50_000 * ms},
				recv(50_000, 1, avcFrame),
				core.Tick{Now: 55_000 * ms},
			),
		},
		{
			name: "liveness_silent_peer_dropped",
			about: "Not in the seed (it has no timers): a peer that sends nothing after a ping\n" +
				"request is closed at the first Tick at or past the request plus the timeout, its\n" +
				"stream finished. A report of the same byte total is no sign of life.",
			config: core.Config{PingInterval: 10_000 * ms, PingTimeout: 5_000 * ms, PublishIdleTimeout: -1},
			inputs: append(publisherInputs(),
				core.BytesCounted{Received: 70_000, Sent: 4_000},
				core.Tick{Now: 10_000 * ms},
				recv(10_000, 1, avcFrame),
				core.Tick{Now: 20_000 * ms},
				core.BytesCounted{Received: 70_000, Sent: 4_100},
				core.Tick{Now: 24_999 * ms},
				core.Tick{Now: 25_000 * ms},
				core.Tick{Now: 26_000 * ms},
			),
		},
		{
			name: "publish_idle_timeout",
			about: "Not in the seed (it has no timers): a connection publishing a stream that\n" +
				"receives no audio or video for PublishIdleTimeout (4 s here) is closed and its\n" +
				"stream finishes. Time arrives only with Tick, so a flag raised by media is checked\n" +
				"every quarter of the timeout; the silence counts from the last check that found\n" +
				"media: the close comes 4 to 5 s after the last frame (here 5 s: from 4 s to 9 s).\n" +
				"Other messages (a data message, a ping request) are no media.",
			config: core.Config{PublishIdleTimeout: 4_000 * ms},
			inputs: append(publisherInputs(),
				core.Tick{Now: 1_000 * ms},
				recv(1_000, 1, avcFrame),
				recv(1_040, 1, avcFrame),
				core.Tick{Now: 2_000 * ms},
				core.Tick{Now: 3_000 * ms},
				core.Tick{Now: 4_000 * ms},
				recv(4_000, 1, aacFrame),
				core.Tick{Now: 5_000 * ms},
				data(1, "onCuePoint", "x"),
				recv(0, 0, message.PingRequest{Timestamp: 5}),
				core.Tick{Now: 6_000 * ms},
				core.Tick{Now: 7_000 * ms},
				core.Tick{Now: 8_000 * ms},
				core.Tick{Now: 8_999 * ms},
				core.Tick{Now: 9_000 * ms},
			),
		},
		{
			name: "publish_idle_timer_stops",
			about: "Not in the seed (it has no timers): the publisher idle timer runs only while a\n" +
				"stream publishes; a new publish restarts it with the whole timeout for the first\n" +
				"frame.",
			config: core.Config{PublishIdleTimeout: 4_000 * ms},
			inputs: append(publisherInputs(),
				call(1, "closeStream", 0, nil),
				core.Tick{Now: 30_000 * ms},
				call(1, "publish", 4, nil, "demo", "live"),
				core.Accept{Request: 3},
				core.Tick{Now: 33_000 * ms},
				core.Tick{Now: 34_000 * ms},
			),
		},
	}
}
