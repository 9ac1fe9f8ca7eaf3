package relay_test

import (
	"fmt"

	"github.com/gortmp/rtmp/core/relay"
)

func Example() {
	reg := relay.NewRegistry(relay.Config{})
	path := relay.Path{App: "live", Key: "demo"}
	s := reg.Stream(path)

	const publisher, early, late relay.ClientID = 1, 2, 3
	s.Play(early) // waits for a publisher
	fx, _ := s.Publish(publisher)
	for _, e := range fx {
		started := e.(relay.PublishStarted) // and the notice to send it
		fmt.Println("publish started for", started.Player, "with", len(started.Notice), "messages")
	}

	var f relay.Fanout
	for _, m := range []relay.Media{
		{Kind: relay.Video, Payload: []byte{0x17, 0, 0, 0, 0}},                // AVC sequence header
		{Kind: relay.Audio, Payload: []byte{0xaf, 0}},                         // AAC sequence header
		{Kind: relay.Video, Timestamp: 0, Payload: []byte{0x17, 1, 0, 0, 0}},  // keyframe
		{Kind: relay.Video, Timestamp: 40, Payload: []byte{0x27, 1, 0, 0, 0}}, // inter frame
	} {
		s.Media(m, &f)
		fmt.Println(f.Class, f.To)
	}

	fx, _ = s.Play(late) // starts with the cache: headers, keyframe, frame
	for _, e := range fx {
		send := e.(relay.Send)
		fmt.Println("late gets", relay.Classify(send.Media), send.Media.Timestamp)
	}

	for _, e := range s.Leave(publisher) {
		fmt.Println("publish stopped for", e.(relay.PublishStopped).Player)
	}
	// Output:
	// publish started for 2 with 2 messages
	// video-header [2]
	// audio-header [2]
	// keyframe [2]
	// frame [2]
	// late gets audio-header 0
	// late gets video-header 0
	// late gets keyframe 0
	// late gets frame 40
	// publish stopped for 2
	// publish stopped for 3
}
