package core_test

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/amf3"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

// call3 is a command from a client that chose AMF3: type 17, the object
// and arguments behind the AVM+ switch, as Flash Player writes them.
func call3(stream uint32, name string, txid float64, obj amf0.Value, args ...amf0.Value) core.Input {
	c := message.Command{Name: name, TransactionID: txid, Object: obj, Args: args}
	return recv(0, stream, c.InAMF3())
}

// data3 is a data message from such a client: type 15.
func data3(stream uint32, vs ...amf0.Value) core.Input {
	return recv(0, stream, message.Data{Values: vs}.InAMF3())
}

// flashConnect is the connect object of a Flash Player application whose
// NetConnection.defaultObjectEncoding is 3.
func flashConnect(app string) amf0.Object {
	return obj(
		"app", app,
		"flashVer", "WIN 32,0,0,465",
		"swfUrl", "http://example.com/player.swf",
		"tcUrl", "rtmp://127.0.0.1/"+app,
		"fpad", false,
		"capabilities", 239.0,
		"audioCodecs", 3575.0,
		"videoCodecs", 252.0,
		"videoFunction", 1.0,
		"pageUrl", "http://example.com/",
		"objectEncoding", 3.0,
	)
}

// amf3Metadata is onMetaData as an AMF3 publisher sends it: an anonymous
// dynamic object, integers as AMF3 integers.
var amf3Metadata = amf0.AVMPlus{Value: amf3.Object{Dynamic: true, DynamicMembers: []amf3.Property{
	{Key: "width", Value: int32(640)},
	{Key: "height", Value: int32(360)},
	{Key: "framerate", Value: 29.97},
	{Key: "videocodecid", Value: int32(7)},
	{Key: "audiocodecid", Value: int32(10)},
	{Key: "stereo", Value: true},
	{Key: "encoder", Value: "Flash Media Live Encoder 3.2"},
}}}

func amf3Scenarios() []scenario {
	return []scenario{
		{
			name: "amf3-publish",
			about: "A Flash application with objectEncoding 3 publishes: connect as type 17 with the\n" +
				"command object behind the AVM+ switch, createStream, publish with an AMF3 stream name,\n" +
				"@setDataFrame as type 15 with an AMF3 object. The connect is answered in AMF0 (it\n" +
				"carries objectEncoding 3 back); everything after it in type 17 with AMF3 values.",
			inputs: []core.Input{
				core.BeginStreamZero{},
				call3(0, "connect", 1, flashConnect("live")),
				core.Accept{Request: 1},
				call3(0, "createStream", 2, nil),
				call3(1, "publish", 0, nil, "demo", "live"),
				core.Accept{Request: 2},
				recv(0, 1, message.Data{AMF3: true, Values: []amf0.Value{"@setDataFrame", "onMetaData", amf3Metadata}}),
				recv(0, 1, avcHeader),
				recv(0, 1, aacHeader),
				call3(0, "deleteStream", 0, nil, 1.0),
				core.Close{},
			},
		},
		{
			name: "amf3-play",
			about: "A Flash application with objectEncoding 3 plays: its connect is AMF0 (type 20)\n" +
				"asking for objectEncoding 3, then createStream and play (start -1, live) as type 17.\n" +
				"The relay's metadata, sent as AMF0 data, leaves as type 15 with an AMF3 object;\n" +
				"the status notices as type 17; media as they are.",
			inputs: []core.Input{
				core.BeginStreamZero{},
				call(0, "connect", 1, flashConnect("live")),
				core.Accept{Request: 1},
				call3(0, "createStream", 2, nil),
				call3(1, "play", 0, nil, "demo", -1.0),
				core.Accept{Request: 2},
				core.SendMessage{StreamID: 1, Body: message.Data{Values: []amf0.Value{
					"onMetaData", amf0.ECMAArray(obj("width", 640.0, "height", 360.0, "framerate", 29.97, "encoder", "Lavf59.27.100")),
				}}},
				core.SendMessage{StreamID: 1, Body: avcHeader, ForceTimestamp: true},
				call3(1, "receiveVideo", 0, nil, false),
				call3(1, "pause", 0, nil, true, 1200.0),
				call3(0, "deleteStream", 0, nil, 1.0),
				core.Close{},
			},
		},
		{
			name: "amf3-values",
			about: "AMF3 values of every shape a Flex or AIR client sends, as the session reads them:\n" +
				"a typed connect object, play2 options as a typed object, metadata as an AMF3 array,\n" +
				"a cue point with a byte array (no AMF0 counterpart: kept behind the switch), and an\n" +
				"unknown call answered with _error in AMF3.",
			inputs: []core.Input{
				core.BeginStreamZero{},
				recv(0, 0, message.Command{Name: "connect", TransactionID: 1, AMF3: true, Object: amf0.AVMPlus{Value: amf3.Object{
					ClassName: "flex.messaging.ConnectParams",
					Sealed:    []amf3.Property{{Key: "app", Value: "vod"}, {Key: "objectEncoding", Value: int32(3)}},
				}}}),
				core.Accept{Request: 1},
				call3(0, "createStream", 2, nil),
				call3(1, "play2", 0, nil, amf0.TypedObject{ClassName: "flash.net.NetStreamPlayOptions", Properties: obj(
					"streamName", "demo", "start", -1.0, "len", -1.0, "transition", "reset")}),
				core.Accept{Request: 2},
				call3(0, "getServerTime", 3, nil, "now"),
				call3(0, "createStream", 4, nil),
				call3(2, "publish", 0, nil, "cam"),
				core.Accept{Request: 3},
				recv(0, 2, message.Data{AMF3: true, Values: []amf0.Value{"onMetaData", amf0.AVMPlus{Value: amf3.Array{
					Associative: []amf3.Property{{Key: "width", Value: int32(320)}, {Key: "height", Value: int32(240)}},
					Dense:       []amf3.Value{"first", 2.5},
				}}}}),
				data3(2, "onCuePoint", amf0.AVMPlus{Value: amf3.Object{Dynamic: true, DynamicMembers: []amf3.Property{
					{Key: "name", Value: "chapter"},
					{Key: "time", Value: 12.5},
					{Key: "payload", Value: amf3.ByteArray{1, 2, 3}},
				}}}),
				core.Close{},
			},
		},
	}
}
