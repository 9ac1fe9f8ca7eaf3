package relay

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// cue is an AMF0 onCuePoint data message payload (name only).
var cue = []byte{2, 0, 10, 'o', 'n', 'C', 'u', 'e', 'P', 'o', 'i', 'n', 't'}

func TestDataMessagesRelayedInOrderNotCached(t *testing.T) {
	s := NewStream(Config{})
	s.PlayView(2, ViewLegacy)
	s.Publish(1)
	text := Media{Kind: Data, Timestamp: 40, Payload: cue}
	var f Fanout
	type got struct {
		Class Class
		TS    uint32
	}
	var seq []got
	for _, m := range []Media{meta, avcHeader, key(0, 3), text, inter(40, 3), {Kind: Data, Timestamp: 80, Payload: cue}} {
		s.Media(m, &f)
		if len(f.To) != 1 {
			t.Fatalf("%v reached %v, want [2]", f.Class, f.To)
		}
		p := f.Payload(ViewLegacy)
		if m.Kind == Data && !sameSlice(p.Payload, m.Payload) {
			t.Fatalf("data payload % x became % x", m.Payload, p.Payload)
		}
		seq = append(seq, got{f.Class, p.Timestamp})
	}
	want := []got{{Meta, 0}, {VideoHeader, 0}, {Keyframe, 0}, {ScriptData, 40}, {Frame, 40}, {ScriptData, 80}}
	if diff := cmp.Diff(want, seq); diff != "" {
		t.Fatalf("player's messages (-want +got):\n%s", diff)
	}
	// A late player gets metadata and the picture, not old cue points.
	fx, _ := s.Play(3)
	for _, e := range fx {
		if e.(Send).Media.Kind == Data {
			t.Fatalf("fast start replays a data message: %+v", e)
		}
	}
	if len(fx) != 4 {
		t.Fatalf("fast start sent %d messages, want metadata, header, keyframe, frame", len(fx))
	}
}

func TestDataMessagesSurviveAFullQueue(t *testing.T) {
	s := NewStream(Config{MaxQueueBytes: 100, HardQueueBytes: 1000, MaxBehindMillis: 10_000})
	s.Play(2) // never reports writes
	s.Publish(1)
	var f Fanout
	s.Media(key(0, 90), &f)
	s.Media(inter(40, 90), &f)
	if len(f.To) != 0 {
		t.Fatal("an inter frame past the queue bound was sent")
	}
	s.Media(Media{Kind: Data, Timestamp: 40, Payload: cue}, &f)
	if diff := cmp.Diff([]ClientID{2}, f.To); diff != "" {
		t.Fatalf("a cue point was dropped with the video: %s", diff)
	}
}

func TestClearMetadata(t *testing.T) {
	s := NewStream(Config{})
	s.Publish(1)
	var f Fanout
	s.Media(meta, &f)
	s.Media(avcHeader, &f)
	s.ClearMetadata()
	fx, _ := s.Play(2)
	if diff := cmp.Diff([]Effect{Send{Player: 2, Media: avcHeader}}, fx); diff != "" {
		t.Fatalf("after @clearDataFrame (-want +got):\n%s", diff)
	}
	s.Media(meta, &f)
	if fx, _ := s.Play(3); len(fx) != 2 || fx[0].(Send).Media.Kind != Metadata {
		t.Fatalf("new metadata not cached again: %v", fx)
	}
}

func sameSlice(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}
