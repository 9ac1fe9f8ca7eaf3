package client_test

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

func scenarios() []scenario {
	return []scenario{
		{
			name: "client-publish",
			about: "A publisher: connect with Enhanced RTMP extras, createStream, publish live, metadata,\n" +
				"media, byte counts against the server's window, then deleteStream with FCUnpublish.",
			inputs: join(
				[]client.Input{client.Connect{
					App: "live", TCURL: "rtmp://127.0.0.1:1935/live", ObjectEncoding: 0,
					Extra: amf0.Object{{Key: "fourCcList", Value: amf0.StrictArray{"hvc1", "av01"}}},
				}},
				serverOpening(),
				[]client.Input{
					client.CreateStream{Request: 7},
					recv(0, reply("_result", 2, nil, 1.0)),
					client.Publish{StreamID: 1, Name: "key", Type: client.PublishLive},
					recv(1, status("status", "NetStream.Publish.Start", "key is now published.")),
					client.SendMetaData{StreamID: 1, MetaData: metaData},
					client.SendMessage{StreamID: 1, Timestamp: 0, Body: keyframe},
					client.SendMessage{StreamID: 1, Timestamp: 23, Body: aacFrame},
					client.SendMessage{StreamID: 1, Timestamp: 66, Body: interframe},
					client.BytesCounted{Received: 3000, Sent: 90000},
					client.BytesCounted{Received: 4999, Sent: 190000},
					client.BytesCounted{Received: 5000, Sent: 290000},
					recv(0, message.Acknowledgement{SequenceNumber: 290000}),
					client.DeleteStream{StreamID: 1},
					client.Close{},
				},
			),
		},
		{
			name: "client-play",
			about: "A player: play answered the nginx-rtmp way (Stream Begin, Play.Reset, Play.Start,\n" +
				"|RtmpSampleAccess, bare onMetaData), media, ping, buffer length, then Play.Stop.",
			inputs: join(
				[]client.Input{connectInput()},
				serverOpening(),
				[]client.Input{
					client.CreateStream{Request: 1},
					recv(0, reply("_result", 2, nil, 1.0)),
					client.Play{StreamID: 1, Name: "key", Start: -2},
					recv(0, message.StreamBegin{StreamID: 1}),
					recv(1, status("status", "NetStream.Play.Reset", "Playing and resetting key.")),
					recv(1, status("status", "NetStream.Play.Start", "Started playing key.")),
					recv(1, message.Data{Values: []amf0.Value{"|RtmpSampleAccess", true, true}}),
					recv(1, message.Data{Values: []amf0.Value{"onMetaData", metaData}}),
					recvAt(0, 1, keyframe),
					recvAt(23, 1, aacFrame),
					recv(0, message.PingRequest{Timestamp: 12345}),
					client.SetBufferLength{StreamID: 1, Milliseconds: 3000},
					client.BytesCounted{Received: 6000},
					recv(0, message.StreamEOF{StreamID: 1}),
					recv(1, status("status", "NetStream.Play.Stop", "Stopped playing key.")),
					recvAt(66, 1, interframe),
					client.Close{},
				},
			),
		},
		{
			name:  "client-connect-refused",
			about: "The server refuses connect with _error: ConnectFailed, then the session ends.",
			inputs: []client.Input{
				connectInput(),
				recv(0, reply("_error", 1, nil, amf0.Object{
					{Key: "level", Value: "error"}, {Key: "code", Value: "NetConnection.Connect.Rejected"},
					{Key: "description", Value: "bad app"}})),
				client.CreateStream{Request: 1},
			},
		},
		{
			name: "client-refusals",
			about: "Every refusal has its event: createStream _error, publish BadName, play _error,\n" +
				"an unknown _result, and the Enhanced RTMP reconnect request.",
			inputs: join(
				[]client.Input{connectInput()},
				serverOpening(),
				[]client.Input{
					client.CreateStream{Request: 1},
					recv(0, reply("_error", 2, nil, amf0.Object{{Key: "level", Value: "error"},
						{Key: "code", Value: "NetStream.Failed"}, {Key: "description", Value: "too many streams"}})),
					client.CreateStream{Request: 2},
					recv(0, reply("_result", 3, nil, 1.0)),
					client.Publish{StreamID: 1, Name: "taken", Type: client.PublishRecord},
					recv(1, status("error", "NetStream.Publish.BadName", "Already publishing")),
					client.Play{StreamID: 1, Name: "missing", Start: -1},
					recv(0, reply("_error", 5, nil, amf0.Object{{Key: "level", Value: "error"},
						{Key: "code", Value: "NetStream.Play.StreamNotFound"}, {Key: "description", Value: "no such stream"}})),
					recv(0, reply("_result", 99, nil)),
					recv(0, message.Command{Name: "onStatus", Args: []amf0.Value{amf0.Object{
						{Key: "level", Value: "status"}, {Key: "code", Value: "NetConnection.Connect.ReconnectRequest"},
						{Key: "description", Value: "maintenance"}, {Key: "tcUrl", Value: "rtmp://127.0.0.2/live"}}}}),
					client.Close{},
				},
			),
		},
		{
			name: "client-streams",
			about: "Two streams on one connection, one publishing and one playing, media routed by stream;\n" +
				"closing with a pending play fails it and finishes the publish.",
			inputs: join(
				[]client.Input{connectInput()},
				serverOpening(),
				[]client.Input{
					client.CreateStream{Request: 1},
					client.CreateStream{Request: 2},
					recv(0, reply("_result", 3, nil, 2.0)),
					recv(0, reply("_result", 2, nil, 1.0)),
					client.Publish{StreamID: 1, Name: "up", Type: client.PublishAppend},
					client.Play{StreamID: 2, Name: "down", Start: -2},
					recv(1, status("status", "NetStream.Publish.Start", "up is now published.")),
					client.SendMessage{StreamID: 1, Timestamp: 40, Body: keyframe},
					client.SendMessage{StreamID: 2, Timestamp: 40, Body: keyframe},
					recvAt(40, 2, keyframe),
					recvAt(40, 1, keyframe),
					client.Close{},
				},
			),
		},
		{
			name: "client-fmle-publish",
			about: "A publisher configured as FMLE, OBS and FFmpeg publish: its window announced before connect,\n" +
				"releaseStream and FCPublish before publish, each call answered once (CallAnswered; a repeated\n" +
				"answer stays CommandUnhandled), and the FCUnpublish of deleteStream answered too.",
			config: client.Config{Window: 2500000, FMLECalls: true},
			inputs: join(
				[]client.Input{connectInput()},
				serverOpening(),
				[]client.Input{
					recv(0, message.SetPeerBandwidth{Size: 2500000, Limit: message.LimitHard}),
					client.CreateStream{Request: 1},
					recv(0, reply("_result", 2, nil, 1.0)),
					client.Publish{StreamID: 1, Name: "key"},
					recv(0, reply("_result", 3, nil)),
					recv(0, reply("_error", 4, nil)),
					recv(0, reply("_result", 3, nil)),
					recv(1, status("status", "NetStream.Publish.Start", "key is now published.")),
					client.DeleteStream{StreamID: 1},
					recv(0, reply("_result", 6, nil)),
					client.Close{},
				},
			),
		},
		{
			name:  "client-misuse",
			about: "Caller errors leave the session unchanged: each is reported and nothing is sent.",
			inputs: join(
				[]client.Input{
					client.CreateStream{Request: 1},
					connectInput(),
					connectInput(),
				},
				serverOpening(),
				[]client.Input{
					client.Publish{StreamID: 1, Name: "key"},
					client.CreateStream{Request: 1},
					client.CreateStream{Request: 1},
					client.SendMessage{StreamID: 1, Body: keyframe},
					client.DeleteStream{StreamID: 9},
					client.SetBufferLength{StreamID: 9, Milliseconds: 100},
					nil,
				},
			),
		},
	}
}
