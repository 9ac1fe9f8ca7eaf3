package client_test

import (
	"testing"

	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// BenchmarkPlayMedia is the player's hot path: one video message of a
// playing stream through Step.
func BenchmarkPlayMedia(b *testing.B) {
	s, _ := steps(client.New(client.Config{}), join(
		[]client.Input{connectInput()}, serverOpening(),
		[]client.Input{
			client.CreateStream{Request: 1}, recv(0, reply("_result", 2, nil, 1.0)),
			client.Play{StreamID: 1, Name: "k", Start: -2}, recv(1, status("status", "NetStream.Play.Start", "")),
		})...)
	in := client.MessageReceived{Message: message.Message{StreamID: 1, Body: message.Video{Payload: make([]byte, 4096)}}}
	b.ReportAllocs()
	b.SetBytes(4096)
	for b.Loop() {
		_, fx := s.Step(in)
		if len(fx) != 1 {
			b.Fatal(len(fx))
		}
	}
}
