package driver_test

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/live"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/core/relay"
)

// Synthetic H.264/AAC messages: only their tag headers matter to the
// relay, which classifies them to start players on keyframes.
var (
	linkAVCHeader = []byte{0x17, 0x00, 0, 0, 0, 0x01, 0x64, 0x00, 0x1f}
	linkAACHeader = []byte{0xaf, 0x00, 0x12, 0x10}
)

func linkVideo(i int, key bool) []byte {
	b := []byte{0x27, 0x01, 0, 0, 0, byte(i >> 8), byte(i)}
	if key {
		b[0] = 0x17
	}
	return b
}

func linkAudio(i int) []byte { return []byte{0xaf, 0x01, byte(i >> 8), byte(i)} }

// linkMedia is n messages of a stream with a keyframe every gop video
// frames: video and audio alternate, 20 ms apart.
func linkMedia(from, n, gop int) []relay.Media {
	var ms []relay.Media
	for i := from; i < from+n; i++ {
		ts := uint32(i * 20)
		if i%2 == 0 {
			ms = append(ms, relay.Media{Kind: relay.Video, Timestamp: ts, Payload: linkVideo(i, (i/2)%gop == 0)})
		} else {
			ms = append(ms, relay.Media{Kind: relay.Audio, Timestamp: ts, Payload: linkAudio(i)})
		}
	}
	return ms
}

func readN(ctx context.Context, t *testing.T, s *live.Subscriber, n int) []relay.Media {
	t.Helper()
	var got []relay.Media
	for range n {
		m, err := s.Read(ctx)
		if err != nil {
			t.Fatalf("read %d of %d: %v", len(got), n, err)
		}
		got = append(got, m)
	}
	return got
}

// TestLinkLocalPublisherSubscriber: an in-process publisher and players
// use the relay like network ones: the early subscriber gets every
// message in order, a late one starts with the fast-start cache on the
// last keyframe, both end with io.EOF when the publisher leaves, and a
// path has one publisher at a time.
func TestLinkLocalPublisherSubscriber(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r := &live.Relay{}
	path := relay.Path{App: "live", Key: "local"}
	early, err := r.Subscribe(path, relay.ViewAll)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := r.PublishLocal(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.PublishLocal(path); !errors.Is(err, relay.ErrPublisherExists) {
		t.Errorf("second local publisher: %v, want ErrPublisherExists", err)
	}
	head := []relay.Media{
		{Kind: relay.Video, Payload: linkAVCHeader},
		{Kind: relay.Audio, Payload: linkAACHeader},
	}
	// Three groups of pictures of 5 frames; the last keyframe is message
	// 20 of linkMedia (video frame 10).
	body := linkMedia(0, 30, 5)
	for _, m := range append(append([]relay.Media{}, head...), body...) {
		if err := pub.WriteMedia(m); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(append(append([]relay.Media{}, head...), body...), readN(ctx, t, early, len(head)+len(body))); diff != "" {
		t.Errorf("early subscriber (-want +got):\n%s", diff)
	}

	late, err := r.Subscribe(path, relay.ViewAll)
	if err != nil {
		t.Fatal(err)
	}
	// The cache gives the audio configuration before the video one.
	wantLate := append([]relay.Media{head[1], head[0]}, body[20:]...)
	if diff := cmp.Diff(wantLate, readN(ctx, t, late, len(wantLate))); diff != "" {
		t.Errorf("late subscriber (-want +got):\n%s", diff)
	}
	if got := r.Players(path); got != 2 {
		t.Errorf("Players = %d, want 2", got)
	}

	pub.Close()
	if err := pub.WriteMedia(body[0]); !errors.Is(err, live.ErrLocalClosed) {
		t.Errorf("WriteMedia after Close: %v", err)
	}
	for name, s := range map[string]*live.Subscriber{"early": early, "late": late} {
		if _, err := s.Read(ctx); !errors.Is(err, io.EOF) {
			t.Errorf("%s subscriber after the publisher left: %v, want io.EOF", name, err)
		}
		s.Close()
		if _, err := s.Read(ctx); !errors.Is(err, live.ErrLocalClosed) {
			t.Errorf("%s subscriber after Close: %v", name, err)
		}
	}
	if r.Publishing(path) || r.Players(path) != 0 {
		t.Errorf("path still used: publishing %v, %d players", r.Publishing(path), r.Players(path))
	}
}

// TestLinkSubscriberBounded: a subscriber that does not read never holds
// more than the relay's bounds. It skips video to the next keyframe, then
// is dropped, and its publisher never waits.
func TestLinkSubscriberBounded(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	r := &live.Relay{Limits: relay.Config{MaxQueueBytes: 1000, HardQueueBytes: 2000, MaxBehindMillis: 60000}}
	path := relay.Path{App: "live", Key: "slow"}
	pub, err := r.PublishLocal(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	sub, err := r.Subscribe(path, relay.ViewAll)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	big := make([]byte, 300)
	big[0], big[1] = 0x27, 0x01
	key := append([]byte{0x17, 0x01}, big[2:]...)
	// Keyframe, then inter frames until the queue is full: what gets
	// through is the first few frames.
	pub.WriteMedia(relay.Media{Kind: relay.Video, Payload: key})
	for i := 1; i < 10; i++ {
		pub.WriteMedia(relay.Media{Kind: relay.Video, Timestamp: uint32(i * 40), Payload: big})
	}
	if q := r.Queued(path); len(q) != 1 || q[0] > 1000 {
		t.Fatalf("queued %v, want at most 1000", q)
	}
	// Taking one message makes room, but video stays skipped until a
	// keyframe: an inter frame is not sent, the next keyframe is.
	first := readN(ctx, t, sub, 1)[0]
	if first.Payload[0] != 0x17 {
		t.Errorf("first message is not the keyframe")
	}
	if rest := readAvailable(sub); len(rest) != 2 {
		t.Errorf("%d more messages queued, want the 2 inter frames that fit", len(rest))
	}
	pub.WriteMedia(relay.Media{Kind: relay.Video, Timestamp: 400, Payload: big})
	pub.WriteMedia(relay.Media{Kind: relay.Video, Timestamp: 440, Payload: key})
	got := readN(ctx, t, sub, 1)[0]
	if got.Timestamp != 440 {
		t.Errorf("after the overflow the subscriber got ts %d, want the keyframe at 440", got.Timestamp)
	}
	// Audio keeps flowing past the soft bound up to the hard one, then
	// the subscriber is dropped.
	for i := range 20 {
		pub.WriteMedia(relay.Media{Kind: relay.Audio, Timestamp: uint32(500 + i), Payload: make([]byte, 300)})
	}
	var err2 error
	for err2 == nil {
		_, err2 = sub.Read(ctx)
	}
	if !errors.Is(err2, live.ErrSubscriberDropped) {
		t.Errorf("slow subscriber ended with %v, want ErrSubscriberDropped", err2)
	}
}

// readAvailable takes what a subscriber has queued without waiting.
func readAvailable(s *live.Subscriber) []relay.Media {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	var got []relay.Media
	for {
		m, err := s.Read(ctx)
		if err != nil {
			return got
		}
		got = append(got, m)
	}
}

// BenchmarkLinkLocalFanout measures one message from an in-process
// publisher to an in-process subscriber, the path of every pushed and
// pulled message.
func BenchmarkLinkLocalFanout(b *testing.B) {
	ctx := context.Background()
	r := &live.Relay{}
	path := relay.Path{App: "live", Key: "bench"}
	pub, err := r.PublishLocal(path)
	if err != nil {
		b.Fatal(err)
	}
	defer pub.Close()
	sub, err := r.Subscribe(path, relay.ViewAll)
	if err != nil {
		b.Fatal(err)
	}
	defer sub.Close()
	payload := make([]byte, 4096)
	payload[0], payload[1] = 0x27, 0x01
	key := append([]byte{0x17, 0x01}, payload[2:]...)
	pub.WriteMedia(relay.Media{Kind: relay.Video, Payload: key})
	sub.Read(ctx)
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		pub.WriteMedia(relay.Media{Kind: relay.Video, Timestamp: uint32(i), Payload: payload})
		if _, err := sub.Read(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
