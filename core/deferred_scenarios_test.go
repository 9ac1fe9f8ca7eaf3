package core_test

import (
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

// deferredScenarios show commands that come before the connect is
// accepted.
func deferredScenarios() []scenario {
	return []scenario{
		{
			name: "ffmpeg_checkbw_before_accept",
			about: "FFmpeg 5.1 playing: it answers onBWDone, sent at stream-zero begin, with\n" +
				"_checkbw, which often arrives while the application still decides on the connect.\n" +
				"Not in the seed: the call waits and is answered right after the connect's _result,\n" +
				"as if it had come then; never with \"not connected\", which FFmpeg prints as a\n" +
				"server error.",
			inputs: []core.Input{
				core.BeginStreamZero{},
				connectPlayer("live", "rtmp://127.0.0.1:1935/live"),
				call(0, "_checkbw", 2, nil),
				core.Accept{Request: 1},
				recv(0, 0, message.WindowAckSize{Size: 2_500_000}),
				call(0, "createStream", 3, nil),
				call(1, "play", 4, nil, "demo", -2000.0),
				core.Accept{Request: 2},
			},
		},
		{
			name: "commands_before_connect_accepted",
			about: "Not in the seed: a command before any connect is ignored, with an event and no\n" +
				"answer, as nginx-rtmp ignores it. Commands that come while the connect waits are\n" +
				"held (up to MaxPendingRequests, 2 here; more are refused) and run in order after\n" +
				"the Accept, unknown ones answered as unknown then.",
			config: core.Config{MaxPendingRequests: 2},
			inputs: []core.Input{
				call(0, "createStream", 1, nil),
				call(1, "publish", 0, nil, "early"),
				connectFFmpegPublish(),
				call(0, "releaseStream", 2, nil, "demo"),
				call(0, "noSuchCommand", 3, nil),
				call(0, "createStream", 4, nil),
				call(0, "FCPublish", 0, nil, "demo"),
				core.Accept{Request: 1},
				call(0, "createStream", 5, nil),
			},
		},
		{
			name: "commands_dropped_with_rejected_connect",
			about: "Not in the seed: commands held while the connect waits go with it when it is\n" +
				"rejected; only the connect's _error is sent.",
			inputs: []core.Input{
				connectFFmpegPublish(),
				call(0, "_checkbw", 2, nil),
				call(0, "createStream", 3, nil),
				core.Reject{Request: 1, Description: "no such app"},
			},
		},
	}
}
