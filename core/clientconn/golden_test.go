package clientconn_test

import (
	"encoding/binary"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/clientconn"
	"github.com/gortmp/rtmp/core/internal/golden"
)

// act is one thing a transcript does to the connection: it returns the
// line that names it and the effects it produced.
type act func(c *clientconn.Conn, s *scriptServer) (string, []client.Effect)

// step is an application input.
func step(in client.Input) act {
	return func(c *clientconn.Conn, _ *scriptServer) (string, []client.Effect) {
		return client.DescribeInput(in), c.Step(in)
	}
}

// tick tells the connection the time.
func tick(now time.Duration) act {
	return func(c *clientconn.Conn, _ *scriptServer) (string, []client.Effect) {
		return fmt.Sprintf("tick %v", now), c.Tick(now)
	}
}

// feedAnswer feeds the handshake server's S0+S1+S2, with messages after
// them in the same read.
func feedAnswer(msgs ...message.Message) act {
	return func(c *clientconn.Conn, s *scriptServer) (string, []client.Effect) {
		b := s.answer()
		line := fmt.Sprintf("feed %d bytes: S0+S1+S2 (version %d)", len(b), b[0])
		for _, m := range msgs {
			line += "\n  " + client.DescribeInput(client.MessageReceived{Message: m})
		}
		return line, c.Feed(append(b, s.chunks(msgs...)...))
	}
}

// feed feeds server messages in one read.
func feed(msgs ...message.Message) act {
	return func(c *clientconn.Conn, s *scriptServer) (string, []client.Effect) {
		b := s.chunks(msgs...)
		line := fmt.Sprintf("feed %d bytes:", len(b))
		for _, m := range msgs {
			line += "\n  " + client.DescribeInput(client.MessageReceived{Message: m})
		}
		return line, c.Feed(b)
	}
}

// feedRaw feeds bytes the codecs would not produce.
func feedRaw(about string, b []byte) act {
	return func(c *clientconn.Conn, _ *scriptServer) (string, []client.Effect) {
		return fmt.Sprintf("feed %d bytes: %s", len(b), about), c.Feed(b)
	}
}

// goldenScenario is one transcript of a client connection against a
// scripted server.
type goldenScenario struct {
	name, about string
	config      clientconn.Config
	server      handshake.ServerConfig
	acts        []act
}

// transcript runs a scenario and prints, for every act, its line, a
// "----" line, the effects, and the client's output as the server reads
// it ("out>" lines); then where the connection ended.
func transcript(sc goldenScenario) string {
	var b strings.Builder
	for _, line := range strings.Split(sc.about, "\n") {
		b.WriteString("# " + line + "\n")
	}
	c := clientconn.New(sc.config)
	s := newScriptServer(sc.server)
	printOut := func() {
		lines, err := s.read(c.TakeOutput(nil))
		b.WriteString(indent(lines, "out> "))
		if err != nil {
			fmt.Fprintf(&b, "out> the server cannot read the rest: %v\n", err)
		}
	}
	b.WriteString("\nNew\n----\n")
	printOut()
	for _, a := range sc.acts {
		line, fx := a(c, s)
		b.WriteString("\n" + line + "\n----\n")
		for _, e := range fx {
			b.WriteString(client.DescribeEffect(e) + "\n")
		}
		printOut()
	}
	fmt.Fprintf(&b, "\nend: %v, err %v, received %d, sent %d\n", c.State(), c.Err(), c.Received(), c.Sent())
	return b.String()
}

var goldenServer = handshake.ServerConfig{Random: []byte("golden server")}

func goldenScenarios() []goldenScenario {
	plain := clientconn.Config{Handshake: handshake.ClientConfig{Random: []byte("golden client")}}
	encrypted := plain
	encrypted.Handshake.Encryption = true
	rtmpeServer := goldenServer
	rtmpeServer.Encryption = true
	return []goldenScenario{{
		name: "publish",
		about: "A publisher: connect stepped before the handshake goes out right after C2; then\n" +
			"createStream, publish, metadata and media, byte counts against the server's\n" +
			"5000-byte window (an Acknowledgement), deleteStream and close.",
		config: plain,
		server: goldenServer,
		acts: []act{
			step(connectInput()),
			feedAnswer(),
			feed(serverOpening()...),
			step(client.CreateStream{Request: 1}),
			feed(streamResult(2, 1)),
			step(client.Publish{StreamID: 1, Name: "cam"}),
			feed(msg(0, message.StreamBegin{StreamID: 1}), status(1, "status", "NetStream.Publish.Start")),
			step(client.SendMetaData{StreamID: 1, MetaData: amf0.ECMAArray{{Key: "width", Value: 320.0}}}),
			step(client.SendMessage{StreamID: 1, Timestamp: 0, Body: keyframe}),
			step(client.SendMessage{StreamID: 1, Timestamp: 23, Body: aacFrame}),
			feed(msg(1, message.Video{Payload: make([]byte, 2700)})),
			step(client.DeleteStream{StreamID: 1}),
			step(client.Close{}),
			feed(status(1, "status", "NetStream.Unpublish.Success")),
		},
	}, {
		name: "play",
		about: "A player: the server answers with Stream Begin, Play.Start, metadata, media and an\n" +
			"aggregate (split once by the session; the aggregate nested in it is ignored),\n" +
			"then Play.Stop. Pings are answered.",
		config: plain,
		server: goldenServer,
		acts: []act{
			step(connectInput()),
			feedAnswer(serverOpening()...),
			step(client.CreateStream{Request: 1}),
			feed(streamResult(2, 1)),
			step(client.Play{StreamID: 1, Name: "cam", Start: -2}),
			feed(msg(0, message.StreamBegin{StreamID: 1}), status(1, "status", "NetStream.Play.Start"),
				msg(1, message.Data{Values: []amf0.Value{"onMetaData", amf0.ECMAArray{{Key: "width", Value: 320.0}}}}),
				msgAt(0, 1, keyframe), msgAt(23, 1, aacFrame)),
			feed(msgAt(40, 1, message.Aggregate{Payload: aggregate(
				sub{message.TypeVideo, 40, keyframe.Payload},
				sub{message.TypeAggregate, 50, aggregate(sub{message.TypeAudio, 50, aacFrame.Payload})},
				sub{message.TypeAudio, 63, aacFrame.Payload},
			)})),
			feed(msg(0, message.PingRequest{Timestamp: 99})),
			feed(status(1, "status", "NetStream.Play.Stop")),
			step(client.Close{}),
		},
	}, {
		name: "rtmpe",
		about: "An RTMPE connection: C0 asks for encryption, the server answers in kind, and\n" +
			"every byte after C2 and after S2 runs through the RC4 streams (the server's\n" +
			"reading here decrypts them). Connect is stepped after the handshake.",
		config: encrypted,
		server: rtmpeServer,
		acts: []act{
			feedAnswer(),
			step(connectInput()),
			feed(serverOpening()...),
			step(client.CreateStream{Request: 1}),
			feed(streamResult(2, 1)),
			step(client.Close{}),
		},
	}, {
		name: "peer-error",
		about: "A server that breaks the protocol: a Window Acknowledgement Size of one byte\n" +
			"ends the connection with a message-layer PeerError after the session failed\n" +
			"its open requests; later bytes and inputs are ignored.",
		config: plain,
		server: goldenServer,
		acts: []act{
			step(connectInput()),
			feedAnswer(msg(0, message.SetChunkSize{Size: 4096})),
			feedRaw("Window Acknowledgement Size with a 1-byte payload", badWindowAck()),
			feed(connectResult()),
			step(client.CreateStream{Request: 1}),
		},
	}, {
		name: "handshake-failures",
		about: "The handshake fails: a server that answers with version 6 (RTMPE) to a plain\n" +
			"C0 is a handshake-layer PeerError. The timeout is shown by handshake-timeout.",
		config: plain,
		server: goldenServer,
		acts: []act{
			step(connectInput()),
			feedRaw("S0 of version 6", []byte{6, 0, 0, 0}),
		},
	}, {
		name:   "handshake-timeout",
		about:  "A server that never answers: a Tick before the timeout changes nothing, one at\nit ends the connection.",
		config: plain,
		server: goldenServer,
		acts: []act{
			step(connectInput()),
			tick(9 * time.Second),
			tick(10 * time.Second),
		},
	}}
}

// badWindowAck is a Window Acknowledgement Size whose payload is one byte
// long, on a fresh chunk stream.
func badWindowAck() []byte {
	var enc chunk.Encoder
	b, err := enc.Append(nil, 2, chunk.Message{TypeID: uint8(message.TypeWindowAckSize), Payload: []byte{1}})
	if err != nil {
		panic(err)
	}
	return b
}

// sub is one sub-message of an aggregate.
type sub struct {
	typ     message.TypeID
	ts      uint32
	payload []byte
}

// aggregate builds an Aggregate payload: FLV-tag-shaped sub-messages,
// each followed by its back pointer.
func aggregate(subs ...sub) []byte {
	var b []byte
	for _, s := range subs {
		n := len(s.payload)
		b = append(b, byte(s.typ), byte(n>>16), byte(n>>8), byte(n),
			byte(s.ts>>16), byte(s.ts>>8), byte(s.ts), byte(s.ts>>24), 0, 0, 0)
		b = append(b, s.payload...)
		b = binary.BigEndian.AppendUint32(b, uint32(11+n))
	}
	return b
}

// TestGoldenTranscripts compares every scenario with its file in
// testdata/sessions; go test ./core/clientconn -rewrite regenerates them.
func TestGoldenTranscripts(t *testing.T) {
	var files []golden.File
	for _, sc := range goldenScenarios() {
		files = append(files, golden.File{Name: "clientconn-" + sc.name, Print: func() string { return transcript(sc) }})
	}
	golden.Check(t, osDir(filepath.Join("testdata", "sessions")), "./core/clientconn", files)
}
