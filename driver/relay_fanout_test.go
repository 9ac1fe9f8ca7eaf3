package driver_test

import (
	"context"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/live"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/core/relay"
	"pgregory.net/rapid"
)

// TestRelayFanOutWritersKeepOrder: however many goroutines write one
// message to a stream's players, and however many players there are,
// every player gets every message, once, in the publisher's order.
func TestRelayFanOutWritersKeepOrder(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		writers := rapid.IntRange(1, 5).Draw(rt, "writers")
		players := rapid.IntRange(1, 700).Draw(rt, "players")
		messages := rapid.IntRange(1, 40).Draw(rt, "messages")
		r := &live.Relay{FanOutWriters: writers}
		path := relay.Path{App: "live", Key: "fanout"}
		subs := make([]*live.Subscriber, players)
		for i := range subs {
			s, err := r.Subscribe(path, relay.ViewAll)
			if err != nil {
				rt.Fatal(err)
			}
			defer s.Close()
			subs[i] = s
		}
		pub, err := r.PublishLocal(path)
		if err != nil {
			rt.Fatal(err)
		}
		defer pub.Close()
		want := append([]relay.Media{{Kind: relay.Video, Payload: linkAVCHeader}}, linkMedia(0, messages, 3)...)
		for _, m := range want {
			if err := pub.WriteMedia(m); err != nil {
				rt.Fatal(err)
			}
		}
		for i, s := range subs {
			got := make([]relay.Media, 0, len(want))
			for range want {
				// A message that never comes fails the check in seconds.
				ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
				m, err := s.Read(ctx)
				cancel()
				if err != nil {
					rt.Fatalf("player %d after %d messages: %v", i, len(got), err)
				}
				got = append(got, m)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				rt.Fatalf("player %d of %d, %d writers (-want +got):\n%s", i, players, writers, diff)
			}
		}
	})
}
