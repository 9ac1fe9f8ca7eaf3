package live_test

import (
	"context"
	"fmt"
	"log"
	"net"
	"time"

	"github.com/gortmp/rtmp/driver/live"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
)

// An in-process publisher and subscriber use a Relay like network
// clients: the subscriber that joins late starts on the last keyframe,
// after the sequence header, and hears the end of the stream.
func ExampleRelay_Subscribe() {
	ctx := context.Background()
	r := &live.Relay{}
	path := relay.Path{App: "live", Key: "camera"}
	pub, err := r.PublishLocal(path)
	if err != nil {
		log.Fatal(err)
	}
	for i, payload := range [][]byte{
		{0x17, 0x00, 0, 0, 0}, // AVC sequence header
		{0x17, 0x01, 0, 0, 0}, // keyframe
		{0x27, 0x01, 0, 0, 0}, // inter frame
		{0x17, 0x01, 0, 0, 0}, // keyframe
		{0x27, 0x01, 0, 0, 0}, // inter frame
	} {
		pub.WriteMedia(relay.Media{Kind: relay.Video, Timestamp: uint32(i * 40), Payload: payload})
	}
	sub, err := r.Subscribe(path, relay.ViewAll)
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()
	pub.Close()
	for {
		m, err := sub.Read(ctx)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(m.Kind, m.Timestamp, relay.Classify(m))
	}
	// Output:
	// video 0 video-header
	// video 120 keyframe
	// video 160 frame
	// EOF
}

// An edge server: players of live/KEY here are served what the origin
// has at rtmp://origin.example:1935/live/KEY, and what is published here
// is also pushed to a backup.
func ExampleRelay_Link() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := &live.Relay{}
	links, err := r.Link(ctx, live.LinkConfig{
		Pull:   []string{"rtmp://origin.example:1935/live"},
		Push:   []string{"rtmp://backup.example/live"},
		Linger: 5 * time.Second,
	})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", ":1935")
	if err != nil {
		log.Fatal(err)
	}
	err = driver.Serve(ctx, ln, r, driver.Config{})
	cancel()
	links.Wait()
	if err != nil {
		log.Fatal(err)
	}
}
