package driver_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"
	"github.com/gortmp/rtmp/driver/live"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver"
)

// What players declare in connect.
var (
	// A v2 player that reads multitrack: it gets every track.
	multitrackPlayer = dial.Config{ConnectExtra: amf0.Object{
		{Key: "videoFourCcInfoMap", Value: amf0.Object{{Key: "*", Value: 4.0}, {Key: "hvc1", Value: 1.0}, {Key: "av01", Value: 1.0}}},
		{Key: "capsEx", Value: 2.0},
	}}
	// A v1 player: Enhanced RTMP codecs, no multitrack.
	enhancedPlayer = dial.Config{ConnectExtra: amf0.Object{
		{Key: "fourCcList", Value: amf0.StrictArray{"hvc1", "av01"}},
	}}
	// A legacy player declares nothing.
	legacyPlayer = dial.Config{}
	// The publisher declares what it encodes.
	enhancedPublisher = dial.Config{ConnectExtra: amf0.Object{
		{Key: "fourCcList", Value: amf0.StrictArray{"hvc1", "av01"}},
		{Key: "videoFourCcInfoMap", Value: amf0.Object{{Key: "hvc1", Value: 2.0}, {Key: "av01", Value: 2.0}}},
		{Key: "capsEx", Value: 2.0},
	}}
)

// startPlayer dials and plays url, failing the test on error.
func startPlayer(ctx context.Context, t *testing.T, cfg dial.Config, url string) *dial.Playback {
	t.Helper()
	c, err := cfg.Dial(ctx, url)
	if err != nil {
		t.Fatalf("dial player: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	pb, err := c.Play(ctx, "")
	if err != nil {
		t.Fatalf("play: %v", err)
	}
	return pb
}

// startPublisher dials and publishes url with metadata.
func startPublisher(ctx context.Context, t *testing.T, url string, md amf0.ECMAArray) *dial.Publication {
	t.Helper()
	c, err := enhancedPublisher.Dial(ctx, url)
	if err != nil {
		t.Fatalf("dial publisher: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	pub, err := c.Publish(ctx, "")
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	if err := pub.SetMetaData(md); err != nil {
		t.Fatal(err)
	}
	return pub
}

func writeVideo(t *testing.T, pub *dial.Publication, ts uint32, payload []byte) {
	t.Helper()
	if err := pub.WriteMessage(message.Message{Timestamp: ts, Body: message.Video{Payload: payload}}); err != nil {
		t.Fatal(err)
	}
}

// received is what a player got: video payloads with their timestamps,
// and the last onMetaData.
type received struct {
	video    [][]byte
	times    []uint32
	metaData amf0.ECMAArray
}

// readVideo reads until n video messages arrived.
func readVideo(ctx context.Context, t *testing.T, who string, pb *dial.Playback, n int) received {
	t.Helper()
	var got received
	for len(got.video) < n {
		m, err := pb.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("%s after %d video messages: %v", who, len(got.video), err)
		}
		switch b := m.Body.(type) {
		case message.Video:
			got.video, got.times = append(got.video, b.Payload), append(got.times, m.Timestamp)
		case message.Data:
			if len(b.Values) == 2 && b.Values[0] == "onMetaData" {
				props, _ := amf0.Properties(b.Values[1])
				got.metaData = amf0.ECMAArray(props)
			}
		}
	}
	return got
}

// writeMarker sends a data message every player gets in order with the
// media, so a player that reads up to it has seen all that came before.
func writeMarker(t *testing.T, pub *dial.Publication, ts uint32) {
	t.Helper()
	if err := pub.WriteMessage(message.Message{Timestamp: ts, Body: message.Data{Values: []any{"onTextData", amf0.Object{{Key: "text", Value: "marker"}}}}}); err != nil {
		t.Fatal(err)
	}
}

// readToMarker reads up to the marker and returns the video it got.
func readToMarker(ctx context.Context, t *testing.T, who string, pb *dial.Playback) [][]byte {
	t.Helper()
	var video [][]byte
	for {
		m, err := pb.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("%s after %d video messages, before the marker: %v", who, len(video), err)
		}
		switch b := m.Body.(type) {
		case message.Video:
			video = append(video, b.Payload)
		case message.Data:
			if len(b.Values) > 0 && b.Values[0] == "onTextData" {
				return video
			}
		}
	}
}

// hexes prints payloads for diffs.
func hexes(ps [][]byte) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = fmt.Sprintf("% x", p)
	}
	return out
}

// HEVC (libx265) and AV1 (libaom) streams, wrapped into Enhanced RTMP tags
// by codec/flv, go through the relay to an Enhanced player byte for byte;
// the enhanced onMetaData keeps its FourCC codec id. A legacy player,
// which reads no Enhanced RTMP tag, gets none.
func TestERTMPSingleTrackByteIdentical(t *testing.T) {
	for _, v := range []codedVideo{loadHEVC(t), loadAV1(t)} {
		t.Run(v.fourCC.String(), func(t *testing.T) {
			srv := newRelayServer(t)
			url := rtmpURL(srv.addr, "live/"+v.fourCC.String())
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			players := map[string]*dial.Playback{
				"enhanced": startPlayer(ctx, t, enhancedPlayer, url),
				"legacy":   startPlayer(ctx, t, legacyPlayer, url),
			}
			pub := startPublisher(ctx, t, url, amf0.ECMAArray{
				{Key: "width", Value: 160.0}, {Key: "height", Value: 90.0}, {Key: "framerate", Value: 10.0},
				{Key: "videocodecid", Value: float64(v.fourCC)},
			})
			want := [][]byte{v.sequenceStart()}
			writeVideo(t, pub, 0, want[0])
			for i := range v.frames {
				want = append(want, v.frame(i))
				writeVideo(t, pub, uint32(100*i), want[len(want)-1])
			}
			want = append(want, flv.AppendVideo(nil, flv.FrameKey, flv.VideoSequenceEnd, v.fourCC, 0, nil))
			writeVideo(t, pub, 600, want[len(want)-1])
			writeMarker(t, pub, 600)
			if got := readToMarker(ctx, t, "legacy", players["legacy"]); len(got) != 0 {
				t.Errorf("legacy player got Enhanced RTMP video: %v", hexes(got))
			}
			delete(players, "legacy")
			for who, pb := range players {
				got := readVideo(ctx, t, who, pb, len(want))
				if diff := cmp.Diff(hexes(want), hexes(got.video)); diff != "" {
					t.Errorf("%s player (-published +played):\n%s", who, diff)
				}
				if id, _ := got.metaData.Number("videocodecid"); id != float64(v.fourCC) {
					t.Errorf("%s player: onMetaData %v", who, got.metaData)
				}
			}
		})
	}
}

// twoTrackStream is the HEVC sample as track 0 and the AV1 sample as
// track 1 of one multitrack stream (both 10 fps, keyframes together).
type twoTrackStream struct{ hevc, av1 codedVideo }

func (s twoTrackStream) start() []byte {
	return flv.AppendVideoMultitrack(nil, flv.FrameKey, flv.VideoSequenceStart, []flv.VideoTrack{
		{ID: 0, FourCC: flv.FourCCHEVC, Data: s.hevc.config},
		{ID: 1, FourCC: flv.FourCCAV1, Data: s.av1.config},
	})
}

func (s twoTrackStream) frame(i int) []byte {
	return flv.AppendVideoMultitrack(nil, s.hevc.frameType(i), flv.VideoCodedFrames, []flv.VideoTrack{
		{ID: 0, FourCC: flv.FourCCHEVC, Data: s.hevc.frames[i]},
		{ID: 1, FourCC: flv.FourCCAV1, Data: s.av1.frames[i]},
	})
}

// trackZero is what a player without multitrack gets of a message.
func trackZero(t *testing.T, payloads [][]byte) [][]byte {
	t.Helper()
	out := make([][]byte, len(payloads))
	for i, p := range payloads {
		var err error
		if out[i], err = flv.ExtractVideoTrack(nil, p, 0); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// A two-track publish: a multitrack player gets both tracks as published,
// an Enhanced player without multitrack track 0 only, as plain
// single-track HEVC, and a legacy player no video (HEVC has no legacy
// form). Players joining late get each track's configuration and the
// frames since the last keyframe, in their view. The enhanced onMetaData
// (videoTrackIdInfoMap) reaches every player.
func TestERTMPMultitrackViews(t *testing.T) {
	s := twoTrackStream{hevc: loadHEVC(t), av1: loadAV1(t)}
	if s.hevc.keys[3] != s.av1.keys[3] {
		t.Fatal("the samples' keyframes are not aligned")
	}
	srv := newRelayServer(t)
	url := rtmpURL(srv.addr, "live/two")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	early := map[string]*dial.Playback{
		"multitrack": startPlayer(ctx, t, multitrackPlayer, url),
		"enhanced":   startPlayer(ctx, t, enhancedPlayer, url),
		"legacy":     startPlayer(ctx, t, legacyPlayer, url),
	}
	md := amf0.ECMAArray{
		{Key: "videocodecid", Value: float64(flv.FourCCHEVC)},
		{Key: "videoTrackIdInfoMap", Value: amf0.Object{{Key: "1", Value: amf0.Object{{Key: "videocodecid", Value: float64(flv.FourCCAV1)}}}}},
	}
	pub := startPublisher(ctx, t, url, md)
	published := [][]byte{s.start()}
	writeVideo(t, pub, 0, published[0])
	for i := range s.hevc.frames {
		published = append(published, s.frame(i))
		writeVideo(t, pub, uint32(100*i), published[len(published)-1])
	}
	want := map[string][][]byte{
		"multitrack": published,
		"enhanced":   trackZero(t, published),
	}
	writeMarker(t, pub, 600)
	if got := readToMarker(ctx, t, "legacy", early["legacy"]); len(got) != 0 {
		t.Errorf("legacy player got Enhanced RTMP video: %v", hexes(got))
	}
	delete(early, "legacy")
	for who, pb := range early {
		got := readVideo(ctx, t, who, pb, len(want[who]))
		if diff := cmp.Diff(hexes(want[who]), hexes(got.video)); diff != "" {
			t.Errorf("%s player (-want +got):\n%s", who, diff)
		}
		if diff := cmp.Diff(md, got.metaData); diff != "" {
			t.Errorf("%s player's onMetaData (-published +played):\n%s", who, diff)
		}
	}

	// Late players: the configuration, then the group of pictures from
	// the keyframe at frame 3.
	late := append([][]byte{published[0]}, published[4:]...)
	for who, cfg := range map[string]dial.Config{"multitrack": multitrackPlayer, "enhanced": enhancedPlayer} {
		pb := startPlayer(ctx, t, cfg, url)
		wantLate := late
		if who == "enhanced" {
			wantLate = trackZero(t, late)
		}
		got := readVideo(ctx, t, "late "+who, pb, len(wantLate))
		if diff := cmp.Diff(hexes(wantLate), hexes(got.video)); diff != "" {
			t.Errorf("late %s player (-want +got):\n%s", who, diff)
		}
	}
}

// reconnectServer is a relay that hands its connections and caller
// errors to the test.
type reconnectServer struct {
	*live.Relay
	conns chan *driver.Conn
	errs  chan error
}

func (h reconnectServer) HandleEvent(c *driver.Conn, ev core.Event) {
	switch e := ev.(type) {
	case core.CallerError:
		select {
		case h.errs <- e.Err:
		default:
		}
	case core.ConnectionRequested:
		h.Relay.HandleEvent(c, ev)
		select {
		case h.conns <- c:
		default:
		}
		return
	}
	h.Relay.HandleEvent(c, ev)
}

// The server asks a client that declared capsEx Reconnect to reconnect to
// another server: our client session reports the request with the new
// tcUrl and, told not to follow it by itself, the application publishes
// there. A client that did not declare it
// receives nothing, and the application gets the CapabilityError.
func TestERTMPReconnectRequest(t *testing.T) {
	old := reconnectServer{Relay: &live.Relay{}, conns: make(chan *driver.Conn, 4), errs: make(chan error, 4)}
	oldAddr := startServer(t, nil, old, driver.Config{})
	moved := newRelayServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	events := make(chan client.Effect, 64)
	onEvent := func(e client.Event) {
		switch e.(type) {
		case client.ReconnectRequested, client.StatusReceived:
			select {
			case events <- e:
			default:
			}
		}
	}
	declared := enhancedPublisher
	declared.ConnectExtra = append(amf0.Object{{Key: "capsEx", Value: 3.0}}, declared.ConnectExtra[:2]...)
	declared.OnEvent = onEvent
	declared.Reconnect = dial.ReconnectReportOnly
	legacy := dial.Config{OnEvent: onEvent}

	for _, tc := range []struct {
		name     string
		cfg      dial.Config
		declared bool
	}{{"declared", declared, true}, {"undeclared", legacy, false}} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.cfg.Dial(ctx, rtmpURL(oldAddr, "live/demo"))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			pub, err := c.Publish(ctx, "")
			if err != nil {
				t.Fatal(err)
			}
			conn := receive(ctx, t, old.conns)
			newTCURL := rtmpURL(moved.addr, "live")
			conn.Do(core.RequestReconnect{TCURL: newTCURL, Description: "server update"})
			// A marker after the request: the client sees what the
			// request produced before it.
			conn.Do(core.SendMessage{Body: message.Command{Name: "onStatus", Args: []amf0.Value{
				amf0.Object{{Key: "level", Value: "status"}, {Key: "code", Value: "Test.Marker"}}}}})
			first := receive(ctx, t, events)
			if !tc.declared {
				if s, ok := first.(client.StatusReceived); !ok || s.Code != "Test.Marker" {
					t.Fatalf("undeclared client got %#v first", first)
				}
				var ce core.CapabilityError
				if err := receive(ctx, t, old.errs); !errors.As(err, &ce) || ce.Side != "client" || ce.CapsEx != core.CapsExReconnect {
					t.Fatalf("server application got %v", err)
				}
				return
			}
			req, ok := first.(client.ReconnectRequested)
			if !ok || req.TCURL != newTCURL || req.Description != "server update" {
				t.Fatalf("declared client got %#v", first)
			}
			receive(ctx, t, events) // the marker
			// Reconnect as the request says: the new server, same key.
			c2, err := tc.cfg.Dial(ctx, req.TCURL)
			if err != nil {
				t.Fatal(err)
			}
			defer c2.Close()
			if _, err := c2.Publish(ctx, pub.Key()); err != nil {
				t.Fatal(err)
			}
			pub.Close()
			c.Close()
			waitFor(t, "the stream on the new server", 5*time.Second, func() bool {
				return moved.relay.Publishing(relay.Path{App: "live", Key: "demo"})
			})
			waitFor(t, "the old server to let go", 5*time.Second, func() bool {
				return !old.Publishing(relay.Path{App: "live", Key: "demo"})
			})
		})
	}
}

// receive takes one value from ch, failing the test when ctx ends first.
func receive[T any](ctx context.Context, t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-ctx.Done():
		t.Fatalf("waited in vain: %v", ctx.Err())
		panic("unreachable")
	}
}

// A publishing client that declared capsEx Reconnect follows the request
// by itself: the server application on A asks it mid-stream to move to B,
// and a player on B receives the rest of the stream from the next
// keyframe, after the metadata and decoder configuration the client
// replays there: the request comes mid-GOP and the frames up to the
// keyframe still go to A. The publisher's writes never fail and A lets go.
func TestERTMPReconnectFollowed(t *testing.T) {
	a := reconnectServer{Relay: &live.Relay{}, conns: make(chan *driver.Conn, 4), errs: make(chan error, 4)}
	aAddr := startServer(t, nil, a, driver.Config{})
	b := newRelayServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tags := readTags(t, "../testdata/media/h264-aac-320x240.flv")
	// The switch point: the second keyframe, mid-stream.
	cut := -1
	for i, tag := range tags {
		if i > 0 && tag.Type == flv.TagVideo && isKeyframe(tag.Data) && cut < 0 && seenKeyframe(tags[:i]) {
			cut = i
		}
	}
	if cut < 0 {
		t.Fatal("the sample has no second keyframe")
	}
	mid := cut / 2

	player := startPlayer(ctx, t, legacyPlayer, rtmpURL(b.addr, "live/demo"))
	started := make(chan client.PublishStarted, 4)
	cfg := dial.Config{Reconnect: dial.ReconnectFollow, OnEvent: func(e client.Event) {
		if s, ok := e.(client.PublishStarted); ok {
			started <- s
		}
	}}
	c, err := cfg.Dial(ctx, rtmpURL(aAddr, "live/demo"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pub, err := c.Publish(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	receive(ctx, t, started)
	conn := receive(ctx, t, a.conns)
	for _, tag := range tags[:mid] {
		if err := pub.WriteTag(tag); err != nil {
			t.Fatal(err)
		}
	}
	conn.Do(core.RequestReconnect{TCURL: rtmpURL(b.addr, "live"), Description: "maintenance"})
	// The new server accepted the publish: the next keyframe switches.
	receive(ctx, t, started)
	waitFor(t, "the new server to carry the stream", 5*time.Second, c.SwitchPending)
	for _, tag := range tags[mid:] {
		if err := pub.WriteTag(tag); err != nil {
			t.Fatalf("writing across the switch: %v", err)
		}
	}

	want := map[message.TypeID][][]byte{}
	for _, tag := range tags {
		if tag.Type != flv.TagScript && isConfig(tag) {
			want[typeOf(tag)] = append(want[typeOf(tag)], tag.Data) // replayed first
		}
	}
	for _, tag := range tags[cut:] {
		if tag.Type != flv.TagScript && !isConfig(tag) {
			want[typeOf(tag)] = append(want[typeOf(tag)], tag.Data)
		}
	}
	got := map[message.TypeID][][]byte{}
	var metaData bool
	for len(got[message.TypeVideo]) < len(want[message.TypeVideo]) || len(got[message.TypeAudio]) < len(want[message.TypeAudio]) {
		m, err := player.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("player on B after %d video and %d audio messages: %v", len(got[message.TypeVideo]), len(got[message.TypeAudio]), err)
		}
		switch body := m.Body.(type) {
		case message.Video:
			got[message.TypeVideo] = append(got[message.TypeVideo], body.Payload)
		case message.Audio:
			got[message.TypeAudio] = append(got[message.TypeAudio], body.Payload)
		case message.Data:
			metaData = metaData || len(body.Values) > 0 && body.Values[0] == "onMetaData"
		}
	}
	for _, typ := range []message.TypeID{message.TypeVideo, message.TypeAudio} {
		if diff := cmp.Diff(hexes(want[typ]), hexes(got[typ])); diff != "" {
			t.Errorf("type %d on B (-published from the keyframe +played):\n%s", typ, diff)
		}
	}
	if !metaData {
		t.Error("the player on B got no onMetaData")
	}
	if n, err := c.Reconnects(), c.Err(); n != 1 || err != nil {
		t.Errorf("Reconnects %d, Err %v; want 1, nil", n, err)
	}
	if got := c.Target().Addr; got != b.addr {
		t.Errorf("Target().Addr %s, want %s", got, b.addr)
	}
	waitFor(t, "A to let go of the stream", 5*time.Second, func() bool {
		return !a.Publishing(relay.Path{App: "live", Key: "demo"})
	})
	select {
	case err := <-a.errs:
		t.Errorf("server application on A got %v", err)
	default:
	}
}

// A new server that refuses the publish ends the connection with a
// *ReconnectError naming it; writes then fail with ErrClientClosed.
func TestERTMPReconnectRefused(t *testing.T) {
	a := reconnectServer{Relay: &live.Relay{}, conns: make(chan *driver.Conn, 4), errs: make(chan error, 4)}
	aAddr := startServer(t, nil, a, driver.Config{})
	b := newRelayServerWith(t, &live.Relay{SecondPublisher: live.RefuseSecondPublisher})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	// B has a publisher on the key already, so it refuses ours.
	startPublisher(ctx, t, rtmpURL(b.addr, "live/demo"), amf0.ECMAArray{{Key: "width", Value: 320.0}})

	c, err := dial.Config{Reconnect: dial.ReconnectFollow}.Dial(ctx, rtmpURL(aAddr, "live/demo"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pub, err := c.Publish(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	receive(ctx, t, a.conns).Do(core.RequestReconnect{TCURL: rtmpURL(b.addr, "live")})
	select {
	case <-c.Done():
	case <-ctx.Done():
		t.Fatal("the connection did not end")
	}
	var re *dial.ReconnectError
	var se *dial.StatusError
	if err := c.Err(); !errors.As(err, &re) || re.TCURL != rtmpURL(b.addr, "live") || !errors.As(err, &se) || se.Command != "publish" {
		t.Fatalf("Err() = %v; want a *ReconnectError to %s wrapping the refused publish", err, rtmpURL(b.addr, "live"))
	}
	if err := pub.WriteMessage(message.Message{Body: message.Audio{Payload: []byte{0xaf, 1, 0}}}); !errors.Is(err, dial.ErrClosed) || !errors.As(err, &re) {
		t.Errorf("WriteMessage after the failed reconnect: %v", err)
	}
}

func isKeyframe(payload []byte) bool {
	info, err := flv.ClassifyVideo(payload)
	return err == nil && info.Kind == flv.KindKeyframe
}

func seenKeyframe(tags []flv.Tag) bool {
	for _, tag := range tags {
		if tag.Type == flv.TagVideo && isKeyframe(tag.Data) {
			return true
		}
	}
	return false
}

// isConfig reports whether an audio or video tag is decoder configuration.
func isConfig(tag flv.Tag) bool {
	if tag.Type == flv.TagVideo {
		info, err := flv.ClassifyVideo(tag.Data)
		return err == nil && info.Kind == flv.KindSequenceStart
	}
	info, err := flv.ClassifyAudio(tag.Data)
	return err == nil && info.Kind == flv.KindSequenceStart
}

func typeOf(tag flv.Tag) message.TypeID {
	if tag.Type == flv.TagVideo {
		return message.TypeVideo
	}
	return message.TypeAudio
}

// A playing client follows the request too: its Playback goes on without
// an error and delivers what the new server plays.
func TestERTMPReconnectFollowedPlayback(t *testing.T) {
	a := reconnectServer{Relay: &live.Relay{}, conns: make(chan *driver.Conn, 4), errs: make(chan error, 4)}
	aAddr := startServer(t, nil, a, driver.Config{})
	b := newRelayServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	md := amf0.ECMAArray{{Key: "width", Value: 320.0}}
	onA := startPublisher(ctx, t, rtmpURL(aAddr, "live/demo"), md)
	onB := startPublisher(ctx, t, rtmpURL(b.addr, "live/demo"), md)
	receive(ctx, t, a.conns) // the publisher's

	pb := startPlayer(ctx, t, dial.Config{Reconnect: dial.ReconnectFollow}, rtmpURL(aAddr, "live/demo"))
	conn := receive(ctx, t, a.conns)
	key := []byte{0x17, 0, 0, 0, 0, 'A'}
	writeVideo(t, onA, 0, key)
	if got := readVideo(ctx, t, "player on A", pb, 1); string(got.video[0]) != string(key) {
		t.Fatalf("player on A got % x", got.video[0])
	}
	conn.Do(core.RequestReconnect{TCURL: rtmpURL(b.addr, "live")})
	waitFor(t, "the player to leave A", 5*time.Second, func() bool {
		return a.Players(relay.Path{App: "live", Key: "demo"}) == 0
	})
	keyB := []byte{0x17, 0, 0, 0, 0, 'B'}
	writeVideo(t, onB, 40, keyB)
	got := readVideo(ctx, t, "player moved to B", pb, 1)
	if string(got.video[0]) != string(keyB) {
		t.Fatalf("player moved to B got % x, want % x", got.video[0], keyB)
	}
}
