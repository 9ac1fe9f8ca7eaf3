package live

import (
	"testing"

	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
)

// fastStartFrames runs a fast start for a new player id on st and returns
// the frames it would queue, in order.
func fastStartFrames(t *testing.T, st *relayStream, id relay.ClientID) []*driver.Frame {
	t.Helper()
	st.mu.Lock()
	defer st.mu.Unlock()
	fx, err := st.s.PlayView(id, relay.ViewAll)
	if err != nil {
		t.Fatal(err)
	}
	var frames []*driver.Frame
	for _, e := range fx {
		if s, ok := e.(relay.Send); ok {
			frames = append(frames, st.gop.frame(s.Media, st.cacheLimit))
		}
	}
	return frames
}

func publishLocal(t *testing.T, r *Relay, p relay.Path) (*LocalPublisher, *relayStream) {
	t.Helper()
	lp, err := r.PublishLocal(p)
	if err != nil {
		t.Fatal(err)
	}
	st := r.known(p) // locked
	st.mu.Unlock()
	return lp, st
}

func writeAll(t *testing.T, lp *LocalPublisher, ms ...relay.Media) {
	t.Helper()
	for _, m := range ms {
		if err := lp.WriteMedia(m); err != nil {
			t.Fatal(err)
		}
	}
}

func video(ts uint32, b ...byte) relay.Media {
	return relay.Media{Kind: relay.Video, Timestamp: ts, Payload: b}
}
func audio(ts uint32, b ...byte) relay.Media {
	return relay.Media{Kind: relay.Audio, Timestamp: ts, Payload: b}
}

var (
	avcHeader = []byte{0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f}
	aacHeader = []byte{0xaf, 0, 0x12, 0x10}
)

// Players joining a live stream share the encoding of their fast start:
// the group since the last keyframe is made into frames once, by the live
// fan-out or by the first fast start that needs them, and the next
// players get the same frames. Before, each player got new frames, and a
// thousand players joining encoded the group a thousand times.
func TestFastStartSharesFrames(t *testing.T) {
	r := &Relay{}
	path := relay.Path{App: "live", Key: "s"}
	lp, st := publishLocal(t, r, path)
	// Fanned out to nobody: no frame is made yet.
	writeAll(t, lp, video(0, avcHeader...), audio(0, aacHeader...),
		video(0, 0x17, 1, 0, 0, 0, 'K'), audio(10, 0xaf, 1, 'a'), video(40, 0x27, 1, 0, 0, 0, 'P'))

	first := fastStartFrames(t, st, 1001)
	second := fastStartFrames(t, st, 1002)
	if len(first) != 5 || len(second) != 5 {
		t.Fatalf("fast starts of %d and %d frames, want 5", len(first), len(second))
	}
	// The decoder configuration precedes the group: the configuration
	// messages are kept only while the group is, so they are shared too.
	for i := range first {
		if first[i] != second[i] {
			t.Errorf("frame %d of the fast start was made again for the second player", i)
		}
	}
	if b, err := second[2].Bytes(4096, 1); err != nil || string(b[len(b)-1:]) != "K" {
		t.Errorf("third frame %q, %v; want the keyframe", b, err)
	}

	// One live player: the fan-out's frame is not kept, since nobody
	// would share it (an ingest server's streams have one player each).
	sub, err := r.Subscribe(path, relay.ViewAll)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	p1 := video(60, 0x27, 1, 0, 0, 0, 'O')
	writeAll(t, lp, p1)
	st.mu.Lock()
	alone := st.gop.frames[mustKey(t, p1)]
	st.mu.Unlock()
	if alone != nil {
		t.Error("the frame fanned out to one player was kept")
	}

	// Two live players: the fan-out's frame is the one the next fast
	// start gets.
	sub2, err := r.Subscribe(path, relay.ViewAll)
	if err != nil {
		t.Fatal(err)
	}
	defer sub2.Close()
	p2 := video(80, 0x27, 1, 0, 0, 0, 'Q')
	writeAll(t, lp, p2)
	st.mu.Lock()
	live := st.gop.frames[mustKey(t, p2)]
	st.mu.Unlock()
	if live == nil {
		t.Fatal("the live fan-out's frame was not kept")
	}
	third := fastStartFrames(t, st, 1003)
	if last := third[len(third)-1]; last != live {
		t.Error("the fast start made a frame of its own for a message fanned out live")
	}

	// A new keyframe starts a new group: the old frames go.
	writeAll(t, lp, video(120, 0x17, 1, 0, 0, 0, 'L'))
	st.mu.Lock()
	n := len(st.gop.frames)
	st.mu.Unlock()
	if n != 1 {
		t.Errorf("%d frames kept after a new keyframe, want 1 (the keyframe)", n)
	}
	// So does a new decoder configuration, until the next keyframe.
	writeAll(t, lp, video(160, avcHeader...), video(160, 0x27, 1, 0, 0, 0, 'R'))
	st.mu.Lock()
	n = len(st.gop.frames)
	st.mu.Unlock()
	if n != 0 {
		t.Errorf("%d frames kept after a new decoder configuration, want 0", n)
	}
}

func mustKey(t *testing.T, m relay.Media) frameKey {
	k, ok := keyOf(m)
	if !ok {
		t.Fatal("no key")
	}
	return k
}

// What is kept stays within the relay cache's bound, and a stream without
// keyframes keeps nothing.
func TestFastStartFramesBounded(t *testing.T) {
	r := &Relay{Limits: relay.Config{MaxCacheBytes: 100}}
	path := relay.Path{App: "live", Key: "big"}
	lp, st := publishLocal(t, r, path)
	sub, err := r.Subscribe(path, relay.ViewAll)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	big := make([]byte, 60)
	big[0], big[1] = 0x17, 1
	inter := make([]byte, 60)
	inter[0], inter[1] = 0x27, 1
	writeAll(t, lp, video(0, big...), video(40, inter...))
	st.mu.Lock()
	n, open := len(st.gop.frames), st.gop.open
	st.mu.Unlock()
	if n != 0 || open {
		t.Errorf("over the bound: %d frames kept, open %v; want none, closed", n, open)
	}

	path = relay.Path{App: "live", Key: "radio"}
	lp, st = publishLocal(t, r, path)
	sub2, err := r.Subscribe(path, relay.ViewAll)
	if err != nil {
		t.Fatal(err)
	}
	defer sub2.Close()
	writeAll(t, lp, audio(0, aacHeader...), audio(10, 0xaf, 1, 'a'), audio(20, 0xaf, 1, 'b'))
	st.mu.Lock()
	n = len(st.gop.frames)
	st.mu.Unlock()
	if n != 0 {
		t.Errorf("audio only: %d frames kept, want none", n)
	}
}
