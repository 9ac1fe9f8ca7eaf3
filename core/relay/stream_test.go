package relay

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

var (
	avcHeader = Media{Kind: Video, Payload: []byte{0x17, 0, 0, 0, 0}}
	aacHeader = Media{Kind: Audio, Payload: []byte{0xaf, 0, 0x12, 0x10}}
	meta      = Media{Kind: Metadata, Payload: []byte{2, 0, 10, 'o', 'n', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a'}}
)

func key(ts uint32, size int) Media {
	return Media{Kind: Video, Timestamp: ts, Payload: append([]byte{0x17, 1, 0, 0, 0}, make([]byte, size)...)}
}
func inter(ts uint32, size int) Media {
	return Media{Kind: Video, Timestamp: ts, Payload: append([]byte{0x27, 1, 0, 0, 0}, make([]byte, size)...)}
}
func aac(ts uint32, size int) Media {
	return Media{Kind: Audio, Timestamp: ts, Payload: append([]byte{0xaf, 1}, make([]byte, size)...)}
}

func TestClassify(t *testing.T) {
	for _, tc := range []struct {
		m    Media
		want Class
	}{
		{avcHeader, VideoHeader},
		{aacHeader, AudioHeader},
		{meta, Meta},
		{Media{Kind: Data, Payload: cue}, ScriptData},
		{key(0, 3), Keyframe},
		{inter(0, 3), Frame},
		{aac(0, 3), Frame},
		{Media{Kind: Video}, Unreadable},
		{Media{Kind: Audio}, Unreadable},
		{Media{Kind: Video, Payload: []byte{0x17}}, Unreadable}, // truncated AVC header
		{Media{Kind: Video, Payload: []byte{0x80, 'h', 'v', 'c', '1'}}, VideoHeader},                       // frame type 0 SequenceStart
		{Media{Kind: Video, Payload: []byte{0x83, 'h', 'v', 'c', '1', 0, 0, 0, 2, 19 << 1, 1}}, Keyframe},  // frame type 0, IDR_W_RADL
		{Media{Kind: Video, Payload: []byte{0x83, 'h', 'v', 'c', '1', 0, 0, 0, 2, 1 << 1, 1}}, Frame},      // frame type 0, TRAIL_R
		{Media{Kind: Video, Payload: []byte{0x83, 'h', 'v', 'c', '1', 0, 0, 0, 9, 1 << 1, 1}}, Unreadable}, // frame type 0, bad NAL length
		{Media{Kind: Video, Payload: []byte{0x83, 'v', 'p', '0', '8', 0x10}}, Unreadable},                  // frame type 0, no bitstream reader
		{Media{Kind: Video, Payload: []byte{0x17, 2, 0, 0, 0}}, Control},                                   // AVC end of sequence
		{Media{Kind: Video, Payload: []byte{0x1c, 0, 0, 0, 0}}, VideoHeader},                               // legacy HEVC id 12
		{Media{Kind: Video, Payload: []byte{0x90, 'h', 'v', 'c', '1'}}, VideoHeader},                       // enhanced SequenceStart
		{Media{Kind: Video, Payload: []byte{0x91, 'h', 'v', 'c', '1', 0, 0, 0}}, Keyframe},                 // enhanced keyframe CodedFrames
		{Media{Kind: Video, Payload: []byte{0xa3, 'a', 'v', '0', '1'}}, Frame},                             // enhanced inter CodedFramesX
		{Media{Kind: Audio, Payload: []byte{0x90, 'O', 'p', 'u', 's'}}, AudioHeader},                       // enhanced audio SequenceStart
		{Media{Kind: Audio, Payload: []byte{0x91, 'O', 'p', 'u', 's'}}, Frame},
		{Media{Kind: Audio, Payload: []byte{0x2f, 0}}, Frame}, // MP3 has no header
	} {
		if got := Classify(tc.m); got != tc.want {
			t.Errorf("Classify(% x) = %v, want %v", tc.m.Payload, got, tc.want)
		}
	}
}

func TestSecondPublisherRefused(t *testing.T) {
	s := NewStream(Config{})
	if _, err := s.Publish(1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Publish(2); !errors.Is(err, ErrPublisherExists) {
		t.Fatalf("second publish: %v, want ErrPublisherExists", err)
	}
	if id, ok := s.Publishing(); !ok || id != 1 {
		t.Fatalf("publisher = %d %v, want 1", id, ok)
	}
	if _, err := s.Play(1); !errors.Is(err, ErrClientExists) {
		t.Fatalf("publisher playing its own id: %v", err)
	}
}

func TestWaitingPlayerStartsOnKeyframe(t *testing.T) {
	s := NewStream(Config{})
	fx, err := s.Play(7)
	if err != nil || fx != nil {
		t.Fatalf("Play before publisher = %v, %v", fx, err)
	}
	fx, _ = s.Publish(1)
	if diff := cmp.Diff([]Effect{PublishStarted{Player: 7}}, fx, ignoreNotices); diff != "" {
		t.Fatal(diff)
	}
	var f Fanout
	got := []Class{}
	for _, m := range []Media{inter(0, 5), aac(0, 5), avcHeader, inter(10, 5), key(20, 5), inter(30, 5)} {
		s.Media(m, &f)
		if len(f.To) == 1 {
			got = append(got, f.Class)
		}
	}
	// The inter frames before the first keyframe are useless to a new decoder.
	want := []Class{Frame, VideoHeader, Keyframe, Frame}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatal(diff)
	}
	st, _ := s.PlayerStats(7)
	if st.Dropped != 2 || st.Sent != 4 {
		t.Fatalf("stats = %+v", st)
	}
}

func TestLatePlayerFastStart(t *testing.T) {
	s := NewStream(Config{})
	s.Publish(1)
	var f Fanout
	stream := []Media{meta, avcHeader, aacHeader, key(0, 10), aac(5, 3), inter(40, 4), key(80, 10), aac(85, 3), inter(120, 4)}
	for _, m := range stream {
		s.Media(m, &f)
	}
	fx, err := s.Play(2)
	if err != nil {
		t.Fatal(err)
	}
	want := []Effect{}
	for _, m := range []Media{meta, aacHeader, avcHeader, key(80, 10), aac(85, 3), inter(120, 4)} {
		want = append(want, Send{Player: 2, Media: m})
	}
	if diff := cmp.Diff(want, fx); diff != "" {
		t.Fatal(diff)
	}
	if q := s.Queued(2); q != costOf(want) {
		t.Fatalf("queued %d, want %d", q, costOf(want))
	}
	// The late player continues with live frames, no keyframe wait.
	s.Media(inter(160, 4), &f)
	if diff := cmp.Diff([]ClientID{2}, f.To); diff != "" {
		t.Fatal(diff)
	}
}

func costOf(fx []Effect) (n int) {
	for _, e := range fx {
		n += e.(Send).Media.Cost()
	}
	return n
}

func TestCacheBoundAndNewSequenceHeader(t *testing.T) {
	s := NewStream(Config{MaxCacheBytes: 100})
	s.Publish(1)
	var f Fanout
	s.Media(avcHeader, &f)
	s.Media(key(0, 40), &f)
	s.Media(inter(40, 40), &f) // 2*58 > 100: the GOP is no longer cached
	fx, _ := s.Play(2)
	if diff := cmp.Diff([]Effect{Send{Player: 2, Media: avcHeader}}, fx); diff != "" {
		t.Fatal(diff)
	}
	s.Media(key(80, 10), &f)
	s.Media(avcHeader, &f) // a new configuration invalidates the cached frames
	fx, _ = s.Play(3)
	if len(fx) != 1 {
		t.Fatalf("after new sequence header the cache sends %d messages, want 1", len(fx))
	}
}

func TestPublisherLeavesAndReturns(t *testing.T) {
	s := NewStream(Config{})
	s.Publish(1)
	s.Play(2)
	var f Fanout
	s.Media(key(0, 1), &f)
	if diff := cmp.Diff([]Effect{PublishStopped{Player: 2}}, s.Leave(1), ignoreNotices); diff != "" {
		t.Fatal(diff)
	}
	if s.Empty() {
		t.Fatal("stream with a waiting player reported empty")
	}
	s.Media(key(10, 1), &f)
	if len(f.To) != 0 {
		t.Fatal("media without a publisher was fanned out")
	}
	fx, err := s.Publish(3)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Effect{PublishStarted{Player: 2}}, fx, ignoreNotices); diff != "" {
		t.Fatal(diff)
	}
	// Nothing of the first publisher's cache survives.
	fx, _ = s.Play(4)
	if len(fx) != 0 {
		t.Fatalf("new publisher's cache has %d stale messages", len(fx))
	}
	s.Leave(2)
	s.Leave(4)
	s.Leave(3)
	if !s.Empty() {
		t.Fatal("stream not empty after everyone left")
	}
}

func TestSlowPlayerSkipsToKeyframe(t *testing.T) {
	s := NewStream(Config{MaxQueueBytes: 1000, HardQueueBytes: 1500, MaxBehindMillis: 1000})
	s.Publish(1)
	s.Play(2) // slow: never reports writes
	s.Play(3) // fast: reports every write
	var f Fanout
	feed := func(m Media) []ClientID {
		s.Media(m, &f)
		for _, id := range f.To {
			if id == 3 {
				s.Written(3, m.Cost())
			}
		}
		return append([]ClientID(nil), f.To...)
	}
	feed(avcHeader)
	feed(key(0, 300))
	feed(inter(40, 300))
	// The slow player's queue is now 2*318 + header; the next frame overflows.
	if to := feed(inter(80, 400)); !cmp.Equal(to, []ClientID{3}) {
		t.Fatalf("overflowing frame went to %v", to)
	}
	// Audio is kept while video is skipped.
	if to := feed(aac(90, 10)); !cmp.Equal(to, []ClientID{2, 3}) {
		t.Fatalf("audio went to %v", to)
	}
	// Even after draining, inter frames wait for a keyframe.
	s.Written(2, s.Queued(2))
	if to := feed(inter(120, 10)); !cmp.Equal(to, []ClientID{3}) {
		t.Fatalf("inter frame after drain went to %v", to)
	}
	if to := feed(key(160, 10)); !cmp.Equal(to, []ClientID{2, 3}) {
		t.Fatalf("keyframe after drain went to %v", to)
	}
	st, _ := s.PlayerStats(2)
	if st.Dropped != 2 {
		t.Fatalf("slow player dropped %d, want 2", st.Dropped)
	}
	// Stop draining again: after MaxBehindMillis of skipping, disconnect.
	ts := uint32(200)
	for ; ts < 3000; ts += 40 {
		s.Media(inter(ts, 300), &f)
		s.Written(3, inter(ts, 300).Cost())
		if len(f.Disconnect) != 0 {
			break
		}
	}
	if diff := cmp.Diff([]Disconnect{{Player: 2, Reason: ErrBehind}}, f.Disconnect, cmpErrors); diff != "" {
		t.Fatal(diff)
	}
	if ts > 200+40*3+1000+40 {
		t.Fatalf("disconnected at %d ms, later than the bound", ts)
	}
	if diff := cmp.Diff([]ClientID{3}, s.Players()); diff != "" {
		t.Fatal(diff)
	}
	if fast, _ := s.PlayerStats(3); fast.Dropped != 0 {
		t.Fatalf("fast player dropped %d", fast.Dropped)
	}
}

// ignoreNotices leaves the notices' messages out of a comparison of
// effects: TestNotices (conn_test.go) checks them.
var ignoreNotices = cmp.Options{
	cmpopts.IgnoreFields(PublishStarted{}, "Notice"),
	cmpopts.IgnoreFields(PublishStopped{}, "Notice"),
	cmpopts.IgnoreFields(DisconnectPublisher{}, "Notice"),
}

var cmpErrors = cmp.Comparer(func(a, b error) bool { return errors.Is(a, b) || errors.Is(b, a) })

func TestHardBoundDisconnects(t *testing.T) {
	s := NewStream(Config{MaxQueueBytes: 100, HardQueueBytes: 200, MaxBehindMillis: 1 << 30})
	s.Publish(1)
	s.Play(2)
	var f Fanout
	for i := range 20 {
		s.Media(aac(uint32(i), 30), &f)
		if len(f.Disconnect) > 0 {
			if !errors.Is(f.Disconnect[0].Reason, ErrQueueFull) {
				t.Fatal(f.Disconnect[0].Reason)
			}
			if i != 4 { // 4*48 fits under 200, the fifth does not
				t.Fatalf("disconnected at message %d", i)
			}
			return
		}
	}
	t.Fatal("a stalled audio-only player was never disconnected")
}

func TestRegistry(t *testing.T) {
	r := NewRegistry(Config{})
	a, b := Path{"live", "b"}, Path{"live", "a"}
	sa := r.Stream(a)
	if r.Stream(a) != sa {
		t.Fatal("Stream created twice")
	}
	r.Stream(b).Play(1)
	if diff := cmp.Diff([]Path{b, a}, r.Paths()); diff != "" {
		t.Fatal(diff)
	}
	if !r.Forget(a) || r.Forget(b) {
		t.Fatal("Forget must drop only empty streams")
	}
	if _, ok := r.Lookup(a); ok {
		t.Fatal("forgotten stream still there")
	}
}

// Found by the simulation: after the publisher's AVC end of sequence, a
// late player was handed the last group of pictures without the
// configuration it was coded against. The group goes with the
// configuration; the player waits for the next keyframe.
func TestSequenceEndDropsTheGroupOfPictures(t *testing.T) {
	s := NewStream(Config{})
	s.Publish(1)
	var f Fanout
	for _, m := range []Media{aacHeader, avcHeader, key(0, 10), inter(40, 10), {Kind: Video, Timestamp: 80, Payload: []byte{0x17, 2, 0, 0, 0}}} {
		s.Media(m, &f)
	}
	fx, err := s.Play(2)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Effect{Send{Player: 2, Media: aacHeader}}, fx); diff != "" {
		t.Fatalf("fast start after the sequence end (-want +got):\n%s", diff)
	}
}

// A publisher taken over may still send; the stream takes nothing from it.
func TestMediaFromTakenOverPublisher(t *testing.T) {
	s := NewStream(Config{})
	s.Publish(1)
	s.Play(2)
	s.TakeOver(3)
	var f Fanout
	if s.MediaFrom(1, key(0, 10), &f) {
		t.Fatal("the old publisher's message was taken")
	}
	if !s.MediaFrom(3, key(0, 10), &f) || !cmp.Equal(f.To, []ClientID{2}) {
		t.Fatalf("the new publisher's keyframe went to %v", f.To)
	}
}
