package client_test

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// The canonical loop: application calls and server messages go in, and
// the effects come out in order. A driver writes each Send through its
// chunk encoder and hands events to the application; here the server's
// answers are typed in.
func Example() {
	s := client.New(client.Config{})
	step := func(in client.Input) {
		var fx []client.Effect
		s, fx = s.Step(in)
		for _, e := range fx {
			fmt.Println(client.DescribeEffect(e))
		}
	}
	step(client.Connect{App: "live", TCURL: "rtmp://127.0.0.1/live", FlashVer: "FMLE/3.0"})
	step(client.MessageReceived{Message: message.Message{Body: connectResult()}})
	step(client.CreateStream{Request: 1})
	step(client.MessageReceived{Message: message.Message{Body: reply("_result", 2, nil, 1.0)}})
	step(client.Publish{StreamID: 1, Name: "key"})
	step(client.MessageReceived{Message: message.Message{StreamID: 1, Body: status("status", "NetStream.Publish.Start", "")}})
	// Output:
	// send csid=2 ts=0 stream=0 SetChunkSize{Size: 4096}
	// ChangeChunkSize{Size: 4096}
	// send csid=3 ts=0 stream=0 Command{Name: "connect", TransactionID: 1, Object: {app: "live", type: "nonprivate", flashVer: "FMLE/3.0", tcUrl: "rtmp://127.0.0.1/live", fpad: false, capabilities: 15, audioCodecs: 4071, videoCodecs: 252, videoFunction: 1, objectEncoding: 0}, Args: []}
	// Connected{Properties: {fmsVer: "FMS/3,0,1,123", capabilities: 31}, Info: {level: "status", code: "NetConnection.Connect.Success", description: "Connection succeeded.", objectEncoding: 0}}
	// send csid=3 ts=0 stream=0 Command{Name: "createStream", TransactionID: 2, Object: null, Args: []}
	// StreamCreated{Request: 1, StreamID: 1}
	// send csid=5 ts=0 stream=1 Command{Name: "publish", TransactionID: 3, Object: null, Args: ["key", "live"]}
	// PublishStarted{StreamID: 1, Name: "key"}
}
