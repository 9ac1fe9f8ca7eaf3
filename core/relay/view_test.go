package relay

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/flv"
)

func video(ts uint32, p []byte) Media { return Media{Kind: Video, Timestamp: ts, Payload: p} }
func audio(ts uint32, p []byte) Media { return Media{Kind: Audio, Timestamp: ts, Payload: p} }

var (
	hvcC = []byte{1, 1, 0x60, 0, 0, 0}
	av1C = []byte{0x81, 0, 0x0c, 0}
	avcC = []byte{1, 0x4d, 0x40, 0x1e}

	hevcStart = video(0, flv.AppendVideo(nil, flv.FrameKey, flv.VideoSequenceStart, flv.FourCCHEVC, 0, hvcC))
	av1Start  = video(0, flv.AppendVideo(nil, flv.FrameKey, flv.VideoSequenceStart, flv.FourCCAV1, 0, av1C))
	opusStart = audio(0, flv.AppendAudio(nil, flv.AudioSequenceStart, flv.FourCCOpus, []byte("OpusHead")))
	// Two tracks: 0 is avc1 (the default), 1 is av01.
	twoStart = video(0, flv.AppendVideoMultitrack(nil, flv.FrameKey, flv.VideoSequenceStart, []flv.VideoTrack{
		{ID: 0, FourCC: flv.FourCCAVC, Data: avcC}, {ID: 1, FourCC: flv.FourCCAV1, Data: av1C}}))
	twoKey = video(40, flv.AppendVideoMultitrack(nil, flv.FrameKey, flv.VideoCodedFrames, []flv.VideoTrack{
		{ID: 0, FourCC: flv.FourCCAVC, CompositionTime: 40, Data: []byte{0, 0, 0, 1, 0x65}},
		{ID: 1, FourCC: flv.FourCCAV1, Data: []byte{0x12, 0, 0x32}}}))
	track1Only = video(80, flv.AppendVideoMultitrack(nil, flv.FrameInter, flv.VideoCodedFramesX, []flv.VideoTrack{
		{ID: 1, FourCC: flv.FourCCAV1, Data: []byte{0x32, 1}}}))
	track1End = video(90, flv.AppendVideoMultitrack(nil, flv.FrameKey, flv.VideoSequenceEnd, []flv.VideoTrack{
		{ID: 1, FourCC: flv.FourCCAV1}}))
)

// extract is track id of a multitrack video message as a single-track one.
func extract(t *testing.T, m Media, id uint8) Media {
	t.Helper()
	p, err := flv.ExtractVideoTrack(nil, m.Payload, id)
	if err != nil {
		t.Fatal(err)
	}
	m.Payload = p
	return m
}

// legacyAVC is a single-track avc1 message in the legacy form.
func legacyAVC(t *testing.T, m Media) Media {
	t.Helper()
	p, ok, err := flv.AppendLegacyVideo(nil, m.Payload)
	if err != nil || !ok {
		t.Fatalf("AppendLegacyVideo: %v %v", ok, err)
	}
	m.Payload = p
	return m
}

func TestViewPayload(t *testing.T) {
	// Legacy media pass as the very same bytes in every view, and
	// single-track Enhanced media of other codecs in every view but the
	// legacy one, which holds them back.
	for i, m := range []Media{avcHeader, aacHeader, key(0, 3), meta, hevcStart, opusStart} {
		enhanced := i >= 4
		for v := ViewAll; v < viewCount; v++ {
			got, ok := v.Payload(m)
			if enhanced && v == ViewLegacy {
				if ok {
					t.Errorf("legacy view of % x is % x, want nothing", m.Payload, got)
				}
				continue
			}
			if !ok || len(got) != len(m.Payload) || &got[0] != &m.Payload[0] {
				t.Errorf("%v of % x is % x (%v), want the same bytes", v, m.Payload, got, ok)
			}
		}
	}
	for _, tc := range []struct {
		v    View
		m    Media
		want Media
		ok   bool
	}{
		{ViewAll, twoKey, twoKey, true},
		{ViewDefaultTrack, twoKey, extract(t, twoKey, 0), true},
		{ViewLegacy, twoKey, legacyAVC(t, extract(t, twoKey, 0)), true},
		{ViewLegacy, twoStart, legacyAVC(t, extract(t, twoStart, 0)), true},
		{ViewAll, track1Only, track1Only, true},
		{ViewDefaultTrack, track1Only, Media{}, false},
		{ViewLegacy, track1Only, Media{}, false},
	} {
		got, ok := tc.v.Payload(tc.m)
		if ok != tc.ok || string(got) != string(tc.want.Payload) {
			t.Errorf("%v of % x = % x %v, want % x %v", tc.v, tc.m.Payload, got, ok, tc.want.Payload, tc.ok)
		}
	}
}

// Each player gets the message in its view; one that has nothing in a
// message is neither sent it nor charged.
func TestFanoutByView(t *testing.T) {
	s := NewStream(Config{})
	s.Publish(1)
	s.PlayView(2, ViewAll)
	s.PlayView(3, ViewDefaultTrack)
	s.PlayView(4, ViewLegacy)
	var f Fanout
	s.Media(twoStart, &f)
	s.Media(twoKey, &f)
	if diff := cmp.Diff([]ClientID{2, 3, 4}, f.To); diff != "" {
		t.Fatal(diff)
	}
	if diff := cmp.Diff([]View{ViewAll, ViewDefaultTrack, ViewLegacy}, f.Views); diff != "" {
		t.Fatal(diff)
	}
	for v, want := range map[View]Media{
		ViewAll:          twoKey,
		ViewDefaultTrack: extract(t, twoKey, 0),
		ViewLegacy:       legacyAVC(t, extract(t, twoKey, 0)),
	} {
		if diff := cmp.Diff(want, f.Payload(v)); diff != "" {
			t.Errorf("%v (-want +got):\n%s", v, diff)
		}
	}
	before := [3]int{s.Queued(2), s.Queued(3), s.Queued(4)}
	s.Media(track1Only, &f)
	if diff := cmp.Diff([]ClientID{2}, f.To); diff != "" {
		t.Fatalf("a message of track 1 only went to %v", f.To)
	}
	if s.Queued(2) != before[0]+track1Only.Cost() || s.Queued(3) != before[1] || s.Queued(4) != before[2] {
		t.Errorf("queues %d %d %d after %v", s.Queued(2), s.Queued(3), s.Queued(4), before)
	}
	// Each view's player was charged that view's cost.
	if got, want := s.Queued(3), extract(t, twoStart, 0).Cost()+extract(t, twoKey, 0).Cost(); got != want {
		t.Errorf("default-track player queued %d, want %d", got, want)
	}
}

// A late player gets every track's latest configuration, in its view, and
// not a configuration its sequence end withdrew.
func TestFastStartPerTrack(t *testing.T) {
	s := NewStream(Config{})
	s.Publish(1)
	var f Fanout
	for _, m := range []Media{opusStart, hevcStart, av1Start, twoStart, twoKey, track1Only} {
		s.Media(m, &f)
	}
	fx, _ := s.PlayView(2, ViewAll)
	// av1Start and hevcStart configured track 0 before twoStart did again:
	// only twoStart is left for track 0 and track 1.
	want := []Effect{Send{2, opusStart}, Send{2, twoStart}, Send{2, twoKey}, Send{2, track1Only}}
	if diff := cmp.Diff(want, fx); diff != "" {
		t.Fatalf("all-tracks fast start (-want +got):\n%s", diff)
	}
	fx, _ = s.PlayView(3, ViewLegacy)
	want = []Effect{Send{3, legacyAVC(t, extract(t, twoStart, 0))}, Send{3, legacyAVC(t, extract(t, twoKey, 0))}}
	if diff := cmp.Diff(want, fx); diff != "" {
		t.Fatalf("legacy fast start (-want +got):\n%s", diff)
	}

	// Track 1 ends; track 0 is then configured on its own again.
	s.Media(track1End, &f)
	hevcAgain := video(100, hevcStart.Payload)
	s.Media(hevcAgain, &f)
	fx, _ = s.PlayView(4, ViewAll)
	want = []Effect{Send{4, opusStart}, Send{4, hevcAgain}}
	if diff := cmp.Diff(want, fx); diff != "" {
		t.Fatalf("after track 1 ended (-want +got):\n%s", diff)
	}
	// A sequence end of the only configured video track leaves audio.
	end := video(120, flv.AppendVideo(nil, flv.FrameKey, flv.VideoSequenceEnd, flv.FourCCHEVC, 0, nil))
	s.Media(end, &f)
	fx, _ = s.PlayView(5, ViewAll)
	if diff := cmp.Diff([]Effect{Send{5, opusStart}}, fx); diff != "" {
		t.Fatalf("after the video sequence end (-want +got):\n%s", diff)
	}
}

func TestPlayViewUnknownIsAll(t *testing.T) {
	s := NewStream(Config{})
	s.Publish(1)
	s.PlayView(2, View(9))
	var f Fanout
	s.Media(twoStart, &f)
	if diff := cmp.Diff([]View{ViewAll}, f.Views); diff != "" {
		t.Fatal(diff)
	}
}
