package dial

import (
	"context"
	"testing"

	"github.com/gortmp/rtmp/codec/message"
)

// TestPlaybackMarkSurvivesFullQueue: a full playback queue drops the
// server's messages but still takes the driver's own mark, behind what
// was queued, so a pull learns that its remote stream ended even when its
// reader is behind.
func TestPlaybackMarkSurvivesFullQueue(t *testing.T) {
	p := &Playback{
		msgs:     make(chan message.Message, 2+markReserve),
		maxCount: 2, maxBytes: 1 << 20,
		ended: make(chan struct{}),
	}
	video := func(i byte) message.Message { return message.Message{Body: message.Video{Payload: []byte{0x27, i}}} }
	mark := message.Message{Body: message.Command{Name: "(a mark)"}}
	p.offer(video(1), false)
	p.offer(video(2), false)
	p.offer(video(3), false)
	p.offer(mark, true)
	p.offer(video(4), false)
	if p.Dropped() != 2 {
		t.Errorf("dropped %d, want 2 (the messages past PlayQueue)", p.Dropped())
	}
	var got []any
	for range 3 {
		m, err := p.ReadMessage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m.Body)
	}
	if v, ok := got[0].(message.Video); !ok || v.Payload[1] != 1 {
		t.Errorf("first read %v, want video 1", got[0])
	}
	if v, ok := got[1].(message.Video); !ok || v.Payload[1] != 2 {
		t.Errorf("second read %v, want video 2", got[1])
	}
	if c, ok := got[2].(message.Command); !ok || c.Name != "(a mark)" {
		t.Errorf("third read %v, want the mark", got[2])
	}
	if q := p.queued.Load(); q != 0 {
		t.Errorf("%d bytes still counted as queued after the queue emptied", q)
	}
}
