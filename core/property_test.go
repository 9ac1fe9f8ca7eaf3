package core_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"pgregory.net/rapid"
)

// genValue draws a small AMF0 value, often of the wrong kind on purpose.
func genValue(t *rapid.T, label string) amf0.Value {
	switch rapid.IntRange(0, 6).Draw(t, label) {
	case 0:
		return nil
	case 1:
		return rapid.SampledFrom([]float64{-2000, -1000, -2, -1, 0, 1, 1.5, 2, 3, 2500}).Draw(t, label+"n")
	case 2:
		return rapid.SampledFrom([]string{"", "demo", "demo?k=1", "live", "record", "append", "x"}).Draw(t, label+"s")
	case 3:
		return rapid.Bool().Draw(t, label+"b")
	case 4:
		return obj("streamName", "demo", "start", -2.0)
	case 5:
		return amf0.Undefined{}
	default:
		return amf0.StrictArray{1.0}
	}
}

func genArgs(t *rapid.T) []amf0.Value {
	n := rapid.IntRange(0, 4).Draw(t, "nargs")
	args := make([]amf0.Value, n)
	for i := range args {
		args[i] = genValue(t, "arg")
	}
	return args
}

var commandNames = []string{
	"connect", "createStream", "publish", "play", "play2", "deleteStream", "closeStream",
	"receiveAudio", "receiveVideo", "pause", "seek", "releaseStream", "FCPublish",
	"FCUnpublish", "FCSubscribe", "FCUnsubscribe", "getStreamLength", "_checkbw", "bogus",
}

// genInput draws any input: valid protocol traffic most of the time,
// malformed traffic and caller misuse the rest.
func genInput(t *rapid.T) core.Input {
	stream := rapid.Uint32Range(0, 4).Draw(t, "stream")
	switch rapid.IntRange(0, 13).Draw(t, "kind") {
	case 0:
		var o amf0.Value = obj("app", rapid.SampledFrom([]string{"live", "live/", "app?x=1"}).Draw(t, "app"), "objectEncoding", 3.0)
		switch rapid.IntRange(0, 5).Draw(t, "connectShape") {
		case 0:
			o = nil
		case 1:
			o = obj("tcUrl", "rtmp://h/a")
		case 2:
			o = amf0.ECMAArray(o.(amf0.Object))
		case 3:
			// Enhanced RTMP negotiation, well or badly formed.
			o = append(o.(amf0.Object),
				amf0.Property{Key: "fourCcList", Value: genValue(t, "fourCcList")},
				amf0.Property{Key: "videoFourCcInfoMap", Value: obj("*", genValue(t, "flags"), "hvc1", 1.0)},
				amf0.Property{Key: "capsEx", Value: genValue(t, "capsEx")})
		}
		return call(0, "connect", rapid.SampledFrom([]float64{0, 1, 7}).Draw(t, "txid"), o, genArgs(t)...)
	case 1, 2:
		return call(0, "createStream", rapid.Float64Range(1, 9).Draw(t, "txid"), nil)
	case 3, 4:
		name := rapid.SampledFrom(commandNames).Draw(t, "name")
		if name == "deleteStream" {
			return call(0, name, 0, nil, rapid.SampledFrom([]amf0.Value{1.0, 2.0, 3.0, 4.0, 1.5, -1.0, "1", nil}).Draw(t, "id"))
		}
		return call(stream, name, rapid.SampledFrom([]float64{0, 0, 5}).Draw(t, "txid"), genValue(t, "obj"), genArgs(t)...)
	case 5:
		return call(stream, rapid.SampledFrom([]string{"publish", "play"}).Draw(t, "name"), 0, nil,
			rapid.SampledFrom([]string{"a", "b", "c"}).Draw(t, "key"))
	case 6, 7:
		id := core.RequestID(rapid.Uint32Range(0, 8).Draw(t, "request"))
		if rapid.Bool().Draw(t, "accept") {
			return core.Accept{Request: id}
		}
		return core.Reject{Request: id, Reason: core.RejectReason(rapid.IntRange(0, 2).Draw(t, "reason"))}
	case 8:
		if rapid.Bool().Draw(t, "audio") {
			return recv(rapid.Uint32().Draw(t, "ts"), stream, aacFrame)
		}
		return recv(rapid.Uint32().Draw(t, "ts"), stream, avcFrame)
	case 9:
		return data(stream, rapid.SampledFrom([]amf0.Value{"@setDataFrame", "onMetaData", "@clearDataFrame", "onCuePoint", 1.0}).Draw(t, "d0"),
			genValue(t, "d1"), genValue(t, "d2"))
	case 10:
		bodies := []message.Body{
			message.SetChunkSize{Size: rapid.SampledFrom([]uint32{0, 1, 4096, 1 << 31}).Draw(t, "chunk")},
			message.Abort{ChunkStreamID: 3},
			message.Acknowledgement{SequenceNumber: 9},
			message.WindowAckSize{Size: rapid.SampledFrom([]uint32{0, 100, 5000}).Draw(t, "window")},
			message.SetPeerBandwidth{Size: 1000, Limit: message.LimitType(rapid.IntRange(0, 3).Draw(t, "limit"))},
			message.PingRequest{Timestamp: 5},
			message.PingResponse{Timestamp: 5},
			message.SetBufferLength{StreamID: stream, Milliseconds: 100},
			message.StreamBegin{StreamID: 1},
			message.UnknownUserControl{Event: 40},
			message.Aggregate{Payload: []byte{1}},
			message.SharedObject{},
			message.Unknown{TypeID: 77},
			nil,
		}
		return recv(0, stream, rapid.SampledFrom(bodies).Draw(t, "control"))
	case 11:
		return core.BytesCounted{Received: rapid.Uint64Range(0, 20_000).Draw(t, "rx"), Sent: rapid.Uint64Range(0, 20_000).Draw(t, "tx")}
	case 12:
		return core.Tick{Now: time.Duration(rapid.Int64Range(0, 100_000).Draw(t, "now")) * ms}
	default:
		return rapid.SampledFrom([]core.Input{
			core.SendPing{}, core.BeginStreamZero{}, core.Close{}, nil,
			core.RequestReconnect{TCURL: "rtmp://h2/a"}, core.RequestReconnect{},
			core.SendMessage{StreamID: stream, Body: avcFrame},
			core.SendMessage{StreamID: stream},
		}).Draw(t, "misc")
	}
}

// streamOf returns the stream a stream-naming event is about.
func streamOf(e core.Effect) (uint32, bool) {
	switch e := e.(type) {
	case core.PublishStreamRequested:
		return e.StreamID, true
	case core.PlayStreamRequested:
		return e.StreamID, true
	case core.PublishingStarted:
		return e.StreamID, true
	case core.PlayStreamStarted:
		return e.StreamID, true
	case core.PublishingFinished:
		return e.StreamID, true
	case core.PlayStreamFinished:
		return e.StreamID, true
	case core.StreamDeleted:
		return e.StreamID, true
	case core.StreamMetaDataChanged:
		return e.StreamID, true
	case core.StreamMetaDataCleared:
		return e.StreamID, true
	case core.DataReceived:
		return e.StreamID, true
	case core.AudioVideoDataReceived:
		return e.StreamID, true
	case core.BufferLengthSet:
		return e.StreamID, true
	case core.ReceiveAudioChanged:
		return e.StreamID, true
	case core.ReceiveVideoChanged:
		return e.StreamID, true
	case core.PauseRequested:
		return e.StreamID, true
	case core.SeekRequested:
		return e.StreamID, true
	}
	return 0, false
}

func describeAll(fx []core.Effect) string {
	var b strings.Builder
	for _, e := range fx {
		b.WriteString(core.DescribeEffect(e) + "\n")
	}
	return b.String()
}

// TestSessionProperties steps random input sequences and checks, at every
// step: no panic; purity (the same value stepped twice gives equal results,
// and stepping the successor leaves the old value's answer unchanged); no
// command is ever answered "not connected"; no
// event names a stream that was never created; every finished stream was
// started exactly once; nothing follows Disconnect.
func TestSessionProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := core.NewSession(core.Config{PingInterval: 5_000 * ms, PingTimeout: 2_000 * ms, MaxStreams: 3, MaxPendingRequests: 2})
		n := rapid.IntRange(1, 60).Draw(t, "steps")
		var (
			history []core.Session
			inputs  []core.Input
			answers []string
		)
		created := map[uint32]bool{0: true}
		nextID := uint32(1)
		started := map[uint32]string{} // stream -> "publish" or "play"
		closed := false
		// Most runs start connected, so that stream traffic gets far.
		prefix := []core.Input{}
		if rapid.IntRange(0, 3).Draw(t, "connected") > 0 {
			prefix = []core.Input{connectFFmpegPublish(), core.Accept{Request: 1}}
		}
		for step := range n + len(prefix) {
			var in core.Input
			if step < len(prefix) {
				in = prefix[step]
			} else {
				in = genInput(t)
			}
			next, fx := s.Step(in)
			desc := describeAll(fx)
			again, fx2 := s.Step(in)
			if got := describeAll(fx2); got != desc {
				t.Fatalf("impure step %s:\nfirst:\n%s\nsecond:\n%s", core.DescribeInput(in), desc, got)
			}
			if describeAll(fx) != desc {
				t.Fatalf("the second step rewrote the first step's effects")
			}
			if !equalSessions(next, again) {
				t.Fatalf("stepping the same value twice gave different sessions")
			}
			history, inputs, answers = append(history, s), append(inputs, in), append(answers, desc)

			// Stream ids are handed out in order: a createStream that was
			// not refused made the next one.
			if isCall(in, "createStream") && !refused(fx) && !closed {
				created[nextID] = true
				nextID++
			}
			if strings.Contains(desc, "not connected") {
				t.Fatalf("%s was answered \"not connected\":\n%s", core.DescribeInput(in), desc)
			}
			if closed && len(fx) > 0 {
				t.Fatalf("effects after Disconnect: %s", desc)
			}
			for i, e := range fx {
				if id, ok := streamOf(e); ok && !created[id] {
					t.Fatalf("%s names stream %d, never created", core.DescribeEffect(e), id)
				}
				kind, id := lifecycle(e)
				switch {
				case strings.HasSuffix(kind, "started"):
					if started[id] != "" {
						t.Fatalf("stream %d started twice", id)
					}
					started[id] = strings.TrimSuffix(kind, " started")
				case strings.HasSuffix(kind, "finished"):
					if started[id] != strings.TrimSuffix(kind, " finished") {
						t.Fatalf("%s without a matching start (%q)", core.DescribeEffect(e), started[id])
					}
					delete(started, id)
				}
				switch e.(type) {
				case core.Disconnect:
					if i != len(fx)-1 {
						t.Fatalf("Disconnect is not the last effect")
					}
					closed = true
				}
			}
			s = next
		}
		// Stepping the successors must not have changed any earlier value.
		for i := range history {
			if _, fx := history[i].Step(inputs[i]); describeAll(fx) != answers[i] {
				t.Fatalf("step %d of an old value changed after later steps", i)
			}
		}
	})
}

// lifecycle names a start or finish event: "publish started", "play
// finished" and so on, with its stream.
func lifecycle(e core.Effect) (string, uint32) {
	switch e := e.(type) {
	case core.PublishingStarted:
		return "publish started", e.StreamID
	case core.PlayStreamStarted:
		return "play started", e.StreamID
	case core.PublishingFinished:
		return "publish finished", e.StreamID
	case core.PlayStreamFinished:
		return "play finished", e.StreamID
	}
	return "", 0
}

func isCall(in core.Input, name string) bool {
	m, ok := in.(core.MessageReceived)
	if !ok {
		return false
	}
	c, ok := m.Message.Body.(message.Command)
	return ok && c.Name == name
}

func refused(fx []core.Effect) bool {
	for _, e := range fx {
		if _, ok := e.(core.CommandUnhandled); ok {
			return true
		}
	}
	return false
}
