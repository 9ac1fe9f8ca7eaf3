package sim

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/serverconn"
)

// Command builds a command message.
func Command(streamID uint32, name string, txid float64, obj amf0.Value, args ...amf0.Value) message.Message {
	return message.Message{StreamID: streamID, Body: message.Command{Name: name, TransactionID: txid, Object: obj, Args: args}}
}

// Connect is the connect command OBS and FFmpeg send, as an AMF0 object.
func Connect(app string, txid float64) message.Message {
	return Command(0, "connect", txid, amf0.Object{
		{Key: "app", Value: app},
		{Key: "type", Value: "nonprivate"},
		{Key: "flashVer", Value: "FMLE/3.0 (compatible; FMSc/1.0)"},
		{Key: "tcUrl", Value: "rtmp://127.0.0.1/" + app},
	})
}

// TagMessage turns an FLV tag into the message a publisher sends on
// streamID: audio, video, or @setDataFrame for script data.
func TagMessage(t flv.Tag, streamID uint32) (message.Message, error) {
	m := message.Message{Timestamp: t.Timestamp, StreamID: streamID}
	switch t.Type {
	case flv.TagAudio:
		m.Body = message.Audio{Payload: t.Data}
	case flv.TagVideo:
		m.Body = message.Video{Payload: t.Data}
	case flv.TagScript:
		vs, err := amf0.DecodeAll(t.Data)
		if err != nil {
			return m, err
		}
		m.Body = message.Data{Values: append([]amf0.Value{"@setDataFrame"}, vs...)}
	default:
		return m, fmt.Errorf("sim: FLV tag type %d", t.Type)
	}
	return m, nil
}

// OBSPublish is the whole message sequence of an OBS-style publisher that
// does not wait for answers (the server makes stream 1 for the first
// createStream): chunk size, window, connect, releaseStream, FCPublish,
// createStream, publish, @setDataFrame and media from the tags, then
// FCUnpublish and deleteStream.
func OBSPublish(app, key string, tags []flv.Tag) ([]message.Message, error) {
	msgs := []message.Message{
		{Body: message.SetChunkSize{Size: 4096}},
		{Body: message.WindowAckSize{Size: 64 << 10}},
		Connect(app, 1),
		Command(0, "releaseStream", 2, nil, key),
		Command(0, "FCPublish", 3, nil, key),
		Command(0, "createStream", 4, nil),
		Command(1, "publish", 5, nil, key, "live"),
	}
	for _, t := range tags {
		m, err := TagMessage(t, 1)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	return append(msgs,
		Command(0, "FCUnpublish", 6, nil, key),
		Command(0, "deleteStream", 7, nil, 1.0),
	), nil
}

// Play is the message sequence of a player that does not wait for
// answers: window, connect, createStream, getStreamLength, play, buffer
// length, a ping response, then closeStream and deleteStream.
func Play(app, key string) []message.Message {
	return []message.Message{
		{Body: message.WindowAckSize{Size: 2500000}},
		Connect(app, 1),
		Command(0, "createStream", 2, nil),
		Command(0, "getStreamLength", 3, nil, key),
		Command(1, "play", 4, nil, key, -2000.0),
		{Body: message.SetBufferLength{StreamID: 1, Milliseconds: 3000}},
		{Body: message.PingResponse{Timestamp: 0}},
		Command(1, "closeStream", 0, nil),
		Command(0, "deleteStream", 5, nil, 1.0),
	}
}

// ClientReads runs a client that sends msgs one at a time against a
// server made from cfg, each after the server has taken the one before and
// the application (which accepts every request) has answered it, and
// returns what the client wrote, one slice per write: C0+C1, C2, then one
// write per message. Fed to a new server with the same cfg in the same
// writes, or in any finer split, the bytes replay the session exactly:
// requests are accepted between writes, as a client that waits for each
// answer sees. Every answer of the server must decode.
func ClientReads(cfg serverconn.Config, hs handshake.ClientConfig, msgs []message.Message) ([][]byte, error) {
	srv := serverconn.New(cfg)
	c := newScriptedClient(hs)
	var reads [][]byte
	exchange := func() error {
		for b := c.take(); len(b) > 0; b = c.take() {
			reads = append(reads, b)
			for _, e := range srv.Feed(b) {
				if id, ok := RequestOf(e); ok {
					srv.Step(accept(id))
				}
			}
			if err := c.receive(srv.TakeOutput(nil)); err != nil {
				return err
			}
		}
		return nil
	}
	if err := exchange(); err != nil {
		return nil, err
	}
	if !c.conn.Handshaken() {
		return nil, fmt.Errorf("sim: handshake did not complete (server %v: %v)", srv.State(), srv.Err())
	}
	for _, m := range msgs {
		if err := c.send(m); err != nil {
			return nil, err
		}
		if err := exchange(); err != nil {
			return nil, err
		}
	}
	return reads, nil
}
