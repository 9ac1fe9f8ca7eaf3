package fuzz

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// clientFuzzDecoder bounds what a fuzzed server can make the client hold;
// small, so that inputs reach the bounds.
var clientFuzzDecoder = chunk.DecoderConfig{
	MaxMessageSize:     64 << 10,
	MaxChunkSize:       64 << 10,
	MaxBuffered:        256 << 10,
	MaxPartialMessages: 8,
	MaxChunkStreams:    64,
	PreallocLimit:      16 << 10,
}

// clientRun is what a client session did with one server chunk stream:
// every event the application saw, in order, and how the run ended.
type clientRun struct {
	Events []string
	End    string
}

// runClient feeds a server's chunk stream (what follows the handshake) to
// a client session as the driver's read loop does: chunk decoder, message
// decoder, session, and the byte total after each read of step bytes.
// The application connects, then, as the answers come, creates two
// streams, publishes on the first (metadata and a keyframe once started)
// and plays on the second. Every message the session sends must encode.
func runClient(t *testing.T, in []byte, step int) clientRun {
	var run clientRun
	s := client.New(client.Config{})
	dec := chunk.NewDecoder(clientFuzzDecoder)
	// What the session sends goes through an encoder and back through a
	// decoder, as a server would read it.
	var enc chunk.Encoder
	back := chunk.NewDecoder(chunk.DecoderConfig{MaxChunkSize: chunk.MaxChunkSize})
	var out []byte
	done := false
	var apply func(fx []client.Effect)
	stepIn := func(in client.Input) {
		var fx []client.Effect
		s, fx = s.Step(in)
		apply(fx)
	}
	apply = func(fx []client.Effect) {
		for _, e := range fx {
			switch e := e.(type) {
			case client.Send:
				raw, err := message.Encode(e.Message)
				if err != nil {
					t.Fatalf("the session sent a message that does not encode: %s: %v", client.DescribeEffect(e), err)
				}
				if out, err = enc.Append(out[:0], e.ChunkStreamID, raw); err != nil {
					t.Fatalf("the session sent a message that does not chunk: %s: %v", client.DescribeEffect(e), err)
				}
				msgs, err := back.Feed(nil, out)
				if err != nil || len(msgs) != 1 {
					t.Fatalf("the session's %s reads back as %d messages, error %v", client.DescribeEffect(e), len(msgs), err)
				}
				continue
			case client.ChangeChunkSize:
				// The encoder took the size from the Set Chunk Size
				// before it.
				if enc.ChunkSize() != e.Size {
					t.Fatalf("ChangeChunkSize %d after a Set Chunk Size of %d", e.Size, enc.ChunkSize())
				}
				continue
			case client.CallerError:
				// The application below only answers events; a misuse
				// means an event it trusted was wrong.
				t.Fatalf("caller error: %v", e.Err)
			case client.Disconnect:
				done = true
				run.End = fmt.Sprintf("disconnect: %v", e.Err)
				continue
			}
			run.Events = append(run.Events, client.DescribeEffect(e))
			switch e := e.(type) {
			case client.Connected:
				stepIn(client.CreateStream{Request: 1})
				stepIn(client.CreateStream{Request: 2})
			case client.StreamCreated:
				if e.Request == 1 {
					stepIn(client.Publish{StreamID: e.StreamID, Name: "demo"})
				} else {
					stepIn(client.Play{StreamID: e.StreamID, Name: "demo", Start: -2})
				}
			case client.PublishStarted:
				stepIn(client.SendMetaData{StreamID: e.StreamID, MetaData: amf0.ECMAArray{{Key: "width", Value: 640.0}}})
				stepIn(client.SendMessage{StreamID: e.StreamID, Body: message.Video{Payload: []byte{0x17, 1, 0, 0, 0, 1}}})
			}
		}
	}
	stepIn(client.Connect{App: "live", TCURL: "rtmp://127.0.0.1/live"})
	var received uint64
	var raws []chunk.Message
	for len(in) > 0 && !done {
		n := min(step, len(in))
		var err error
		raws, err = dec.Feed(raws[:0], in[:n])
		in, received = in[n:], received+uint64(n)
		for _, raw := range raws {
			m, derr := message.Decode(raw)
			if derr != nil {
				err = derr
				break
			}
			stepIn(client.MessageReceived{Message: m})
			if done {
				break
			}
		}
		if err != nil && !done {
			var le *chunk.LimitError
			var pe *chunk.ProtocolError
			var fe *message.FormatError
			if !errors.As(err, &le) && !errors.As(err, &pe) && !errors.As(err, &fe) {
				t.Fatalf("an error of no known kind: %T %v", err, err)
			}
			run.End = "decode error"
			return run
		}
		if !done {
			stepIn(client.BytesCounted{Received: received})
		}
	}
	if run.End == "" {
		run.End = "input ended"
	}
	return run
}

// FuzzClientChunks feeds in, a server's chunk stream, to a client session
// (see runClient), whole and in reads of a size the input picks. It must
// never panic, every message it sends must encode, and the application
// must see the same events however the bytes were cut: the decoders and
// the session may not depend on where reads end.
func FuzzClientChunks(f *testing.F) {
	for _, seed := range clientSeeds(f) {
		f.Add(seed, uint8(0))
		f.Add(seed, uint8(6))
	}
	f.Fuzz(func(t *testing.T, in []byte, cut uint8) {
		whole := runClient(t, in, len(in)+1)
		split := runClient(t, in, 1+int(cut))
		if whole.End == "decode error" || split.End == "decode error" {
			// A decode error ends the run where the failing read
			// ends; what came before it must agree.
			n := min(len(whole.Events), len(split.Events))
			whole.Events, split.Events = whole.Events[:n], split.Events[:n]
			whole.End, split.End = "", ""
		}
		if diff := cmp.Diff(whole, split); diff != "" {
			t.Fatalf("read whole and in reads of %d bytes differ (-whole +split):\n%s", 1+int(cut), diff)
		}
	})
}

// clientSeeds are server chunk streams a client meets: a server that
// accepts everything and sends media, one that refuses, and one that asks
// for a reconnect, with the protocol control messages servers send.
func clientSeeds(tb testing.TB) [][]byte {
	status := func(streamID uint32, level, code string) message.Message {
		return message.Message{StreamID: streamID, Body: message.Command{Name: "onStatus", Args: []amf0.Value{
			amf0.Object{{Key: "level", Value: level}, {Key: "code", Value: code}, {Key: "description", Value: code}},
		}}}
	}
	result := func(tx float64, object amf0.Value, args ...amf0.Value) message.Message {
		return message.Message{Body: message.Command{Name: "_result", TransactionID: tx, Object: object, Args: args}}
	}
	connected := result(1, amf0.Object{{Key: "fmsVer", Value: "FMS/3,0,1,123"}, {Key: "capabilities", Value: 31.0}},
		amf0.Object{{Key: "level", Value: "status"}, {Key: "code", Value: "NetConnection.Connect.Success"}, {Key: "objectEncoding", Value: 0.0}})
	control := []message.Message{
		{Body: message.WindowAckSize{Size: 2500000}},
		{Body: message.SetPeerBandwidth{Size: 2500000, Limit: 2}},
		{Body: message.SetChunkSize{Size: 4096}},
		{Body: message.StreamBegin{StreamID: 0}},
	}
	accepting := append(control, connected, result(2, nil, 1.0), result(3, nil, 2.0),
		status(1, "status", "NetStream.Publish.Start"),
		message.Message{Body: message.StreamBegin{StreamID: 2}},
		status(2, "status", "NetStream.Play.Reset"), status(2, "status", "NetStream.Play.Start"),
		message.Message{StreamID: 2, Body: message.Data{Values: []any{"|RtmpSampleAccess", true, true}}},
		message.Message{StreamID: 2, Body: message.Data{Values: []any{"onMetaData", amf0.ECMAArray{{Key: "duration", Value: 0.0}}}}},
		message.Message{StreamID: 2, Timestamp: 0, Body: message.Video{Payload: []byte{0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f}}},
		message.Message{StreamID: 2, Timestamp: 0, Body: message.Audio{Payload: []byte{0xaf, 0, 0x12, 0x10}}},
		message.Message{StreamID: 2, Timestamp: 40, Body: message.Video{Payload: make([]byte, 5000)}},
		message.Message{Body: message.PingRequest{Timestamp: 1234}},
		message.Message{Body: message.Acknowledgement{SequenceNumber: 4096}},
		status(2, "status", "NetStream.Play.UnpublishNotify"),
		message.Message{Body: message.StreamEOF{StreamID: 2}},
	)
	refusing := append(control, connected,
		message.Message{Body: message.Command{Name: "_error", TransactionID: 2, Args: []amf0.Value{amf0.Object{{Key: "level", Value: "error"}, {Key: "code", Value: "NetConnection.Call.Failed"}}}}},
		result(3, nil, 1.0),
		status(1, "error", "NetStream.Play.StreamNotFound"),
	)
	rejected := []message.Message{{Body: message.Command{Name: "_error", TransactionID: 1, Args: []amf0.Value{
		amf0.Object{{Key: "level", Value: "error"}, {Key: "code", Value: "NetConnection.Connect.Rejected"}}}}}}
	reconnect := append(control, connected, result(2, nil, 1.0),
		message.Message{Body: message.Command{Name: "onStatus", Args: []amf0.Value{amf0.Object{
			{Key: "level", Value: "status"}, {Key: "code", Value: "NetConnection.Connect.ReconnectRequest"},
			{Key: "tcUrl", Value: "rtmp://127.0.0.2/live"}}}}},
		status(1, "status", "NetStream.Publish.Start"),
		message.Message{Body: message.Command{Name: "onBWDone"}},
	)
	var seeds [][]byte
	for _, script := range [][]message.Message{accepting, refusing, rejected, reconnect} {
		var enc chunk.Encoder
		var b []byte
		for _, m := range script {
			raw, err := message.Encode(m)
			if err != nil {
				tb.Fatal(err)
			}
			if b, err = enc.Append(b, message.ChunkStreamID(m.Body, m.StreamID), raw); err != nil {
				tb.Fatal(err)
			}
		}
		seeds = append(seeds, b)
	}
	return seeds
}

// The seeds reach what they are for: media played, a refusal, a
// rejected connect and a reconnect request.
func TestClientSeeds(t *testing.T) {
	want := []string{"MediaReceived", "PlayFailed", "ConnectFailed", "ReconnectRequested"}
	for i, seed := range clientSeeds(t) {
		run := runClient(t, seed, len(seed)+1)
		found := false
		for _, e := range run.Events {
			found = found || len(e) >= len(want[i]) && e[:len(want[i])] == want[i]
		}
		if !found {
			t.Errorf("seed %d: no %s among %q (end: %s)", i, want[i], run.Events, run.End)
		}
	}
}
