package driver_test

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/google/go-cmp/cmp"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/internal/peers"
)

// Timestamps from 0xFFFFFF ms (4.66 hours) on travel in the 4-byte
// extended timestamp field, which a type-3 chunk repeats whenever its
// chunk stream's last header carried it. A peer that forgets the
// repetition, or expects it where it does not belong, loses the chunk
// framing at that moment. These tests stream the short sample with every
// timestamp shifted so that the stream crosses the boundary (or the 2^32
// wrap) in its middle, between our code and real peers, and check both
// the media the players wrote and the chunks on the wire (wireTap).

// extVariants are the two shifts: across 0xFFFFFF, where the field
// appears, and across 2^32, where timestamps wrap to small values again
// and the field disappears.
var extVariants = []struct {
	name string
	base uint32
}{
	{"cross24bit", extBoundary - 1000},
	{"wrap32bit", 0xFFFFFFFF - 1000},
}

const (
	// extPublishChunkSize makes our publisher split even small frames,
	// so that type-3 continuations are common.
	extPublishChunkSize = 128
	// extRelayChunkSize makes the relay split most video frames (the
	// sample's are up to 6 KB, most above 1 KB).
	extRelayChunkSize = 1024
	// extCueSize is the cue point's padding: several chunks at either
	// chunk size.
	extCueSize = 3000
)

// shiftedSample is the short sample's tags shifted by base, with a cue
// point at the 24-bit boundary; it checks that the stream does cross it.
func shiftedSample(t *testing.T, base uint32) []flv.Tag {
	t.Helper()
	tags := withCuePoint(t, shiftTags(readTags(t, shortSample), base), extCueSize)
	var before, after int
	for _, tag := range tags {
		switch {
		case tag.Type == flv.TagScript:
		case tag.Timestamp >= extBoundary && tag.Timestamp >= base:
			before++ // needs the field, before any wrap
		default:
			after++ // after the wrap, or before the 24-bit boundary
		}
	}
	if before == 0 || after == 0 {
		t.Fatalf("shift %#x: %d media tags on one side of the boundary, %d on the other", base, before, after)
	}
	return tags
}

// checkWire asserts that one direction of a tap was framed as the
// specification says, and that at least minHeaders headers and
// minContinuations type-3 chunks carried the extended field.
func checkWire(t *testing.T, who string, c extCounts, minHeaders, minContinuations int) {
	t.Helper()
	t.Logf("%s: %d chunks, extended field on %d headers, %d continuations, %d type-3 new messages",
		who, c.Chunks, c.Headers, c.Continuations, c.NewMessages)
	if c.Err != nil {
		t.Errorf("%s: %v", who, c.Err)
	}
	if c.Mismatches != 0 {
		t.Errorf("%s: %d type-3 chunks repeat a different extended timestamp than their header", who, c.Mismatches)
	}
	if c.Headers < minHeaders || c.Continuations < minContinuations {
		t.Errorf("%s: extended field on %d headers and %d continuations, want at least %d and %d",
			who, c.Headers, c.Continuations, minHeaders, minContinuations)
	}
}

// startExtRelay runs our relay with extRelayChunkSize.
func startExtRelay(t *testing.T) testServer {
	r := &live.Relay{}
	return testServer{addr: startServer(t, nil, r, driver.Config{Session: core.Config{ChunkSize: extRelayChunkSize}}), relay: r}
}

// publishShifted publishes tags with our client at four times real time
// and extPublishChunkSize, then closes the publication.
func publishShifted(ctx context.Context, t *testing.T, url string, tags []flv.Tag) {
	t.Helper()
	c, err := dial.Config{Session: client.Config{ChunkSize: extPublishChunkSize}}.Dial(ctx, url)
	if err != nil {
		t.Fatalf("dial %s: %v", url, err)
	}
	defer c.Close()
	pub, err := c.Publish(ctx, "")
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	if _, err := publishTags(ctx, pub, tags, 4); err != nil {
		t.Fatalf("publishing: %v", err)
	}
	pub.Close()
	if err := c.Err(); err != nil {
		t.Errorf("publisher ended with %v", err)
	}
}

// TestExtTimestampRelayPlayers: our client publishes the shifted sample
// to our relay; ffmpeg, rtmpdump and GStreamer's rtmp2src, waiting before
// it starts, play it. Every player must write the whole source, packet
// for packet, with one constant timestamp offset per stream across the
// boundary. The relay sends each media message with a type-0 header
// (encoded once for all players), so past the boundary every one of them
// carries the field, and every frame above 1 KB repeats it on type-3
// continuations.
func TestExtTimestampRelayPlayers(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	rtmpdump := peers.Need(t, peers.RTMPDump)
	gst := peers.Need(t, peers.GStreamer)
	src, srcExtra := packets(t, shortSample)
	for _, v := range extVariants {
		t.Run(v.name, func(t *testing.T) {
			tags := shiftedSample(t, v.base)
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			srv := startExtRelay(t)
			pubTap, playTap := startTap(t, srv.addr), startTap(t, srv.addr)
			path := relay.Path{App: "live", Key: "ext"}
			url := rtmpURL(playTap.addr, "live/ext")
			dir := t.TempDir()
			out := func(name string) string { return filepath.Join(dir, name) }

			ffPlay := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", url, "-c", "copy", "-f", "flv", out("ffmpeg.flv"))
			dump := startPeer(ctx, t, rtmpdump, "--live", "-r", url, "-o", out("rtmpdump.flv"))
			gstPlay := startPeer(ctx, t, gst, "-q", "-e", "rtmp2src", "location="+url, "!", "filesink", "location="+out("gst.flv"))
			waitFor(t, "three waiting players", 10*time.Second, func() bool { return srv.relay.Players(path) == 3 })

			publishShifted(ctx, t, rtmpURL(pubTap.addr, "live/ext"), tags)
			ffPlay.wait(t)
			// rtmpdump judges a live download complete when the last
			// timestamp it wrote reaches the metadata's duration (2.05 s
			// here). After the wrap its last timestamp is about 1 s, so
			// it prints "Download may be incomplete" and exits with
			// status 2 (RD_INCOMPLETE) although the file is whole, as
			// checkRun shows; across 0xFFFFFF it exits with 0.
			wantDump := 0
			if v.base > v.base+2100 {
				wantDump = 2
			}
			if got := dump.waitStatus(t, 2); got != wantDump {
				t.Errorf("rtmpdump exited with %d, want %d", got, wantDump)
			}
			gstPlay.interrupt(t)

			checkRun(t, "ffmpeg", src, srcExtra, out("ffmpeg.flv"), 1)
			checkRun(t, "rtmpdump", src, srcExtra, out("rtmpdump.flv"), 1)
			checkRun(t, "gstreamer rtmp2src", src, srcExtra, out("gst.flv"), 1)
			// The files again, tag by tag with their raw 32-bit
			// timestamps. ffmpeg starts its output at 0; rtmpdump and
			// rtmp2src write the timestamps they received, so theirs
			// must be the published ones exactly, wrap included.
			// rtmpdump drops video messages of 5 bytes or less
			// ("ignoring too small video packet"), here the sample's
			// closing AVC end of sequence.
			if off := checkTags(t, "ffmpeg", out("ffmpeg.flv"), tags, 0); off != -v.base {
				t.Errorf("ffmpeg: timestamp offset %#x, want %#x (its output starts at 0)", off, -v.base)
			}
			if off := checkTags(t, "rtmpdump", out("rtmpdump.flv"), tags, 1); off != 0 {
				t.Errorf("rtmpdump: timestamp offset %#x, want 0", off)
			}
			if off := checkTags(t, "gstreamer rtmp2src", out("gst.flv"), tags, 2); off != 0 {
				t.Errorf("gstreamer rtmp2src: timestamp offset %#x, want 0", off)
			}
			up, _ := pubTap.counts()
			checkWire(t, "our publisher", up, 1, extCueSize/extPublishChunkSize-1)
			_, down := playTap.counts()
			checkWire(t, "our relay to the players", down, 1, 1)
		})
	}
}

// TestExtTimestampNginx: our client publishes the shifted sample to
// nginx-rtmp, a C server with its own chunk decoder, and ffmpeg and our
// client play it back from there: nginx-rtmp must have read our
// extended fields right, and our player must read nginx-rtmp's.
func TestExtTimestampNginx(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	src, srcExtra := packets(t, shortSample)
	for _, v := range extVariants {
		t.Run(v.name, func(t *testing.T) {
			tags := shiftedSample(t, v.base)
			nginx := startNginxForClient(t)
			pubTap, playTap := startTap(t, nginx), startTap(t, nginx)
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			dir := t.TempDir()
			out := func(name string) string { return filepath.Join(dir, name) }
			url := rtmpURL(playTap.addr, "live/ext")

			ffPlay := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-analyzeduration", "1000000", "-i", url, "-c", "copy", "-flush_packets", "1", "-f", "flv", out("ffmpeg.flv"))
			_, pb := dialPlay(ctx, t, dial.Config{}, url)
			var played int
			playErr := make(chan error, 1)
			go func() {
				var err error
				played, err = recordPlayback(ctx, pb, out("ours.flv"), time.Second)
				playErr <- err
			}()
			// nginx-rtmp starts a late player wherever the stream is:
			// publish once it has taken both players, which its
			// NetStream.Play.Start to each says.
			waitFor(t, "nginx-rtmp to take both players", 10*time.Second, func() bool { return playTap.playStarts.Load() == 2 })

			publishShifted(ctx, t, rtmpURL(pubTap.addr, "live/ext"), tags)
			if err := <-playErr; err != nil {
				t.Fatalf("our player: %v", err)
			}
			// nginx-rtmp ends the stream with Stream EOF only, which
			// ffmpeg does not take as the end; our player's silence
			// says the data is through.
			ffPlay.finish(t, 200*time.Millisecond)
			t.Logf("our player got %d messages", played)

			checkRun(t, "ffmpeg via nginx-rtmp", src, srcExtra, out("ffmpeg.flv"), 1)
			checkRun(t, "our player via nginx-rtmp", src, srcExtra, out("ours.flv"), 1)
			// ffmpeg is interrupted: its last audio may be lost.
			checkTags(t, "ffmpeg via nginx-rtmp", out("ffmpeg.flv"), tags, 3)
			if off := checkTags(t, "our player via nginx-rtmp", out("ours.flv"), tags, 0); off != 0 {
				t.Errorf("our player via nginx-rtmp: timestamp offset %#x, want 0", off)
			}
			up, _ := pubTap.counts()
			checkWire(t, "our publisher", up, 1, extCueSize/extPublishChunkSize-1)
			// nginx-rtmp compresses each header against the previous
			// message of its chunk stream, so across 0xFFFFFF its
			// output carries no extended field at all, and across the
			// wrap only on its first type-0 headers: the framing is
			// all there is to check.
			_, down := playTap.counts()
			checkWire(t, "nginx-rtmp to the players", down, 0, 0)
		})
	}
}

// TestExtTimestampFFmpegPublisher: the reverse direction. ffmpeg
// publishes an FLV file with shifted timestamps to our relay (-copyts
// keeps the file's timestamps; without it ffmpeg starts the stream at 0),
// and our player and ffmpeg play it. Our decoder must read what ffmpeg
// writes; our player writes the timestamps it received, so they show
// exactly what ffmpeg sent.
//
// What ffmpeg (5.1) sends: its FLV muxer stamps the two sequence headers
// 0 whatever the file says, and it puts audio and video on one chunk
// stream, each header a delta from the message before. Across 0xFFFFFF
// the deltas stay small, so the extended field never appears; it does
// when the first frame after the sequence headers is 0xFFFFFF ms or more
// after them (from24bit), on that header and on the type-3 continuations
// of the keyframe. A file past 2^31 cannot be published as it is: ffmpeg
// reads 0xFFFFFC17 as -1001 (its 32-bit wrap correction) and shifts the
// stream to start at 0, so wrap32bit arrives rebased and never wraps.
func TestExtTimestampFFmpegPublisher(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	src, srcExtra := packets(t, shortSample)
	cases := append(extVariants[:len(extVariants):len(extVariants)], struct {
		name string
		base uint32
	}{"from24bit", extBoundary})
	for _, v := range cases {
		t.Run(v.name, func(t *testing.T) {
			tags := withCuePoint(t, shiftTags(readTags(t, shortSample), v.base), extCueSize)
			wraps := v.base > v.base+2100
			// What our player must record, per the comment above.
			want := shiftTags(readTags(t, shortSample), v.base)
			if wraps {
				want = readTags(t, shortSample)
			}
			for _, typ := range []flv.TagType{flv.TagAudio, flv.TagVideo} {
				want[slices.IndexFunc(want, func(tag flv.Tag) bool { return tag.Type == typ })].Timestamp = 0
			}
			dir := t.TempDir()
			out := func(name string) string { return filepath.Join(dir, name) }
			writeTags(t, out("shifted.flv"), tags)
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
			defer cancel()
			srv := startExtRelay(t)
			pubTap := startTap(t, srv.addr)
			path := relay.Path{App: "live", Key: "ext"}
			url := rtmpURL(srv.addr, "live/ext")

			ffPlay := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", url, "-c", "copy", "-f", "flv", out("ffmpeg.flv"))
			_, pb := dialPlay(ctx, t, dial.Config{}, url)
			waitFor(t, "two waiting players", 10*time.Second, func() bool { return srv.relay.Players(path) == 2 })
			playErr := make(chan error, 1)
			go func() {
				_, err := recordPlayback(ctx, pb, out("ours.flv"), 500*time.Millisecond)
				playErr <- err
			}()

			pub := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-copyts", "-i", out("shifted.flv"), "-c", "copy", "-f", "flv", rtmpURL(pubTap.addr, "live/ext"))
			pub.wait(t)
			ffPlay.wait(t)
			if err := <-playErr; err != nil {
				t.Fatalf("our player: %v", err)
			}

			checkRun(t, "ffmpeg", src, srcExtra, out("ffmpeg.flv"), 1)
			checkRun(t, "our player", src, srcExtra, out("ours.flv"), 1)
			// (The ffmpeg player's file starts its frames at 0 and its
			// sequence headers at 0 too; checkRun has checked it.)
			if off := checkTags(t, "our player", out("ours.flv"), want, 0); off != 0 {
				t.Errorf("our player: timestamp offset %#x from what ffmpeg should send, want 0", off)
			}
			up, _ := pubTap.counts()
			if v.base >= extBoundary && !wraps {
				checkWire(t, "ffmpeg publishing", up, 2, 1)
			} else {
				checkWire(t, "ffmpeg publishing", up, 0, 0)
			}
		})
	}
}

// TestExtTimestampScanner shows that the wire tap's scanner catches the
// 4.66-hour bug: a type-3 continuation without the extended field.
func TestExtTimestampScanner(t *testing.T) {
	var enc chunk.Encoder
	payload := bytes.Repeat([]byte{'x'}, 300) // three chunks at 128
	wire, err := enc.Append(make([]byte, handshakeLen), 6, chunk.Message{Timestamp: extBoundary + 1, TypeID: 9, StreamID: 1, Payload: payload})
	if err != nil {
		t.Fatal(err)
	}
	want := extCounts{Chunks: 3, Headers: 1, Continuations: 2}
	if diff := cmp.Diff(want, scanChunks(bytes.NewReader(wire))); diff != "" {
		t.Errorf("well-formed (-want +got):\n%s", diff)
	}
	// Drop the field from the first continuation: basic header (1),
	// message header (11), field (4), 128 bytes, then the type-3 basic
	// header and its field.
	cut := handshakeLen + 1 + 11 + 4 + 128 + 1
	broken := slices.Delete(slices.Clone(wire), cut, cut+4)
	if got := scanChunks(bytes.NewReader(broken)); got.Mismatches == 0 && got.Err == nil {
		t.Errorf("a continuation without the extended field went unnoticed: %+v", got)
	}
}
