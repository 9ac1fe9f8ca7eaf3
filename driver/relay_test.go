package driver_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/live"

	"github.com/google/go-cmp/cmp"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/internal/peers"
)

// TestSecondPublisherBadName: a relay that refuses second publishers
// answers one NetStream.Publish.BadName, and lets it publish once the
// first left.
func TestSecondPublisherBadName(t *testing.T) {
	srv := newRelayServerWith(t, &live.Relay{SecondPublisher: live.RefuseSecondPublisher})
	first := dialClient(t, srv.addr, 0)
	if code := first.publish(first.connect("live"), "one"); code != "NetStream.Publish.Start" {
		t.Fatalf("first publisher got %s", code)
	}
	second := dialClient(t, srv.addr, 0)
	id := second.connect("live")
	if code := second.publish(id, "one"); code != "NetStream.Publish.BadName" {
		t.Fatalf("second publisher got %s, want NetStream.Publish.BadName", code)
	}
	first.conn.Close()
	path := relay.Path{App: "live", Key: "one"}
	waitFor(t, "the first publisher to leave", 5*time.Second, func() bool { return !srv.relay.Publishing(path) })
	other := dialClient(t, srv.addr, 0)
	if code := other.publish(other.connect("live"), "one"); code != "NetStream.Publish.Start" {
		t.Fatalf("publisher after the first left got %s", code)
	}
}

// TestPublisherLeavesAndReturns keeps a player connected across two
// publishers: it hears Stream EOF and UnpublishNotify when the first
// leaves, then PublishNotify and the second's stream from a keyframe.
// The second publisher's timestamps (ffmpeg starts again at 0) continue
// after the first's rather than going back.
func TestPublisherLeavesAndReturns(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	srv := newRelayServer(t)
	path := relay.Path{App: "live", Key: "cycle"}
	player := dialClient(t, srv.addr, 0)
	sid := player.connect("live")
	player.play(sid, "cycle")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var latest uint32 // the latest media timestamp of the previous round
	for round := 1; round <= 2; round++ {
		pub := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", shortSample, "-c", "copy", "-f", "flv", rtmpURL(srv.addr, "live/cycle"))
		var video, audio int
		var firstVideo []byte
		first, last := uint32(0), uint32(0)
		media := func(ts uint32) {
			if video+audio == 0 {
				first = ts
			}
			last = max(last, ts)
		}
		sawEOF, sawNotify, sawPublishNotify := false, false, false
		for !sawNotify {
			m, err := player.next(10 * time.Second)
			if err != nil {
				t.Fatalf("round %d: %v (video %d, audio %d)", round, err, video, audio)
			}
			switch b := m.Body.(type) {
			case message.Video:
				media(m.Timestamp)
				if video == 0 {
					firstVideo = b.Payload
				}
				video++
			case message.Audio:
				media(m.Timestamp)
				audio++
			case message.StreamEOF:
				sawEOF = b.StreamID == sid
			default:
				switch statusCode(m) {
				case "NetStream.Play.UnpublishNotify":
					sawNotify = true
				case "NetStream.Play.PublishNotify":
					sawPublishNotify = video == 0
				}
			}
		}
		pub.wait(t)
		if !sawEOF {
			t.Errorf("round %d: no Stream EOF before UnpublishNotify", round)
		}
		// The sample has 30 video frames and 45 AAC frames; ffmpeg adds
		// the sequence headers and an AVC end of sequence.
		if video != 32 || audio != 46 {
			t.Errorf("round %d: %d video and %d audio messages, want 32 and 46", round, video, audio)
		}
		if len(firstVideo) < 2 || firstVideo[0] != 0x17 || firstVideo[1] != 0 {
			t.Errorf("round %d: first video message % x, want an AVC sequence header", round, firstVideo[:min(len(firstVideo), 2)])
		}
		waitFor(t, "the publisher to leave", 5*time.Second, func() bool { return !srv.relay.Publishing(path) })
		if n := srv.relay.Players(path); n != 1 {
			t.Fatalf("round %d: %d players after unpublish, want the waiting one", round, n)
		}
		if round == 2 && !sawPublishNotify {
			t.Error("round 2: the second publisher was not announced with NetStream.Play.PublishNotify")
		}
		if round == 2 && first <= latest {
			t.Errorf("round 2 starts at %d ms, not after round 1's last timestamp %d ms", first, latest)
		}
		latest = last
	}
}

// TestSlowPlayer has a player that stops reading right after play. The
// publisher keeps real-time pace, a normal player gets the whole stream,
// the slow player's queue stays within its bound while its video is
// dropped (counted), and it is disconnected once too far behind.
func TestSlowPlayer(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	src, srcExtra := packets(t, longSample)
	limits := relay.Config{MaxQueueBytes: 64 << 10, HardQueueBytes: 128 << 10, MaxBehindMillis: 1500}
	r := &live.Relay{Limits: limits}
	addr := startServer(t, nil, r, driver.Config{SocketWriteBuffer: 16 << 10})
	path := relay.Path{App: "live", Key: "slow"}
	url := rtmpURL(addr, "live/slow")

	slow := dialClient(t, addr, 4<<10)
	slow.play(slow.connect("live"), "slow") // and never reads again

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	out := filepath.Join(t.TempDir(), "normal.flv")
	normal := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", url, "-c", "copy", "-f", "flv", out)
	waitFor(t, "two players", 10*time.Second, func() bool { return r.Players(path) == 2 })

	start := time.Now()
	pub := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-re", "-i", longSample, "-c", "copy", "-f", "flv", url)
	maxQueued := 0
	var stats relay.PlayerStats
	for done := false; !done; {
		select {
		case err := <-pub.done:
			pub.done <- err
			done = true
		case <-time.After(20 * time.Millisecond):
			for _, q := range r.Queued(path) {
				maxQueued = max(maxQueued, q)
			}
			if st, ok := r.Stats(path); ok {
				stats = st
			}
		}
	}
	pub.wait(t)
	elapsed := time.Since(start)
	normal.wait(t)

	if elapsed > 7*time.Second {
		t.Errorf("publishing 4 s in real time took %v", elapsed)
	}
	if maxQueued > limits.HardQueueBytes {
		t.Errorf("a player queued %d, bound %d", maxQueued, limits.HardQueueBytes)
	}
	if stats.Dropped == 0 {
		t.Errorf("no drops counted: %+v", stats)
	}
	t.Logf("max queued %d, stats %+v, publish took %v", maxQueued, stats, elapsed)
	checkRun(t, "normal player", src, srcExtra, out, 1)

	// The slow player was disconnected: reading now drains to EOF.
	slow.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := io.Copy(io.Discard, slow.conn); err != nil {
		t.Errorf("slow player still connected: %v", err)
	}
}

// TestHandshakeFlood opens many connections that stall or send garbage
// during the handshake; a normal publish and play still work meanwhile.
func TestHandshakeFlood(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	src, srcExtra := packets(t, shortSample)
	srv := newRelayServer(t)
	var flood []net.Conn
	defer func() {
		for _, c := range flood {
			c.Close()
		}
	}()
	garbage := make([]byte, 3000)
	rand.Read(garbage)
	for i := range 150 {
		c, err := net.Dial("tcp", srv.addr)
		if err != nil {
			t.Fatal(err)
		}
		flood = append(flood, c)
		switch i % 3 {
		case 0: // silent
		case 1: // C0 and part of C1, then silence
			c.Write([]byte{3, 0, 0, 0, 0, 0, 0, 0, 0})
		case 2: // random bytes
			garbage[0] = byte(i)
			c.Write(garbage)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	path := relay.Path{App: "live", Key: "flood"}
	url := rtmpURL(srv.addr, "live/flood")
	out := filepath.Join(t.TempDir(), "player.flv")
	player := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", url, "-c", "copy", "-f", "flv", out)
	waitFor(t, "the player", 10*time.Second, func() bool { return srv.relay.Players(path) == 1 })
	pub := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", shortSample, "-c", "copy", "-f", "flv", url)
	pub.wait(t)
	player.wait(t)
	checkRun(t, "player during flood", src, srcExtra, out, 1)
}

// withCaptions writes a copy of an FLV file with an onTextData caption
// after every fifth video tag, at that tag's timestamp, and returns the
// copy's path and the captions in order.
func withCaptions(t *testing.T, src string) (string, []caption) {
	t.Helper()
	tags := readTags(t, src)
	name := filepath.Join(t.TempDir(), "captions.flv")
	out, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	w, err := flv.NewWriter(out, flv.Header{Version: 1, HasAudio: true, HasVideo: true})
	if err != nil {
		t.Fatal(err)
	}
	var captions []caption
	videos := 0
	for _, tag := range tags {
		if err := w.WriteTag(tag); err != nil {
			t.Fatal(err)
		}
		if tag.Type != flv.TagVideo {
			continue
		}
		if videos++; videos%5 != 1 {
			continue
		}
		c := caption{Text: fmt.Sprintf("caption %d", len(captions)+1), Timestamp: tag.Timestamp}
		data, err := amf0.Append(nil, "onTextData", amf0.ECMAArray{{Key: "type", Value: "Text"}, {Key: "text", Value: c.Text}})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WriteTag(flv.Tag{Type: flv.TagScript, Timestamp: tag.Timestamp, Data: data}); err != nil {
			t.Fatal(err)
		}
		captions = append(captions, c)
	}
	return name, captions
}

type caption struct {
	Text      string
	Timestamp uint32
}

// TestCaptionsRelayedInOrder publishes, with ffmpeg, a file that carries
// onTextData captions between its frames; a player gets metadata first
// and every caption, in order, at its timestamp, between the video frames
// it sits between.
func TestCaptionsRelayedInOrder(t *testing.T) {
	ffmpeg := peers.Need(t, peers.FFmpeg)
	file, want := withCaptions(t, shortSample)
	srv := newRelayServer(t)
	player := dialClient(t, srv.addr, 0)
	player.play(player.connect("live"), "captions")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// -map 0 keeps the captions, which ffmpeg reads as a text subtitle
	// stream and writes back as onTextData.
	pub := startPeer(ctx, t, ffmpeg, "-loglevel", "error", "-i", file, "-map", "0", "-c", "copy", "-f", "flv", rtmpURL(srv.addr, "live/captions"))
	type event struct {
		kind string // "video", "audio", "meta" or a caption's text
		ts   uint32
	}
	var got []event
	for done := false; !done; {
		m, err := player.next(10 * time.Second)
		if err != nil {
			t.Fatalf("after %d messages: %v", len(got), err)
		}
		switch b := m.Body.(type) {
		case message.Video:
			got = append(got, event{"video", m.Timestamp})
		case message.Audio:
			got = append(got, event{"audio", m.Timestamp})
		case message.Data:
			name, _ := b.Values[0].(string)
			switch name {
			case "onMetaData":
				got = append(got, event{"meta", m.Timestamp})
			case "onTextData":
				props, _ := amf0.Properties(b.Values[1])
				text, _ := amf0.Object(props).String("text")
				got = append(got, event{"text:" + text, m.Timestamp})
			}
		default:
			done = statusCode(m) == "NetStream.Play.UnpublishNotify"
		}
	}
	pub.wait(t)
	if len(got) == 0 || got[0].kind != "meta" {
		t.Fatalf("first relayed message %v, want metadata", got[:min(len(got), 1)])
	}
	var captions []caption
	for i, e := range got {
		text, ok := strings.CutPrefix(e.kind, "text:")
		if !ok {
			continue
		}
		captions = append(captions, caption{text, e.ts})
		// In line with the video: no earlier frame after it, no later
		// one before it.
		for j, v := range got {
			if v.kind == "video" && ((j < i && v.ts > e.ts) || (j > i && v.ts < e.ts)) {
				t.Errorf("%q at %d ms and video at %d ms are out of order", text, e.ts, v.ts)
			}
		}
	}
	if diff := cmp.Diff(want, captions); diff != "" {
		t.Fatalf("captions the player got (-want +got):\n%s", diff)
	}
}

// TestDataMessagesPassThrough publishes metadata (legacy and Enhanced
// RTMP), cue points, captions and @clearDataFrame from a client built on
// the codecs: a player gets each data message with every value and key
// in order, and a player joining after @clearDataFrame gets no metadata.
func TestDataMessagesPassThrough(t *testing.T) {
	srv := newRelayServer(t)
	player := dialClient(t, srv.addr, 0)
	player.play(player.connect("live"), "data")
	pub := dialClient(t, srv.addr, 0)
	sid := pub.connect("live")
	if code := pub.publish(sid, "data"); code != "NetStream.Publish.Start" {
		t.Fatalf("publish: %s", code)
	}
	legacy := amf0.ECMAArray{
		{Key: "width", Value: 320.0}, {Key: "height", Value: 240.0}, {Key: "videocodecid", Value: 7.0},
		{Key: "encoder", Value: "Lavf59.27.100"}, {Key: "stereo", Value: false}, {Key: "audiocodecid", Value: 10.0},
		{Key: "zzz", Value: "keys keep their order"}, {Key: "aaa", Value: nil},
	}
	enhanced := amf0.ECMAArray{
		{Key: "videocodecid", Value: float64(0x68766331)}, // hvc1 as a FourCC number
		{Key: "audiocodecid", Value: float64(0x4f707573)}, // Opus
		{Key: "framerate", Value: 30.0},
		{Key: "videoTrackIdInfoMap", Value: amf0.Object{
			{Key: "0", Value: amf0.Object{{Key: "width", Value: 1920.0}, {Key: "height", Value: 1080.0}}},
			{Key: "1", Value: amf0.Object{{Key: "width", Value: 640.0}, {Key: "height", Value: 360.0}}},
		}},
		{Key: "audioTrackIdInfoMap", Value: amf0.Object{{Key: "0", Value: amf0.Object{{Key: "channels", Value: 2.0}}}}},
	}
	cue := []amf0.Value{"onCuePoint", amf0.Object{
		{Key: "name", Value: "ad-break"}, {Key: "time", Value: 0.04}, {Key: "type", Value: "event"},
		{Key: "parameters", Value: amf0.Object{{Key: "duration", Value: 30.0}, {Key: "id", Value: "a1"}}},
	}}
	text := []amf0.Value{"onCaption", "first line", 2.0}
	avcHeader := []byte{0x17, 0, 0, 0, 0, 1, 0x42, 0, 0x1e, 0xff}
	keyframe := []byte{0x17, 1, 0, 0, 0, 0, 0, 0, 1, 0x65}
	data := func(ts uint32, vs ...amf0.Value) message.Message {
		return message.Message{Timestamp: ts, StreamID: sid, Body: message.Data{Values: vs}}
	}
	sent := []message.Message{
		data(0, "@setDataFrame", "onMetaData", legacy),
		{StreamID: sid, Body: message.Video{Payload: avcHeader}},
		{StreamID: sid, Body: message.Video{Payload: keyframe}},
		data(40, cue...),
		{Timestamp: 40, StreamID: sid, Body: message.Video{Payload: keyframe}},
		data(80, text...),
		data(80, "@setDataFrame", "onMetaData", enhanced),
		data(80, "@clearDataFrame", "onMetaData"),
		{Timestamp: 120, StreamID: sid, Body: message.Video{Payload: keyframe}},
	}
	for _, m := range sent {
		pub.send(4, m)
	}
	want := []message.Message{
		data(0, "onMetaData", legacy),
		{Body: message.Video{Payload: avcHeader}},
		{Body: message.Video{Payload: keyframe}},
		data(40, cue...),
		{Timestamp: 40, Body: message.Video{Payload: keyframe}},
		data(80, text...),
		data(40, "onMetaData", enhanced), // stamped with the last frame's time
		{Timestamp: 120, Body: message.Video{Payload: keyframe}},
	}
	var got []message.Message
	for len(got) < len(want) {
		m, err := player.next(5 * time.Second)
		if err != nil {
			t.Fatalf("after %d relayed messages: %v", len(got), err)
		}
		switch b := m.Body.(type) {
		case message.Data:
			if b.Values[0] == "|RtmpSampleAccess" || b.Values[0] == "onStatus" {
				continue // the player's own session says these
			}
			m.StreamID = sid
			got = append(got, m)
		case message.Video:
			m.StreamID = sid
			got = append(got, m)
		}
	}
	for i := range want {
		want[i].StreamID = sid
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("player's data and video (-want +got):\n%s", diff)
	}

	late := dialClient(t, srv.addr, 0)
	late.play(late.connect("live"), "data")
	m := late.await("the cached keyframe", 5*time.Second, func(m message.Message) bool {
		if d, ok := m.Body.(message.Data); ok && len(d.Values) > 0 && d.Values[0] == "onMetaData" {
			t.Errorf("a player joining after @clearDataFrame got metadata %v", d.Values)
		}
		_, ok := m.Body.(message.Video)
		return ok
	})
	if v := m.Body.(message.Video); v.Payload[1] != 0 {
		t.Errorf("late player's first video % x, want the sequence header", v.Payload[:2])
	}
}
