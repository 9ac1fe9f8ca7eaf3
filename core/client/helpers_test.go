package client_test

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// recv wraps a server message on a stream as an input.
func recv(streamID uint32, body message.Body) client.Input {
	return client.MessageReceived{Message: message.Message{StreamID: streamID, Body: body}}
}

// recvAt is recv with a timestamp.
func recvAt(ts, streamID uint32, body message.Body) client.Input {
	return client.MessageReceived{Message: message.Message{Timestamp: ts, StreamID: streamID, Body: body}}
}

// result is a _result or _error with a transaction id.
func reply(name string, tx float64, obj amf0.Value, args ...amf0.Value) message.Command {
	return message.Command{Name: name, TransactionID: tx, Object: obj, Args: args}
}

// status is an onStatus as servers send it.
func status(level, code, description string) message.Command {
	return message.Command{Name: "onStatus", Args: []amf0.Value{amf0.Object{
		{Key: "level", Value: level}, {Key: "code", Value: code}, {Key: "description", Value: description},
	}}}
}

// connectResult is the _result nginx-rtmp answers connect with.
func connectResult() message.Command {
	return reply("_result", 1,
		amf0.Object{{Key: "fmsVer", Value: "FMS/3,0,1,123"}, {Key: "capabilities", Value: 31.0}},
		amf0.Object{{Key: "level", Value: "status"}, {Key: "code", Value: "NetConnection.Connect.Success"},
			{Key: "description", Value: "Connection succeeded."}, {Key: "objectEncoding", Value: 0.0}})
}

// serverOpening is what servers send around the connect _result.
func serverOpening() []client.Input {
	return []client.Input{
		recv(0, message.WindowAckSize{Size: 5000}),
		recv(0, message.SetPeerBandwidth{Size: 5000, Limit: message.LimitDynamic}),
		recv(0, message.SetChunkSize{Size: 4096}),
		recv(0, connectResult()),
		recv(0, message.Command{Name: "onBWDone", Args: []amf0.Value{0.0}}),
	}
}

var (
	keyframe   = message.Video{Payload: []byte{0x17, 0x01, 0, 0, 0, 0xAA}}
	interframe = message.Video{Payload: []byte{0x27, 0x01, 0, 0, 0, 0xBB}}
	aacFrame   = message.Audio{Payload: []byte{0xAF, 0x01, 0xCC}}
	metaData   = amf0.ECMAArray{{Key: "width", Value: 320.0}, {Key: "height", Value: 240.0}, {Key: "framerate", Value: 15.0}}
)

func connectInput() client.Connect {
	return client.Connect{App: "live", TCURL: "rtmp://127.0.0.1:1935/live"}
}

// join concatenates input lists.
func join(parts ...[]client.Input) []client.Input {
	var all []client.Input
	for _, p := range parts {
		all = append(all, p...)
	}
	return all
}
