package hls_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/fmp4"
	corehls "github.com/gortmp/rtmp/core/hls"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/hls"
	"github.com/gortmp/rtmp/driver/internal/peers"
	"github.com/gortmp/rtmp/driver/live"
)

// twoAudioTracks turns the sample's legacy AAC messages into Enhanced
// RTMP multitrack ones carrying the same AAC as tracks 0 and 1.
func twoAudioTracks(t *testing.T, tags []relay.Media) []relay.Media {
	t.Helper()
	out := make([]relay.Media, 0, len(tags))
	for _, m := range tags {
		if m.Kind == relay.Audio && len(m.Payload) > 2 && m.Payload[0]>>4 == 10 {
			pt := flv.AudioCodedFrames
			if m.Payload[1] == 0 {
				pt = flv.AudioSequenceStart
			}
			data := m.Payload[2:]
			m.Payload = flv.AppendAudioMultitrack(nil, pt, []flv.AudioTrack{
				{ID: 0, FourCC: flv.FourCCAAC, Data: data},
				{ID: 1, FourCC: flv.FourCCAAC, Data: data},
			})
		}
		out = append(out, m)
	}
	return out
}

// A stream with two audio tracks is a multivariant playlist: one variant,
// the video with the first audio track, and the second track as an
// alternate audio rendition with its own playlist, init section and
// parts. ffprobe finds the video and both audio tracks through it.
func TestAlternateAudio(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r := &live.Relay{}
	srv := startServer(t, ctx, r, hls.Config{Timeline: corehls.Config{TargetDuration: time.Second}})
	pub, err := r.PublishLocal(demo)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	base := srv.web.URL + "/live/demo/"
	first := beginSegmenting(t, srv, base+"index.m3u8")
	publishUntil(pub, twoAudioTracks(t, mediaTags(t)), 0, 5000)
	<-first

	_, _, master := request(t, "GET", base+"index.m3u8")
	for _, want := range []string{
		`#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio 1",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2"` + "\n",
		`#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="audio 2",DEFAULT=NO,AUTOSELECT=YES,CHANNELS="2",URI="index.m3u8?r=1"` + "\n",
		`CODECS="avc1.4d401e,mp4a.40.2",RESOLUTION=640x360,AUDIO="audio"` + "\n" + "index.m3u8?r=0\n",
	} {
		if !strings.Contains(master, want) {
			t.Errorf("the multivariant playlist lacks %q:\n%s", want, master)
		}
	}
	_, _, alt := request(t, "GET", base+"index.m3u8?r=1")
	parts, initURI := partsOf(alt)
	if len(parts) == 0 || !strings.HasSuffix(initURI, "?r=1") || !strings.HasSuffix(parts[0].uri, "?r=1") {
		t.Fatalf("the alternate rendition's playlist:\n%s", alt)
	}
	_, _, initSeg := request(t, "GET", base+initURI)
	_, _, part := request(t, "GET", base+parts[0].uri)
	f, err := fmp4.Parse([]byte(initSeg + part))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Tracks) != 1 || f.Tracks[0].Codec != fmp4.AAC || len(f.Fragments) != 1 || len(f.Fragments[0].Runs) != 1 {
		t.Errorf("the alternate rendition's init and first part: %d tracks (%v), %d fragments", len(f.Tracks), f.Tracks, len(f.Fragments))
	}

	ffprobe := peers.Need(t, peers.FFprobe)
	// The streams, each once (ffprobe lists them under their programs
	// too).
	out, err := exec.CommandContext(ctx, ffprobe, "-v", "error", "-show_entries", "stream=index,codec_type", "-of", "csv=p=0", base+"index.m3u8").Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	streams := map[string]bool{}
	for _, line := range strings.Fields(string(out)) {
		streams[line] = true
	}
	video, audio := 0, 0
	for s := range streams {
		video += strings.Count(s, "video")
		audio += strings.Count(s, "audio")
	}
	if video != 1 || audio != 2 {
		t.Errorf("ffprobe found %v, want a video and two audio streams", streams)
	}
}

// A second audio track that appears after a player loaded index.m3u8 as a
// media playlist leaves it one: the player goes on reloading segments,
// not a multivariant playlist, while the new track is served as its own
// rendition, index.m3u8?r=1.
func TestIndexKeepsItsKindWhenAudioTrackAppears(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r := &live.Relay{}
	srv := startServer(t, ctx, r, hls.Config{Timeline: corehls.Config{TargetDuration: time.Second}})
	pub, err := r.PublishLocal(demo)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	base := srv.web.URL + "/live/demo/"
	first := beginSegmenting(t, srv, base+"index.m3u8")
	tags := mediaTags(t)
	next := publishUntil(pub, tags, 0, 2500)
	if code := <-first; code != 200 {
		t.Fatalf("first playlist: %d", code)
	}
	isMedia := func(playlist string) bool {
		return strings.Contains(playlist, "#EXT-X-TARGETDURATION:") && !strings.Contains(playlist, "#EXT-X-STREAM-INF")
	}
	if _, _, pl := request(t, "GET", base+"index.m3u8"); !isMedia(pl) {
		t.Fatalf("with one audio track index.m3u8 is not a media playlist:\n%s", pl)
	}
	two := twoAudioTracks(t, tags)
	for i, m := range tags {
		if m.Kind == relay.Audio && len(m.Payload) > 2 && m.Payload[0]>>4 == 10 && m.Payload[1] == 0 {
			m = two[i]
			m.Timestamp = tags[next].Timestamp
			pub.WriteMedia(m) // the tracks' configurations, as an encoder adding a track sends them
			break
		}
	}
	publishUntil(pub, two, next, 5000)
	waitFor(t, "the second audio track's rendition", 10*time.Second, func() bool {
		code, _, _ := request(t, "GET", base+"index.m3u8?r=1")
		return code == 200
	})
	if _, _, pl := request(t, "GET", base+"index.m3u8"); !isMedia(pl) {
		t.Errorf("index.m3u8 changed kind when a second audio track appeared:\n%s", pl)
	}
	if _, _, alt := request(t, "GET", base+"index.m3u8?r=1"); !isMedia(alt) {
		t.Errorf("the new rendition's playlist:\n%s", alt)
	}
}
