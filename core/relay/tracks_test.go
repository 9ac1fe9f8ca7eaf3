package relay

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/flv"
)

// oneTrack is a multitrack message of one hvc1 track, as OBS 31 writes
// every track but the default one.
func oneTrack(ts uint32, ft flv.VideoFrameType, pt flv.VideoPacketType, id uint8, data []byte) Media {
	return video(ts, flv.AppendVideoMultitrack(nil, ft, pt, []flv.VideoTrack{{ID: id, FourCC: flv.FourCCHEVC, Data: data}}))
}

// A keyframe of track 1 after track 0's leaves track 0's in the cache,
// whichever comes first: a late player starts both on their own.
func TestFastStartKeepsEveryTracksKeyframe(t *testing.T) {
	hevcHeader1 := oneTrack(0, flv.FrameKey, flv.VideoSequenceStart, 1, hvcC)
	key0, inter0 := key(40, 10), inter(80, 10)
	key1 := oneTrack(60, flv.FrameKey, flv.VideoCodedFramesX, 1, []byte{0, 0, 0, 2, 19 << 1, 1})
	inter1 := oneTrack(100, flv.FrameInter, flv.VideoCodedFramesX, 1, []byte{0, 0, 0, 2, 1 << 1, 1})
	for _, tc := range []struct {
		name      string
		published []Media
		all       []Media
		def       []Media
	}{
		{"track 0 first", []Media{key0, key1, inter0, inter1},
			[]Media{key0, key1, inter0, inter1}, []Media{key0, inter0}},
		{"track 1 first", []Media{key1, key0, inter1, inter0},
			[]Media{key1, key0, inter1, inter0}, []Media{key0, inter0}},
		{"track 0 keyframe again", []Media{key0, key1, inter0, inter1, key(120, 10)},
			[]Media{key1, inter1, key(120, 10)}, []Media{key(120, 10)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewStream(Config{})
			s.Publish(1)
			var f Fanout
			for _, m := range append([]Media{avcHeader, hevcHeader1}, tc.published...) {
				s.Media(m, &f)
			}
			for _, v := range []View{ViewAll, ViewDefaultTrack} {
				fx, _ := s.PlayView(ClientID(10+v), v)
				want := []Effect{Send{ClientID(10 + v), avcHeader}}
				frames := tc.def
				if v == ViewAll {
					want = append(want, Send{ClientID(10 + v), hevcHeader1})
					frames = tc.all
				}
				for _, m := range frames {
					want = append(want, Send{ClientID(10 + v), m})
				}
				if diff := cmp.Diff(want, fx); diff != "" {
					t.Errorf("%v fast start (-want +got):\n%s", v, diff)
				}
			}
		})
	}
}

// A message codec/flv cannot read reaches players that take every
// message as published, and no other: it is counted in the Fanout, with
// the reason, and not cached.
func TestUnreadableReachesAllTracksPlayersOnly(t *testing.T) {
	s := NewStream(Config{})
	s.Publish(1)
	s.PlayView(2, ViewAll)
	s.PlayView(3, ViewDefaultTrack)
	s.PlayView(4, ViewLegacy)
	var f Fanout
	for _, m := range []Media{avcHeader, key(0, 3)} {
		s.Media(m, &f)
	}
	for _, m := range []Media{
		video(40, []byte{0x83, 'v', 'p', '0', '8', 0x10}),             // frame type 0 of a codec without a bitstream reader
		video(40, []byte{0x96, 0x40, 'h', 'v', 'c', '1', 0}),          // reserved multitrack mode
		video(40, []byte{0x83, 'h', 'v', 'c', '1', 0, 0, 0, 9, 2, 1}), // frame type 0, bad bitstream
		audio(40, []byte{0x93, 'O', 'p', 'u', 's'}),                   // reserved audio packet type
	} {
		s.Media(m, &f)
		if f.Class != Unreadable || f.Unreadable == nil {
			t.Errorf("% x: class %v, reason %v", m.Payload, f.Class, f.Unreadable)
		}
		if diff := cmp.Diff([]ClientID{2}, f.To); diff != "" {
			t.Errorf("% x went to %v", m.Payload, f.To)
		}
	}
	fx, _ := s.PlayView(5, ViewAll)
	if diff := cmp.Diff([]Effect{Send{5, avcHeader}, Send{5, key(0, 3)}}, fx); diff != "" {
		t.Errorf("fast start (-want +got):\n%s", diff)
	}
}

// A publisher that writes the reserved frame type 0 on every Enhanced RTMP
// message still starts its players on keyframes, with the frame type
// resolved in what they get.
func TestFrameTypeZeroStartsPlayers(t *testing.T) {
	zero := func(m Media) Media {
		p := append([]byte(nil), m.Payload...)
		p[0] &^= 0x70
		return Media{Kind: m.Kind, Timestamp: m.Timestamp, Payload: p}
	}
	header := video(0, flv.AppendVideo(nil, flv.FrameKey, flv.VideoSequenceStart, flv.FourCCHEVC, 0, hvcC))
	keyFrame := video(40, flv.AppendVideo(nil, flv.FrameKey, flv.VideoCodedFramesX, flv.FourCCHEVC, 0, []byte{0, 0, 0, 2, 19 << 1, 1}))
	interFrame := video(80, flv.AppendVideo(nil, flv.FrameInter, flv.VideoCodedFramesX, flv.FourCCHEVC, 0, []byte{0, 0, 0, 2, 1 << 1, 1}))
	s := NewStream(Config{})
	s.Publish(1)
	s.PlayView(2, ViewDefaultTrack)
	var f Fanout
	var live []Media
	for _, m := range []Media{header, keyFrame, interFrame} {
		s.Media(zero(m), &f)
		if len(f.To) == 1 {
			live = append(live, f.Payload(ViewDefaultTrack))
		}
	}
	if diff := cmp.Diff([]Media{header, keyFrame, interFrame}, live); diff != "" {
		t.Errorf("early player (-want +got):\n%s", diff)
	}
	fx, _ := s.PlayView(3, ViewDefaultTrack)
	if diff := cmp.Diff([]Effect{Send{3, header}, Send{3, keyFrame}, Send{3, interFrame}}, fx); diff != "" {
		t.Errorf("late player (-want +got):\n%s", diff)
	}
}
