package driver_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/relay"
	"github.com/gortmp/rtmp/driver/dial"
)

// metadataPlayer plays url through its own tap and hands over each
// onMetaData it reads.
func metadataPlayer(ctx context.Context, t *testing.T, server string, objectEncoding float64) (*encodingTap, <-chan amf0.ECMAArray) {
	t.Helper()
	tap := startEncodingTap(t, server)
	got := make(chan amf0.ECMAArray, 8)
	cfg := dial.Config{ObjectEncoding: objectEncoding, OnEvent: func(e client.Event) {
		if md, ok := e.(client.MetaDataReceived); ok {
			select {
			case got <- md.MetaData:
			default:
			}
		}
	}}
	dialPlay(ctx, t, cfg, rtmpURL(tap.addr, "live/meta"))
	return tap, got
}

func awaitMetadata(t *testing.T, who string, got <-chan amf0.ECMAArray, want amf0.ECMAArray) {
	t.Helper()
	select {
	case md := <-got:
		if diff := cmp.Diff(want, md); diff != "" {
			t.Errorf("%s read the metadata (-published +read):\n%s", who, diff)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%s got no metadata", who)
	}
}

// TestRelayAMF3MetadataToBothEncodings: metadata published in AMF3
// reaches a late AMF0 player and a late AMF3 player from the relay's
// cache, and an update reaches both live, each with the published keys
// and values; on the wire the AMF0 player never gets a type 15 or 17
// message and the AMF3 player nothing else after its connect's answer.
func TestRelayAMF3MetadataToBothEncodings(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	srv := newRelayServer(t)
	path := relay.Path{App: "live", Key: "meta"}
	pubConn, err := dial.Config{ObjectEncoding: 3}.Dial(ctx, rtmpURL(srv.addr, "live/meta"))
	if err != nil {
		t.Fatal(err)
	}
	defer pubConn.Close()
	pub, err := pubConn.Publish(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	first := amf0.ECMAArray{
		{Key: "width", Value: 640.0},
		{Key: "framerate", Value: 29.97},
		{Key: "title", Value: "two encodings"},
		{Key: "stereo", Value: true},
		{Key: "tags", Value: amf0.StrictArray{"live", 7.0}},
		{Key: "creator", Value: amf0.Object{{Key: "name", Value: "gortmp"}}},
	}
	if err := pub.SetMetaData(first); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the publisher", 10*time.Second, func() bool { return srv.relay.Publishing(path) })

	tap0, got0 := metadataPlayer(ctx, t, srv.addr, 0)
	tap3, got3 := metadataPlayer(ctx, t, srv.addr, 3)
	awaitMetadata(t, "the AMF0 player", got0, first)
	awaitMetadata(t, "the AMF3 player", got3, first)

	update := append(first[:0:0], first...)
	update[0] = amf0.Property{Key: "width", Value: 1280.0}
	if err := pub.SetMetaData(update); err != nil {
		t.Fatal(err)
	}
	awaitMetadata(t, "the AMF0 player", got0, update)
	awaitMetadata(t, "the AMF3 player", got3, update)

	_, down0 := tap0.seen()
	amf0Meta := 0
	for _, m := range down0 {
		if m.Type == message.TypeCommandAMF3 || m.Type == message.TypeDataAMF3 {
			t.Errorf("the AMF0 player got %v", m)
		}
		if m == (wireMessage{message.TypeDataAMF0, "onMetaData"}) {
			amf0Meta++
		}
	}
	if amf0Meta != 2 {
		t.Errorf("the AMF0 player got %d AMF0 onMetaData, want 2: %v", amf0Meta, down0)
	}
	_, down3 := tap3.seen()
	checkAMF3After(t, "server to the AMF3 player", down3, "_result",
		wireMessage{message.TypeDataAMF3, "onMetaData"},
		wireMessage{message.TypeCommandAMF3, "onStatus"})
}
