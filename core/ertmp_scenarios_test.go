package core_test

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

// Enhanced RTMP media for the transcripts, built with codec/flv. The codec
// data is short and made up: the session never looks inside media.
var (
	hvcConfig = []byte{0x01, 0x01, 0x60, 0x00, 0x00, 0x00, 0x90, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3c, 0xf0, 0x00, 0xfc}
	av1Config = []byte{0x81, 0x00, 0x0c, 0x00, 0x0a, 0x0b, 0x00, 0x00, 0x00, 0x24, 0xcf, 0x7f, 0x0d, 0xbf, 0xff, 0x30}
	opusHead  = []byte("OpusHead\x01\x02\x38\x01\x80\xbb\x00\x00\x00\x00\x00")

	hevcStart = message.Video{Payload: flv.AppendVideo(nil, flv.FrameKey, flv.VideoSequenceStart, flv.FourCCHEVC, 0, hvcConfig)}
	hevcKey   = message.Video{Payload: flv.AppendVideo(nil, flv.FrameKey, flv.VideoCodedFrames, flv.FourCCHEVC, 80, []byte{0, 0, 0, 5, 0x26, 0x01, 0xaf, 0x1d, 0x80})}
	hevcInter = message.Video{Payload: flv.AppendVideo(nil, flv.FrameInter, flv.VideoCodedFramesX, flv.FourCCHEVC, 0, []byte{0, 0, 0, 4, 0x02, 0x01, 0xd0, 0x09})}
	hevcEnd   = message.Video{Payload: flv.AppendVideo(nil, flv.FrameKey, flv.VideoSequenceEnd, flv.FourCCHEVC, 0, nil)}
	opusStart = message.Audio{Payload: flv.AppendAudio(nil, flv.AudioSequenceStart, flv.FourCCOpus, opusHead)}
	opusFrame = message.Audio{Payload: flv.AppendAudio(nil, flv.AudioCodedFrames, flv.FourCCOpus, []byte{0xfc, 0xff, 0xfe})}

	// Two video tracks in one message: track 0 HEVC (the default), track 1 AV1.
	twoTrackStart = message.Video{Payload: flv.AppendVideoMultitrack(nil, flv.FrameKey, flv.VideoSequenceStart, []flv.VideoTrack{
		{ID: 0, FourCC: flv.FourCCHEVC, Data: hvcConfig},
		{ID: 1, FourCC: flv.FourCCAV1, Data: av1Config},
	})}
	twoTrackKey = message.Video{Payload: flv.AppendVideoMultitrack(nil, flv.FrameKey, flv.VideoCodedFrames, []flv.VideoTrack{
		{ID: 0, FourCC: flv.FourCCHEVC, Data: []byte{0, 0, 0, 3, 0x26, 0x01, 0xaf}},
		{ID: 1, FourCC: flv.FourCCAV1, Data: []byte{0x12, 0x00, 0x32, 0x05, 0x10}},
	})}
)

// track0 is the default track of a multitrack message as a single-track
// message: what a player without multitrack receives.
func track0(v message.Video) message.Video {
	p, err := flv.ExtractVideoTrack(nil, v.Payload, 0)
	if err != nil {
		panic(err)
	}
	return message.Video{Payload: p}
}

// fourCCNumber is a FourCC as the number enhanced onMetaData carries.
func fourCCNumber(f flv.FourCC) float64 { return float64(f) }

// connectEnhancedEncoder is an Enhanced RTMP v2 encoder's connect: the v1
// list and the v2 maps side by side, as the specification advises during
// the transition, and capsEx reconnect and multitrack.
func connectEnhancedEncoder() core.Input {
	return call(0, "connect", 1, obj(
		"app", "live",
		"type", "nonprivate",
		"flashVer", "FMLE/3.0 (compatible; FMSc/1.0)",
		"tcUrl", "rtmp://127.0.0.1/live",
		"fourCcList", amf0.StrictArray{"hvc1", "av01", "Opus"},
		"videoFourCcInfoMap", obj("hvc1", 2.0, "av01", 2.0),
		"audioFourCcInfoMap", obj("Opus", 2.0),
		"capsEx", 3.0,
	))
}

// connectMultitrackPlayer is a v2 player that decodes HEVC and AV1,
// forwards anything, and reads multitrack and ModEx.
func connectMultitrackPlayer() core.Input {
	return call(0, "connect", 1, obj(
		"app", "live",
		"flashVer", "LNX 9,0,124,2",
		"tcUrl", "rtmp://127.0.0.1/live",
		"videoFourCcInfoMap", obj("*", 4.0, "hvc1", 1.0, "av01", 1.0),
		"audioFourCcInfoMap", obj("*", 4.0, "Opus", 1.0),
		"capsEx", 6.0,
	))
}

// ertmpScenarios are the Enhanced RTMP transcripts: negotiation, HEVC and
// multitrack publishing, legacy and multitrack players, reconnect.
func ertmpScenarios() []scenario {
	return []scenario{
		{
			name: "ertmp-publish",
			about: "Enhanced RTMP v2 encoder publishing HEVC + Opus, then two video tracks (HEVC and AV1).\n" +
				"connect declares fourCcList, the FourCC info maps (encode) and capsEx reconnect|multitrack;\n" +
				"the _result announces the server's lists and capsEx. Enhanced onMetaData keeps the FourCC\n" +
				"codec ids and videoTrackIdInfoMap; the session passes media through untouched.",
			inputs: []core.Input{
				core.BeginStreamZero{},
				connectEnhancedEncoder(),
				core.Accept{Request: 1},
				call(0, "releaseStream", 2, nil, "demo"),
				call(0, "FCPublish", 3, nil, "demo"),
				call(0, "createStream", 4, nil),
				call(1, "publish", 5, nil, "demo", "live"),
				core.Accept{Request: 2},
				data(1, "@setDataFrame", "onMetaData", amf0.ECMAArray(obj(
					"width", 1920.0, "height", 1080.0, "framerate", 30.0,
					"videocodecid", fourCCNumber(flv.FourCCHEVC), "audiocodecid", fourCCNumber(flv.FourCCOpus),
					"videoTrackIdInfoMap", obj("1", obj("width", 1280.0, "height", 720.0, "videocodecid", fourCCNumber(flv.FourCCAV1)))))),
				recv(0, 1, hevcStart),
				recv(0, 1, opusStart),
				recv(0, 1, hevcKey),
				recv(20, 1, opusFrame),
				recv(33, 1, hevcInter),
				recv(66, 1, hevcEnd),
				recv(66, 1, twoTrackStart),
				recv(66, 1, twoTrackKey),
				call(0, "FCUnpublish", 6, nil, "demo"),
				call(0, "deleteStream", 7, nil, 1.0),
			},
		},
		{
			name: "ertmp-play-legacy",
			about: "A legacy player (FFmpeg's connect, no fourCcList) plays a two-track stream: the _result\n" +
				"is exactly the legacy one, the session records no capabilities, and the application\n" +
				"sends the default track (track 0) as plain single-track messages.",
			inputs: []core.Input{
				core.BeginStreamZero{},
				connectPlayer("live", "rtmp://127.0.0.1:1935/live"),
				core.Accept{Request: 1},
				call(0, "createStream", 2, nil),
				call(1, "play", 3, nil, "demo", -2000.0),
				core.Accept{Request: 2},
				core.SendMessage{StreamID: 1, Body: track0(twoTrackStart), Timestamp: 66, ForceTimestamp: true},
				core.SendMessage{StreamID: 1, Body: track0(twoTrackKey), Timestamp: 66, ForceTimestamp: true},
				core.RequestReconnect{TCURL: "rtmp://127.0.0.2/live"},
				call(0, "deleteStream", 4, nil, 1.0),
			},
		},
		{
			name: "ertmp-play-multitrack",
			about: "An Enhanced RTMP v2 player declaring multitrack (capsEx multitrack|modex, decode hvc1 and\n" +
				"av01, forward anything) plays the two-track stream and gets every track as published.",
			inputs: []core.Input{
				core.BeginStreamZero{},
				connectMultitrackPlayer(),
				core.Accept{Request: 1},
				call(0, "createStream", 2, nil),
				call(1, "play", 3, nil, "demo"),
				core.Accept{Request: 2},
				core.SendMessage{StreamID: 1, Body: twoTrackStart, Timestamp: 66, ForceTimestamp: true},
				core.SendMessage{StreamID: 1, Body: twoTrackKey, Timestamp: 66, ForceTimestamp: true},
				call(0, "deleteStream", 4, nil, 1.0),
			},
		},
		{
			name: "ertmp-reconnect",
			about: "Reconnect Request to a client that declared capsEx reconnect: refused to the caller\n" +
				"before the connect is accepted; afterwards onStatus NetConnection.Connect.ReconnectRequest\n" +
				"(level status) on stream 0, with a new tcUrl and description, or with neither (reconnect\n" +
				"to the same URL). The session keeps serving the client until it leaves.",
			inputs: []core.Input{
				core.BeginStreamZero{},
				connectEnhancedEncoder(),
				core.RequestReconnect{TCURL: "rtmp://127.0.0.2/live"},
				core.Accept{Request: 1},
				core.RequestReconnect{TCURL: "rtmp://127.0.0.2:1935/live", Description: "server update"},
				core.RequestReconnect{},
				call(0, "createStream", 2, nil),
				core.Close{},
			},
		},
		{
			name: "ertmp-reconnect-undeclared",
			about: "Reconnect Request to a client that did not declare capsEx reconnect (a v2 player with\n" +
				"multitrack only): nothing is sent; the caller gets a CapabilityError.",
			inputs: []core.Input{
				connectMultitrackPlayer(),
				core.Accept{Request: 1},
				core.RequestReconnect{TCURL: "rtmp://127.0.0.2/live", Description: "server update"},
			},
		},
		{
			name: "ertmp-connect-shapes",
			about: "Negotiation read leniently: the command object as an ECMA array, an info map as an ECMA\n" +
				"array, entries that are not FourCCs or not numbers skipped, a fourCcList that is not a\n" +
				"strict array kept as an empty list, capsEx with unknown bits kept. The server announces\n" +
				"its configured capabilities (here: hvc1 and Opus, capsEx reconnect).",
			config: core.Config{Capabilities: core.Capabilities{
				VideoFourCCs: []core.FourCCInfo{{FourCC: "hvc1", Flags: core.CanForward | core.CanDecode}},
				AudioFourCCs: []core.FourCCInfo{{FourCC: "Opus", Flags: core.CanForward}},
				CapsEx:       core.CapsExReconnect,
			}},
			inputs: []core.Input{
				call(0, "connect", 3, amf0.ECMAArray(obj(
					"app", "live",
					"tcUrl", "rtmp://127.0.0.1/live",
					"fourCcList", "hvc1",
					"videoFourCcInfoMap", amf0.ECMAArray(obj("hvc1", 5.0, "toolong", 1.0, "vp09", "x", "av01", -1.0)),
					"capsEx", 17.0,
				))),
				core.Accept{Request: 1},
			},
		},
	}
}
