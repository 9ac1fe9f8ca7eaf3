package driver_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/internal/peers"
)

// amf3Title is a metadata key the AMF3 publisher adds to the sample's, so
// that the player's copy shows the metadata went through with its values.
const amf3Title = "published in AMF3"

// publishFLVWithTitle publishes every tag of file in real time, its
// onMetaData with a title added.
func publishFLVWithTitle(ctx context.Context, t *testing.T, pub *dial.Publication, file string) {
	t.Helper()
	tags := readTags(t, file)
	start := time.Now()
	for _, tag := range tags {
		select {
		case <-time.After(time.Until(start.Add(time.Duration(tag.Timestamp) * time.Millisecond))):
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		}
		if tag.Type == flv.TagScript {
			values, err := amf0.DecodeAll(tag.Data)
			if err != nil {
				t.Fatal(err)
			}
			props, ok := amf0.Properties(values[1])
			if !ok {
				t.Fatalf("script tag without an object: %v", values)
			}
			md := append(amf0.ECMAArray{{Key: "title", Value: amf3Title}}, props...)
			if err := pub.SetMetaData(md); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := pub.WriteTag(tag); err != nil {
			t.Fatal(err)
		}
	}
}

// TestInteropAMF3PublisherFFmpegPlayer: our client, connected with
// objectEncoding 3, publishes the short sample in AMF3 (commands as type
// 17, metadata as type 15 with an AMF3 object) while ffmpeg, an AMF0
// player, plays it. ffmpeg's copy holds the source's packets unaltered
// from the first keyframe (framemd5) and the metadata's title: the AMF3
// metadata reached it as AMF0 onMetaData with its values.
func TestInteropAMF3PublisherFFmpegPlayer(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	ffprobe := peers.Need(t, peers.FFprobe)
	src, srcExtra := packets(t, shortSample)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv := newRelayServer(t)
	tap := startEncodingTap(t, srv.addr)
	path := relay.Path{App: "live", Key: "amf3"}
	out := filepath.Join(t.TempDir(), "ffmpeg.flv")

	player := startPeer(ctx, t, ffmpeg, "-nostdin", "-loglevel", "error", "-i", rtmpURL(srv.addr, "live/amf3"), "-c", "copy", "-f", "flv", out)
	waitFor(t, "ffmpeg to wait for the stream", 10*time.Second, func() bool { return srv.relay.Players(path) == 1 })

	c, err := dial.Config{ObjectEncoding: 3}.Dial(ctx, rtmpURL(tap.addr, "live/amf3"))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := c.Publish(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	publishFLVWithTitle(ctx, t, pub, shortSample)
	pub.Close()
	c.Close()
	player.finish(t, 3*time.Second)

	checkRun(t, "ffmpeg playing an AMF3 publisher", src, srcExtra, out, 1)
	title, err := exec.Command(ffprobe, "-v", "error", "-show_entries", "format_tags=title", "-of", "csv=p=0", out).Output()
	if err != nil {
		t.Fatalf("ffprobe: %v", err)
	}
	if got := strings.TrimSpace(string(title)); got != amf3Title {
		t.Errorf("ffmpeg's copy has the title %q, want %q", got, amf3Title)
	}
	up, down := tap.seen()
	checkAMF3After(t, "publisher to server", up, "connect",
		wireMessage{message.TypeCommandAMF3, "createStream"},
		wireMessage{message.TypeCommandAMF3, "publish"},
		wireMessage{message.TypeDataAMF3, "@setDataFrame"})
	checkAMF3After(t, "server to publisher", down, "_result",
		wireMessage{message.TypeCommandAMF3, "_result"},
		wireMessage{message.TypeCommandAMF3, "onStatus"})
}

// TestInteropFFmpegPublisherAMF3Player: ffmpeg publishes the short sample
// in AMF0 while our client, connected with objectEncoding 3, plays it.
// The copy holds the source's packets unaltered from the first keyframe,
// and everything the server sent the player after the connect's answer
// was AMF3: its onStatus notices as type 17, ffmpeg's metadata as type
// 15, read back with the keys ffmpeg sent.
func TestInteropFFmpegPublisherAMF3Player(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	src, srcExtra := packets(t, shortSample)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv := newRelayServer(t)
	tap := startEncodingTap(t, srv.addr)
	path := relay.Path{App: "live", Key: "amf3"}
	out := filepath.Join(t.TempDir(), "ours.flv")

	var mu sync.Mutex
	var meta amf0.ECMAArray
	cfg := dial.Config{ObjectEncoding: 3, OnEvent: func(e client.Event) {
		if md, ok := e.(client.MetaDataReceived); ok {
			mu.Lock()
			meta = md.MetaData
			mu.Unlock()
		}
	}}
	c, pb := dialPlay(ctx, t, cfg, rtmpURL(tap.addr, "live/amf3"))
	var wg sync.WaitGroup
	var recErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, recErr = recordPlayback(ctx, pb, out, 2*time.Second)
	}()
	waitFor(t, "our player to wait for the stream", 10*time.Second, func() bool { return srv.relay.Players(path) == 1 })
	pub := startPeer(ctx, t, ffmpeg, "-nostdin", "-loglevel", "error", "-re", "-i", shortSample, "-c", "copy", "-f", "flv", rtmpURL(srv.addr, "live/amf3"))
	pub.wait(t)
	wg.Wait()
	c.Close()
	if recErr != nil {
		t.Fatal(recErr)
	}

	checkRun(t, "our AMF3 player", src, srcExtra, out, 1)
	mu.Lock()
	width, _ := meta.Number("width")
	encoder, _ := meta.String("encoder")
	mu.Unlock()
	if width != 320 || !strings.HasPrefix(encoder, "Lavf") {
		t.Errorf("metadata read by the AMF3 player: %v", meta)
	}
	up, down := tap.seen()
	checkAMF3After(t, "player to server", up, "connect",
		wireMessage{message.TypeCommandAMF3, "createStream"},
		wireMessage{message.TypeCommandAMF3, "play"})
	checkAMF3After(t, "server to player", down, "_result",
		wireMessage{message.TypeCommandAMF3, "onStatus"},
		wireMessage{message.TypeDataAMF3, "|RtmpSampleAccess"},
		wireMessage{message.TypeDataAMF3, "onMetaData"})
	if _, err := os.Stat(out); err != nil {
		t.Fatal(err)
	}
}
