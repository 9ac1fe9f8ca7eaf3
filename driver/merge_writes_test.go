package driver_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"
)

// mediaRead is one audio or video message as a player read it.
type mediaRead struct {
	Type      message.TypeID
	Timestamp uint32
	Payload   []byte
}

// readMedia reads audio and video messages until it has n or ctx ends.
func readMedia(ctx context.Context, pb *dial.Playback, n int) ([]mediaRead, error) {
	var got []mediaRead
	for len(got) < n {
		m, err := pb.ReadMessage(ctx)
		if err != nil {
			return got, err
		}
		switch b := m.Body.(type) {
		case message.Video:
			got = append(got, mediaRead{message.TypeVideo, m.Timestamp, b.Payload})
		case message.Audio:
			got = append(got, mediaRead{message.TypeAudio, m.Timestamp, b.Payload})
		}
	}
	return got, nil
}

// mergeTestFrames are a sequence header, a keyframe, then inter frames
// and audio, each payload its own.
func mergeTestFrames(n int) []flv.Tag {
	tags := []flv.Tag{
		{Type: flv.TagVideo, Data: []byte{0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f}},
		{Type: flv.TagVideo, Data: []byte{0x17, 1, 0, 0, 0, 0x65, 0x88, 0x80}},
	}
	for i := range n {
		ts := uint32(40 * (i + 1))
		if i%2 == 0 {
			tags = append(tags, flv.Tag{Type: flv.TagVideo, Timestamp: ts, Data: []byte{0x27, 1, 0, 0, 0, 0x41, byte(i), 0x9a}})
		} else {
			tags = append(tags, flv.Tag{Type: flv.TagAudio, Timestamp: ts, Data: []byte{0xaf, 1, byte(i), 0x21}})
		}
	}
	return tags
}

// With Config.MergeWrites, a player's live media is held for the merged
// write, but its fast start is not, nor a late player's while the first
// one's media is held, and the notices of the publisher's end take what
// is held with them. The period here is an hour, so nothing leaves by
// the clock: what arrives was not held. A player gets the same messages,
// in the same order, as without merged writes.
func TestMergedWritesHoldLiveMediaButNotFastStartsOrNotices(t *testing.T) {
	const live_ = 10
	tags := mergeTestFrames(live_)
	var runs [2][]mediaRead
	for run, merge := range []time.Duration{0, time.Hour} {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		r := &live.Relay{}
		addr := startServer(t, nil, r, driver.Config{MergeWrites: merge, Nagle: true})
		url := rtmpURL(addr, "live/merge")

		// An in-process player, never merged, tells when the relay has
		// fanned out what was published: a network player that plays
		// after it read a message gets that message in its fast start,
		// not live (where the hour's hold would keep it).
		probe, err := r.Subscribe(relay.Path{App: "live", Key: "merge"}, relay.ViewAll)
		if err != nil {
			t.Fatal(err)
		}
		relayed := func(n int) {
			t.Helper()
			for range n {
				if _, err := probe.Read(ctx); err != nil {
					t.Fatalf("merge %v: the relay did not fan out what was published: %v", merge, err)
				}
			}
		}
		pc, err := dial.Config{}.Dial(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := pc.Publish(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, tag := range tags[:2] {
			if err := pub.WriteTag(tag); err != nil {
				t.Fatal(err)
			}
		}
		relayed(2)
		vc, err := dial.Config{}.Dial(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		pb, err := vc.Play(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		fast, err := readMedia(ctx, pb, 2)
		if err != nil {
			t.Fatalf("merge %v: the fast start did not arrive: %v", merge, err)
		}
		for _, tag := range tags[2:] {
			if err := pub.WriteTag(tag); err != nil {
				t.Fatal(err)
			}
		}
		relayed(live_)
		// A late player's fast start (the whole group so far) arrives
		// while the first player's live media is held.
		lc, err := dial.Config{}.Dial(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		lpb, err := lc.Play(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		late, err := readMedia(ctx, lpb, len(tags))
		if err != nil {
			t.Fatalf("merge %v: the late player's fast start did not arrive: %v", merge, err)
		}
		if merge > 0 {
			wait, cancelWait := context.WithTimeout(ctx, 300*time.Millisecond)
			early, err := readMedia(wait, pb, 1)
			cancelWait()
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("merge %v: live media arrived before any flush: %v (%v)", merge, early, err)
			}
		}
		// The publisher's end: its notices carry what is held.
		pc.Close()
		rest, err := readMedia(ctx, pb, live_)
		if err != nil {
			t.Fatalf("merge %v: held media did not leave with the end's notices: got %d of %d: %v", merge, len(rest), live_, err)
		}
		runs[run] = append(fast, rest...)
		if diff := cmp.Diff(runs[run], late); diff != "" {
			t.Errorf("merge %v: the late player got other messages than the first (-first +late):\n%s", merge, diff)
		}
		vc.Close()
		lc.Close()
		probe.Close()
		cancel()
	}
	if diff := cmp.Diff(runs[0], runs[1]); diff != "" {
		t.Errorf("merged writes changed what a player gets (-unmerged +merged):\n%s", diff)
	}
}

// With Config.MergeWrites of 100 ms, each message, keyframes included,
// reaches a player within the period plus what the machine adds. (That a
// fast start does not wait for a flush is shown with an hour's period
// above, where no clock is involved.)
func TestMergedWritesWaitAtMostThePeriod(t *testing.T) {
	const period = 100 * time.Millisecond
	// What a loaded machine (CI, the race detector) may add to a flush.
	const slack = 200 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	addr := startServer(t, nil, &live.Relay{}, driver.Config{MergeWrites: period})
	url := rtmpURL(addr, "live/mergeperiod")
	pc, err := dial.Config{}.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	pub, err := pc.Publish(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	tags := mergeTestFrames(60)
	for i := 2; i < len(tags); i += 10 {
		tags[i].Data[0] = 0x17 // a keyframe every 10 messages
	}
	for _, tag := range tags[:2] {
		if err := pub.WriteTag(tag); err != nil {
			t.Fatal(err)
		}
	}
	vc, err := dial.Config{}.Dial(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer vc.Close()
	pb, err := vc.Play(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := readMedia(ctx, pb, 2); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	sentAt := map[uint32]time.Time{}
	pubErr := make(chan error, 1)
	go func() {
		for _, tag := range tags[2:] {
			mu.Lock()
			sentAt[tag.Timestamp] = time.Now()
			mu.Unlock()
			if err := pub.WriteTag(tag); err != nil {
				pubErr <- err
				return
			}
			time.Sleep(7 * time.Millisecond)
		}
		pubErr <- nil
	}()
	var worst time.Duration
	var worstTS uint32
	for range len(tags) - 2 {
		got, err := readMedia(ctx, pb, 1)
		if err != nil {
			t.Fatal(err)
		}
		arrived := time.Now()
		mu.Lock()
		wait := arrived.Sub(sentAt[got[0].Timestamp])
		mu.Unlock()
		if wait > worst {
			worst, worstTS = wait, got[0].Timestamp
		}
	}
	if err := <-pubErr; err != nil {
		t.Fatal(err)
	}
	if worst > period+slack {
		t.Errorf("the message at %d ms waited %v, over the %v period and %v of slack", worstTS, worst, period, slack)
	}
	t.Logf("longest wait %v (message at %d ms)", worst, worstTS)
}
