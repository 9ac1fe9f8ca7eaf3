package core_test

import "github.com/gortmp/rtmp/core"

// playScenarios show what a player is sent at the start of a play.
func playScenarios() []scenario {
	return []scenario{
		{
			name: "play_data_start_opt_in",
			about: "The seed sends onStatus NetStream.Data.Start as a data message at every play\n" +
				"start; FFmpeg shows it as a third, codec-less stream. It is sent only with\n" +
				"Config.SendDataStart (for old Flash clients that wait for it), and, like\n" +
				"|RtmpSampleAccess, at timestamp 0 whatever the session time, as nginx-rtmp does.",
			config: core.Config{SendDataStart: true},
			inputs: []core.Input{
				connectPlayer("live", "rtmp://127.0.0.1:1935/live"),
				core.Accept{Request: 1},
				core.Tick{Now: 1_500 * ms},
				call(0, "createStream", 2, nil),
				call(1, "play", 3, nil, "demo"),
				core.Accept{Request: 2},
			},
		},
	}
}
