package driver_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/driver/dial"
)

// pushed is one message our client publishes.
type pushed struct {
	kind    message.TypeID
	ts      uint32
	payload []byte
}

// opusHead is an Opus identification header: stereo, 312 samples of
// pre-skip, 48 kHz.
func opusHead() []byte {
	b := []byte("OpusHead\x01\x02")
	b = binary.LittleEndian.AppendUint16(b, 312)
	b = binary.LittleEndian.AppendUint32(b, 48000)
	return append(b, 0, 0, 0)
}

// vpcC is a VP9 decoder configuration record (version 1): profile 0,
// level 4, 8 bits, 4:2:0, BT.709.
var vpcC = []byte{1, 0, 0, 0, 0, 40, 8<<4 | 1<<1, 1, 1, 1, 0, 0}

// pushStream is the messages of one push: each video track's
// configuration and its 6 sample frames every 100 ms, each audio track's
// Opus configuration and a packet every 20 ms. Track 0 goes as plain
// single-track messages, others as one-track multitrack messages, as OBS
// 31 writes them.
func pushStream(videos []codedVideo, audioTracks int) []pushed {
	var out []pushed
	wrapVideo := func(id uint8, ft flv.VideoFrameType, pt flv.VideoPacketType, v codedVideo, data []byte) []byte {
		if id == 0 {
			return flv.AppendVideo(nil, ft, pt, v.fourCC, 0, data)
		}
		return flv.AppendVideoMultitrack(nil, ft, pt, []flv.VideoTrack{{ID: id, FourCC: v.fourCC, Data: data}})
	}
	wrapAudio := func(id uint8, pt flv.AudioPacketType, data []byte) []byte {
		if id == 0 {
			return flv.AppendAudio(nil, pt, flv.FourCCOpus, data)
		}
		return flv.AppendAudioMultitrack(nil, pt, []flv.AudioTrack{{ID: id, FourCC: flv.FourCCOpus, Data: data}})
	}
	for id, v := range videos {
		out = append(out, pushed{message.TypeVideo, 0, wrapVideo(uint8(id), flv.FrameKey, flv.VideoSequenceStart, v, v.config)})
	}
	for id := range audioTracks {
		out = append(out, pushed{message.TypeAudio, 0, wrapAudio(uint8(id), flv.AudioSequenceStart, opusHead())})
	}
	for ms := uint32(0); ms < 600; ms += 20 {
		if ms%100 == 0 {
			for id, v := range videos {
				i := int(ms / 100)
				out = append(out, pushed{message.TypeVideo, ms, wrapVideo(uint8(id), v.frameType(i), flv.VideoCodedFrames, v, v.frames[i])})
			}
		}
		for id := range audioTracks {
			out = append(out, pushed{message.TypeAudio, ms, wrapAudio(uint8(id), flv.AudioCodedFrames, []byte{0xfc, byte(ms >> 8), byte(ms), byte(id)})})
		}
	}
	return out
}

// vp9Video is the VP9 sample as a codedVideo.
func vp9Video(t *testing.T) codedVideo {
	frames := ivfFrames(t, vp9Sample)
	return codedVideo{fourCC: flv.FourCCVP9, config: vpcC, frames: frames, keys: []bool{true, false, false, true, false, false}}
}

// comparableRecord is what both sides of a push must agree on.
type comparableRecord struct {
	Media, Packet string
	Track         uint8
	DTS           int64
	Data          string
}

func comparableRecords(recs []mediaRecord) []comparableRecord {
	out := make([]comparableRecord, len(recs))
	for i, r := range recs {
		out[i] = comparableRecord{r.Media, r.Packet, r.Track, r.DTS, fmt.Sprintf("% x", r.Data)}
	}
	return out
}

// TestERTMPPeerServesOurPush: our client publishes HEVC, AV1 and VP9 with
// Opus, and a multitrack stream (video track 0 HEVC, track 1 AV1; audio
// tracks 0 and 1 Opus), to the Enhanced RTMP peer as a server. The peer
// reads every message as we wrote it: each track's configuration, then
// its frames byte for byte, at their times.
func TestERTMPPeerServesOurPush(t *testing.T) {
	bin := buildERTMPPeer(t)
	hevc, av1, vp9 := loadHEVC(t), loadAV1(t), vp9Video(t)
	for _, tc := range []struct {
		name   string
		videos []codedVideo
		audio  int
	}{
		{"hevc+opus", []codedVideo{hevc}, 1},
		{"av1+opus", []codedVideo{av1}, 1},
		{"vp9+opus", []codedVideo{vp9}, 1},
		{"multitrack", []codedVideo{hevc, av1}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			server := startERTMPPeer(ctx, t, bin, "serve", "127.0.0.1:0")
			addr := strings.TrimPrefix(server.await(t, "listening"), "listening ")
			c, err := enhancedPublisher.Dial(ctx, rtmpURL(addr, "live/push"))
			if err != nil {
				t.Fatalf("dial the peer: %v", err)
			}
			defer c.Close()
			pub, err := c.Publish(ctx, "")
			if err != nil {
				t.Fatalf("publish to the peer: %v", err)
			}
			server.await(t, "publishing")
			var want []mediaRecord
			for _, m := range pushStream(tc.videos, tc.audio) {
				recs, err := recordsOf(m.kind, m.ts, m.payload)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, recs...)
				writeMedia(t, pub, m)
			}
			writeMarker(t, pub, 600)
			finished(t, "the peer as a server", server.recorder, server.stderr.String)
			if diff := cmp.Diff(comparableRecords(want), comparableRecords(server.records())); diff != "" {
				t.Errorf("the peer read (-pushed +read):\n%s", diff)
			}
		})
	}
}

func writeMedia(t *testing.T, pub *dial.Publication, m pushed) {
	t.Helper()
	var body message.Body = message.Video{Payload: m.payload}
	if m.kind == message.TypeAudio {
		body = message.Audio{Payload: m.payload}
	}
	if err := pub.WriteMessage(message.Message{Timestamp: m.ts, Body: body}); err != nil {
		t.Fatal(err)
	}
}
