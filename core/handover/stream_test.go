package handover

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
)

// At a keyframe boundary the new server needs the replay alone (metadata
// first, then the decoder configuration in effect): the keyframe that
// follows starts the stream. Mid-group it needs the replay in effect at
// the keyframe, the keyframe and what came after.
func TestTakeReplaysTheConfiguration(t *testing.T) {
	header := []byte{0x17, 0, 0, 0, 0, 'H'}
	key := []byte{0x17, 1, 0, 0, 0, 'K'}
	inter := []byte{0x27, 1, 0, 0, 0, 'P'}
	md := amf0.ECMAArray{{Key: "width", Value: 320.0}}
	write := func(l *Lifecycle, s *Stream) {
		l.Write(s, client.SendMetaData{MetaData: md})
		for i, b := range [][]byte{header, key, inter} {
			l.Write(s, client.SendMessage{Timestamp: uint32(i), Body: message.Video{Payload: append([]byte(nil), b...)}})
		}
	}
	video := func(ts uint32, b []byte) client.Input {
		return client.SendMessage{StreamID: 3, Timestamp: ts, Body: message.Video{Payload: b}}
	}
	meta := client.SendMetaData{StreamID: 3, MetaData: md}

	var s Stream
	l := New(true)
	write(l, &s)
	want := []client.Input{meta, video(0, header)}
	if diff := cmp.Diff(want, s.Take(3, true)); diff != "" {
		t.Errorf("at a boundary (-want +got):\n%s", diff)
	}

	s = Stream{}
	write(l, &s)
	want = []client.Input{meta, video(0, header), video(1, key), video(2, inter)}
	if diff := cmp.Diff(want, s.Take(3, false)); diff != "" {
		t.Errorf("mid-group (-want +got):\n%s", diff)
	}
}
