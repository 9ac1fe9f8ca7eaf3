package core_test

import (
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

// recv is a message from the peer.
func recv(ts, stream uint32, b message.Body) core.Input {
	return core.MessageReceived{Message: message.Message{Timestamp: ts, StreamID: stream, Body: b}}
}

// call is a command from the peer.
func call(stream uint32, name string, txid float64, obj amf0.Value, args ...amf0.Value) core.Input {
	return recv(0, stream, message.Command{Name: name, TransactionID: txid, Object: obj, Args: args})
}

// data is a data message from the peer.
func data(stream uint32, vs ...amf0.Value) core.Input {
	return recv(0, stream, message.Data{Values: vs})
}

// obj builds an AMF0 object from key, value pairs.
func obj(kv ...amf0.Value) amf0.Object {
	o := make(amf0.Object, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		o = append(o, amf0.Property{Key: kv[i].(string), Value: kv[i+1]})
	}
	return o
}

// An AVC sequence header and an AAC one, shortened; the session never
// looks inside media.
var (
	avcHeader = message.Video{Payload: []byte{0x17, 0x00, 0x00, 0x00, 0x00, 0x01, 0x4d, 0x40, 0x1e, 0xff}}
	avcFrame  = message.Video{Payload: []byte{0x27, 0x01, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x05, 0x41}}
	aacHeader = message.Audio{Payload: []byte{0xaf, 0x00, 0x12, 0x10}}
	aacFrame  = message.Audio{Payload: []byte{0xaf, 0x01, 0x21, 0x10, 0x04}}
)

// connectFFmpegPublish is the connect of FFmpeg 5.1 publishing
// rtmp://127.0.0.1/live/demo.
func connectFFmpegPublish() core.Input {
	return call(0, "connect", 1, obj(
		"app", "live",
		"type", "nonprivate",
		"flashVer", "FMLE/3.0 (compatible; Lavf59.27.100)",
		"tcUrl", "rtmp://127.0.0.1:1935/live",
	))
}

// connectPlayer is a player's connect (FFmpeg's shape).
func connectPlayer(app, tcURL string) core.Input {
	return call(0, "connect", 1, obj(
		"app", app,
		"flashVer", "LNX 9,0,124,2",
		"tcUrl", tcURL,
		"fpad", false,
		"capabilities", 15.0,
		"audioCodecs", 4071.0,
		"videoCodecs", 252.0,
		"videoFunction", 1.0,
	))
}
