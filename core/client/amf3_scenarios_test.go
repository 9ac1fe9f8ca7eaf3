package client_test

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// amf3Scenarios show the client with objectEncoding 3 against a server
// that answers in AMF3, as this package's server session does.
func amf3Scenarios() []scenario {
	inAMF3 := func(c message.Command) message.Command { return c.InAMF3() }
	amf3Result := reply("_result", 1,
		amf0.Object{{Key: "fmsVer", Value: "FMS/3,0,1,123"}, {Key: "capabilities", Value: 31.0}},
		amf0.Object{{Key: "level", Value: "status"}, {Key: "code", Value: "NetConnection.Connect.Success"},
			{Key: "description", Value: "Connection succeeded"}, {Key: "objectEncoding", Value: 3.0}})
	return []scenario{{
		name: "client-amf3",
		about: "A client with objectEncoding 3: its connect is AMF0 (type 20), everything after it\n" +
			"AMF3 (createStream, publish, @setDataFrame, play as types 17 and 15 with values behind\n" +
			"the AVM+ switch); the server's AMF3 answers read as AMF0 ones would.",
		inputs: []client.Input{
			client.Connect{App: "live", TCURL: "rtmp://127.0.0.1/live", ObjectEncoding: 3},
			recv(0, message.SetChunkSize{Size: 4096}),
			recv(0, amf3Result),
			client.CreateStream{Request: 1},
			recv(0, inAMF3(reply("_result", 2, nil, 1.0))),
			client.Publish{StreamID: 1, Name: "key", Type: client.PublishLive},
			recv(1, inAMF3(status("status", "NetStream.Publish.Start", "key is now published."))),
			client.SendMetaData{StreamID: 1, MetaData: metaData},
			client.SendMessage{StreamID: 1, Timestamp: 0, Body: keyframe},
			client.CreateStream{Request: 2},
			recv(0, inAMF3(reply("_result", 4, nil, 2.0))),
			client.Play{StreamID: 2, Name: "key", Start: -1},
			recv(2, inAMF3(status("status", "NetStream.Play.Start", "Starting stream key"))),
			recv(2, message.Data{Values: []amf0.Value{"|RtmpSampleAccess", false, false}}.InAMF3()),
			recv(2, message.Data{Values: []amf0.Value{"onMetaData", metaData}}.InAMF3()),
			recv(0, inAMF3(reply("_error", 9, nil, amf0.Object{{Key: "level", Value: "error"}, {Key: "code", Value: "NetConnection.Call.Failed"}}))),
			client.DeleteStream{StreamID: 1},
			client.Close{},
		},
	}}
}
