package relay

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/amf3"
	"github.com/gortmp/rtmp/codec/flv"
)

// Message sequences of real encoders, as their public sources write them,
// replayed through the relay to early and late players of every view.
//
//   - OBS 29.1's first Enhanced RTMP builds wrote the reserved frame type 0
//     on every HEVC message (obs-studio pull request 8761 set 1 or 2).
//   - OBS 30 sends HDR colour metadata (video packet type 4, colorInfo in
//     AMF, frame type 0) before the HEVC sequence start (obs-studio pull
//     request 10028), beside legacy AAC.
//   - OBS 31 multitrack (Enhanced Broadcasting): video track 0 H.264 in the
//     legacy form, further renditions as Enhanced avc1 in one-track
//     multitrack messages; audio track 0 legacy AAC, the Twitch VOD track
//     as Enhanced mp4a in one-track multitrack messages.
//   - OBS 30 and earlier send the Twitch VOD track as data messages,
//     "additionalMedia" {id: "stream0", media: AMF3 byte array of a legacy
//     AAC tag body}, beside legacy H.264 and AAC.

// vectorNAL is a length-prefixed NAL unit numbered n: IDR/IRAP when key.
func vectorNAL(hevc, key bool, n int) []byte {
	var nal []byte
	switch {
	case hevc && key:
		nal = []byte{19 << 1, 1}
	case hevc:
		nal = []byte{1 << 1, 1}
	case key:
		nal = []byte{0x65}
	default:
		nal = []byte{0x41}
	}
	nal = append(nal, byte(n>>8), byte(n), 0x80)
	return append([]byte{0, 0, 0, byte(len(nal))}, nal...)
}

type vector struct {
	name     string
	messages []Media
	// legacyVideo says whether a legacy player gets video at all.
	legacyVideo bool
}

func obsVectors(t *testing.T) []vector {
	t.Helper()
	aacConfig := []byte{0xaf, 0, 0x12, 0x10}
	aacFrame := func(ts uint32, n int) Media { return audio(ts, []byte{0xaf, 1, 0x21, byte(n)}) }
	hevcConfig := video(0, flv.AppendVideo(nil, flv.FrameKey, flv.VideoSequenceStart, flv.FourCCHEVC, 0, hvcC))
	hevcFrame := func(ts uint32, n int, key bool) Media {
		ft := flv.FrameInter
		if key {
			ft = flv.FrameKey
		}
		return video(ts, flv.AppendVideo(nil, ft, flv.VideoCodedFrames, flv.FourCCHEVC, 0, vectorNAL(true, key, n)))
	}
	zero := func(m Media) Media {
		p := bytes.Clone(m.Payload)
		p[0] &^= 0x70
		return Media{Kind: m.Kind, Timestamp: m.Timestamp, Payload: p}
	}
	colorInfo, err := amf0.Append(nil, "colorInfo", amf0.Object{{Key: "colorConfig", Value: amf0.Object{
		{Key: "bitDepth", Value: 10.0}, {Key: "colorPrimaries", Value: 9.0},
		{Key: "transferCharacteristics", Value: 16.0}, {Key: "matrixCoefficients", Value: 9.0}}}})
	if err != nil {
		t.Fatal(err)
	}
	// OBS writes the metadata header byte without a frame type.
	hdrMetadata := video(0, append([]byte{0x80 | byte(flv.VideoMetadata), 'h', 'v', 'c', '1'}, colorInfo...))

	var obs29, obs30 []Media
	obs29 = append(obs29, audio(0, aacConfig), zero(hevcConfig))
	obs30 = append(obs30, audio(0, aacConfig), hdrMetadata, hevcConfig)
	for i := range 12 {
		ts := uint32(i * 40)
		f := hevcFrame(ts, i, i%5 == 0)
		obs29 = append(obs29, zero(f), aacFrame(ts, i))
		obs30 = append(obs30, f, aacFrame(ts, i))
	}

	// OBS 31: three H.264 renditions, keyframes not aligned across them,
	// and two AAC tracks.
	avc1 := func(track uint8, ts uint32, key bool, n int) Media {
		if track == 0 {
			ft := byte(0x27)
			if key {
				ft = 0x17
			}
			return video(ts, append([]byte{ft, 1, 0, 0, 0}, vectorNAL(false, key, n)...))
		}
		ft := flv.FrameInter
		if key {
			ft = flv.FrameKey
		}
		return video(ts, flv.AppendVideoMultitrack(nil, ft, flv.VideoCodedFramesX, []flv.VideoTrack{{ID: track, FourCC: flv.FourCCAVC, Data: vectorNAL(false, key, n)}}))
	}
	vodAAC := func(ts uint32, pt flv.AudioPacketType, data []byte) Media {
		return audio(ts, flv.AppendAudioMultitrack(nil, pt, []flv.AudioTrack{{ID: 1, FourCC: flv.FourCCAAC, Data: data}}))
	}
	obs31 := []Media{
		video(0, []byte{0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f}),
		video(0, flv.AppendVideoMultitrack(nil, flv.FrameKey, flv.VideoSequenceStart, []flv.VideoTrack{{ID: 1, FourCC: flv.FourCCAVC, Data: avcC}})),
		video(0, flv.AppendVideoMultitrack(nil, flv.FrameKey, flv.VideoSequenceStart, []flv.VideoTrack{{ID: 2, FourCC: flv.FourCCAVC, Data: avcC}})),
		audio(0, aacConfig),
		vodAAC(0, flv.AudioSequenceStart, []byte{0x12, 0x10}),
	}
	n := 0
	for i := range 15 {
		ts := uint32(i * 33)
		for track := range uint8(3) {
			n++
			obs31 = append(obs31, avc1(track, ts, (i+int(track)*2)%6 == 0, n))
		}
		obs31 = append(obs31, aacFrame(ts, i), vodAAC(ts, flv.AudioCodedFrames, []byte{0x21, byte(i), 0xee}))
	}

	// OBS 30's Twitch VOD track rides in data messages.
	additional := func(ts uint32, body []byte) Media {
		p, err := amf0.Append(nil, "additionalMedia", amf0.Object{
			{Key: "id", Value: "stream0"}, {Key: "media", Value: amf0.AVMPlus{Value: amf3.ByteArray(body)}}})
		if err != nil {
			t.Fatal(err)
		}
		return Media{Kind: Data, Timestamp: ts, Payload: p}
	}
	vod30 := []Media{avcHeader, audio(0, aacConfig), additional(0, aacConfig)}
	for i := range 10 {
		ts := uint32(i * 40)
		vod30 = append(vod30, video(ts, append([]byte{0x27 - 0x10*byte(boolInt(i%4 == 0)), 1, 0, 0, 0}, vectorNAL(false, i%4 == 0, i)...)),
			aacFrame(ts, i), additional(ts, []byte{0xaf, 1, 0x21, byte(i)}))
	}
	return []vector{
		{name: "OBS 29.1 HEVC, frame type 0", messages: obs29},
		{name: "OBS 30 HDR HEVC", messages: obs30},
		{name: "OBS 31 multitrack with the VOD track", messages: obs31, legacyVideo: true},
		{name: "OBS 30 VOD track as additionalMedia", messages: vod30, legacyVideo: true},
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// vectorTrack names a track of a vector, or "data" for data messages.
type vectorTrack struct {
	kind  Kind
	track uint8
}

// trackUnits splits a message into its tracks' coded data (frames only)
// and whether each starts a keyframe.
func trackUnits(t *testing.T, m Media) map[vectorTrack][]byte {
	t.Helper()
	out := map[vectorTrack][]byte{}
	switch m.Kind {
	case Data:
		out[vectorTrack{Data, 0}] = m.Payload
	case Video:
		info, err := flv.ClassifyVideo(m.Payload)
		if err != nil {
			t.Fatalf("% x: %v", m.Payload, err)
		}
		if info.Kind != flv.KindKeyframe && info.Kind != flv.KindFrame {
			return nil
		}
		for it := flv.VideoTracks(m.Payload); it.Next(); {
			out[vectorTrack{Video, it.Track().ID}] = it.Track().Data
		}
	case Audio:
		info, err := flv.ClassifyAudio(m.Payload)
		if err != nil {
			t.Fatalf("% x: %v", m.Payload, err)
		}
		if info.Kind != flv.KindFrame {
			return nil
		}
		for it := flv.AudioTracks(m.Payload); it.Next(); {
			out[vectorTrack{Audio, it.Track().ID}] = it.Track().Data
		}
	}
	return out
}

// TestRealWorldSequences replays each vector with players of every view
// joining before it and after every message. Each player gets only what
// its view reads, every message readable (nothing Unreadable), each
// video track from a keyframe and then without a gap, audio and data
// without a gap to the end; a legacy player gets video only of streams
// with a legacy video track.
func TestRealWorldSequences(t *testing.T) {
	for _, vec := range obsVectors(t) {
		t.Run(vec.name, func(t *testing.T) {
			// published lists each track's coded data in order.
			published := map[vectorTrack][][]byte{}
			keys := map[string]bool{}
			for _, m := range vec.messages {
				resolved, class, err := readable(m)
				if err != nil {
					t.Fatalf("% x unreadable: %v", m.Payload, err)
				}
				for k, data := range trackUnits(t, resolved) {
					published[k] = append(published[k], data)
					if class == Keyframe {
						keys[string(data)] = true
					}
				}
			}
			for join := 0; join <= len(vec.messages); join++ {
				for v := ViewAll; v < viewCount; v++ {
					got := replay(t, vec.messages, join, v)
					where := fmt.Sprintf("%v player joining at message %d", v, join)
					checkVectorPlayer(t, where, vec, v, got, published, keys)
				}
			}
		})
	}
}

// replay publishes messages with one player of view v joining before
// message join, and returns what the player got.
func replay(t *testing.T, messages []Media, join int, v View) []Media {
	t.Helper()
	s := NewStream(Config{})
	s.Publish(1)
	var got []Media
	var f Fanout
	for i, m := range messages {
		if i == join {
			fx, err := s.PlayView(2, v)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range fx {
				got = append(got, e.(Send).Media)
			}
		}
		s.Media(m, &f)
		if f.Unreadable != nil {
			t.Fatalf("message %d (% x) unreadable: %v", i, m.Payload, f.Unreadable)
		}
		for j, id := range f.To {
			if id == 2 {
				got = append(got, f.Payload(f.Views[j]))
			}
		}
	}
	return got
}

func checkVectorPlayer(t *testing.T, where string, vec vector, v View, got []Media, published map[vectorTrack][][]byte, keys map[string]bool) {
	t.Helper()
	received := map[vectorTrack][][]byte{}
	sawVideo := false
	for _, m := range got {
		if m.Kind == Video {
			sawVideo = true
			info, err := flv.ClassifyVideo(m.Payload)
			switch {
			case err != nil:
				t.Fatalf("%s: unreadable % x", where, m.Payload)
			case v != ViewAll && info.Multitrack:
				t.Fatalf("%s: multitrack % x", where, m.Payload)
			case v == ViewLegacy && info.Enhanced:
				t.Fatalf("%s: Enhanced RTMP video % x", where, m.Payload)
			}
		}
		if m.Kind == Audio {
			info, err := flv.ClassifyAudio(m.Payload)
			switch {
			case err != nil:
				t.Fatalf("%s: unreadable % x", where, m.Payload)
			case v != ViewAll && info.Multitrack:
				t.Fatalf("%s: multitrack % x", where, m.Payload)
			case v == ViewLegacy && info.Enhanced:
				t.Fatalf("%s: Enhanced RTMP audio % x", where, m.Payload)
			}
		}
		for k, data := range trackUnits(t, m) {
			received[k] = append(received[k], data)
		}
	}
	if v == ViewLegacy && !vec.legacyVideo && sawVideo {
		t.Fatalf("%s: video of a stream with no legacy video track", where)
	}
	for k, run := range received {
		all := published[k]
		start := -1
		for i, data := range all {
			if bytes.Equal(data, run[0]) {
				start = i
				break
			}
		}
		if start < 0 || start+len(run) != len(all) {
			t.Fatalf("%s: track %v got %d units from %d, not a run to the end of the %d published", where, k, len(run), start, len(all))
		}
		for i, data := range run {
			if !bytes.Equal(data, all[start+i]) {
				t.Fatalf("%s: track %v unit %d differs", where, k, i)
			}
		}
		if k.kind == Video && !keys[string(run[0])] {
			t.Fatalf("%s: track %v starts on a frame that is no keyframe", where, k)
		}
		if v != ViewAll && k.track != 0 {
			t.Fatalf("%s: track %v reached a player of the default track", where, k)
		}
	}
}
