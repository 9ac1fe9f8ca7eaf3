package core_test

import (
	"testing"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
)

// publishing returns a session with stream 1 publishing "demo".
func publishing(tb testing.TB) core.Session {
	tb.Helper()
	s := core.NewSession(core.Config{})
	for _, in := range []core.Input{
		core.BeginStreamZero{},
		connectFFmpegPublish(),
		core.Accept{Request: 1},
		call(0, "createStream", 2, nil),
		call(1, "publish", 3, nil, "demo", "live"),
		core.Accept{Request: 2},
	} {
		s, _ = s.Step(in)
	}
	return s
}

func BenchmarkStepMedia(b *testing.B) {
	s := publishing(b)
	payload := make([]byte, 4096)
	payload[0] = 0x27
	in := core.MessageReceived{Message: message.Message{Timestamp: 40, StreamID: 1, Body: message.Video{Payload: payload}}}
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		s2, fx := s.Step(in)
		if len(fx) != 1 || s2.Closed() {
			b.Fatal("media did not pass")
		}
	}
}

func BenchmarkStepSendMedia(b *testing.B) {
	s := publishing(b)
	payload := make([]byte, 4096)
	in := core.SendMessage{StreamID: 1, Body: message.Video{Payload: payload}, Timestamp: 40, ForceTimestamp: true}
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		if _, fx := s.Step(in); len(fx) != 1 {
			b.Fatal("send did not pass")
		}
	}
}
