package relay_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/relay"
)

var (
	cam = relay.Path{App: "live", Key: "cam"}
	// sameStream compares streams by identity.
	sameStream = cmp.Comparer(func(a, b *relay.Stream) bool { return a == b })
	cmpErrors  = cmp.Comparer(func(a, b error) bool { return errors.Is(a, b) || errors.Is(b, a) })
	// noNotice leaves the notices out: TestNotices checks them.
	noNotice = cmp.Options{
		cmpopts.IgnoreFields(relay.PublishStarted{}, "Notice"),
		cmpopts.IgnoreFields(relay.PublishStopped{}, "Notice"),
		cmpopts.IgnoreFields(relay.DisconnectPublisher{}, "Notice"),
		cmpErrors,
	}
)

func publishRequest(r core.RequestID, sid uint32, query string) core.PublishStreamRequested {
	return core.PublishStreamRequested{Request: r, App: cam.App, StreamKey: cam.Key, Query: query, StreamID: sid}
}

// connected returns a Conn that connected with the given query.
func connected(t *testing.T, id uint64, p relay.Policy, query string) *relay.Conn {
	t.Helper()
	c := relay.NewConn(id, "192.0.2.1:5000", p)
	if diff := cmp.Diff([]relay.Effect{relay.AcceptRequest{Request: 1}}, c.Step(core.ConnectionRequested{Request: 1, App: "live", Query: query})); diff != "" {
		t.Fatalf("connect (-want +got):\n%s", diff)
	}
	return c
}

// publish runs a publish request through to Apply and returns what Apply
// returned.
func publish(t *testing.T, c *relay.Conn, reg *relay.Registry, r core.RequestID, sid uint32) []relay.Effect {
	t.Helper()
	fx := c.Step(publishRequest(r, sid, ""))
	if len(fx) != 1 {
		t.Fatalf("publish request: %v", fx)
	}
	e, ok := fx[0].(relay.Publish)
	if !ok {
		t.Fatalf("publish request: %v", fx)
	}
	return c.Apply(reg.Stream(e.Path), e)
}

func TestConnKeysRefuse(t *testing.T) {
	c := connected(t, 1, relay.Policy{PublishKey: "s3cret", PlayKey: "p1ay"}, "")
	want := []relay.Effect{relay.RejectRequest{Request: 2, Reason: core.RejectDenied, Description: "a valid key is required to publish"}}
	if diff := cmp.Diff(want, c.Step(publishRequest(2, 1, "key=wrong"))); diff != "" {
		t.Fatal(diff)
	}
	want = []relay.Effect{relay.Publish{Request: 3, Path: cam, StreamID: 1, ID: relay.ConnClient(1, 1)}}
	if diff := cmp.Diff(want, c.Step(publishRequest(3, 1, "key=s3cret"))); diff != "" {
		t.Fatal(diff)
	}
	want = []relay.Effect{relay.RejectRequest{Request: 4, Reason: core.RejectDenied, Description: "a valid key is required to play"}}
	if diff := cmp.Diff(want, c.Step(core.PlayStreamRequested{Request: 4, App: "live", StreamKey: "cam", StreamID: 2})); diff != "" {
		t.Fatal(diff)
	}
	// The connect query's key counts too.
	c = connected(t, 2, relay.Policy{PlayKey: "p1ay"}, "key=p1ay")
	if diff := cmp.Diff([]relay.Effect{relay.AcceptRequest{Request: 5}}, c.Step(core.PlayStreamRequested{Request: 5, App: "live", StreamKey: "cam"})); diff != "" {
		t.Fatal(diff)
	}
}

func TestConnAsksTheAuthorizer(t *testing.T) {
	c := connected(t, 1, relay.Policy{Authorize: true}, "token=1")
	fx := c.Step(publishRequest(2, 1, "a=b"))
	want := []relay.Effect{relay.Authorize{Request: 2, Auth: relay.AuthRequest{
		Action: "publish", Path: cam, Query: "a=b", ConnectQuery: "token=1", Remote: "192.0.2.1:5000",
	}}}
	if diff := cmp.Diff(want, fx); diff != "" {
		t.Fatal(diff)
	}
	if fx := c.Authorized(99, nil); fx != nil {
		t.Fatalf("an answer to nothing asked did %v", fx)
	}
	want = []relay.Effect{relay.Publish{Request: 2, Path: cam, StreamID: 1, ID: relay.ConnClient(1, 1)}}
	if diff := cmp.Diff(want, c.Authorized(2, nil)); diff != "" {
		t.Fatal(diff)
	}
	if fx := c.Authorized(2, nil); fx != nil {
		t.Fatalf("a second answer did %v", fx)
	}
	c.Step(core.PlayStreamRequested{Request: 3, App: "live", StreamKey: "cam", StreamID: 2})
	want = []relay.Effect{relay.RejectRequest{Request: 3, Reason: core.RejectDenied, Description: "not you"}}
	if diff := cmp.Diff(want, c.Authorized(3, errors.New("not you"))); diff != "" {
		t.Fatal(diff)
	}
}

func TestConnSecondPublisherPolicy(t *testing.T) {
	for _, tc := range []struct {
		policy relay.PublishPolicy
		want   []relay.Effect
	}{
		{relay.TakeOverPublisher, []relay.Effect{
			relay.AcceptRequest{Request: 2},
			relay.DisconnectPublisher{Publisher: relay.ConnClient(1, 1), Reason: relay.ErrTakenOver},
			relay.Published{Path: cam, ID: relay.ConnClient(2, 1), TookOver: true},
		}},
		{relay.RefuseSecondPublisher, []relay.Effect{
			relay.RejectRequest{Request: 2, Reason: core.RejectBadName, Description: "live/cam is already being published"},
		}},
	} {
		reg := relay.NewRegistry(relay.Config{})
		p := relay.Policy{SecondPublisher: tc.policy}
		first := connected(t, 1, p, "")
		want := []relay.Effect{relay.AcceptRequest{Request: 2}, relay.Published{Path: cam, ID: relay.ConnClient(1, 1)}}
		if diff := cmp.Diff(want, publish(t, first, reg, 2, 1)); diff != "" {
			t.Fatal(diff)
		}
		second := connected(t, 2, p, "")
		if diff := cmp.Diff(tc.want, publish(t, second, reg, 2, 1), noNotice); diff != "" {
			t.Fatalf("policy %d (-want +got):\n%s", tc.policy, diff)
		}
	}
}

func status(level, code, description string) message.Command {
	return message.Command{Name: "onStatus", Args: []amf0.Value{amf0.Object{
		{Key: "level", Value: level}, {Key: "code", Value: code}, {Key: "description", Value: description},
	}}}
}

// TestNotices: a waiting player is told on its own message stream when a
// publisher starts and stops, and a publisher taken over is told on its
// own why it goes.
func TestNotices(t *testing.T) {
	reg := relay.NewRegistry(relay.Config{})
	st := reg.Stream(cam)
	player := relay.ConnClient(7, 4)
	st.Play(player)
	publish(t, connected(t, 1, relay.Policy{}, ""), reg, 2, 3)
	fx := publish(t, connected(t, 2, relay.Policy{}, ""), reg, 2, 1)
	want := []relay.Effect{
		relay.AcceptRequest{Request: 2},
		relay.DisconnectPublisher{Publisher: relay.ConnClient(1, 3), Reason: relay.ErrTakenOver, Notice: message.Message{
			StreamID: 3, Body: status("error", "NetStream.Publish.BadName", "live/cam taken over by a new publisher"),
		}},
		relay.PublishStarted{Player: player, Notice: []message.Message{
			{Body: message.StreamBegin{StreamID: 4}},
			{StreamID: 4, Body: status("status", "NetStream.Play.PublishNotify", "cam is now published.")},
		}},
		relay.Published{Path: cam, ID: relay.ConnClient(2, 1), TookOver: true},
	}
	if diff := cmp.Diff(want, fx, cmpErrors); diff != "" {
		t.Fatalf("takeover (-want +got):\n%s", diff)
	}
	want = []relay.Effect{relay.PublishStopped{Player: player, Notice: []message.Message{
		{Body: message.StreamEOF{StreamID: 4}},
		{StreamID: 4, Body: status("status", "NetStream.Play.UnpublishNotify", "cam is now unpublished.")},
	}}}
	if diff := cmp.Diff(want, st.Leave(relay.ConnClient(2, 1))); diff != "" {
		t.Fatalf("unpublish (-want +got):\n%s", diff)
	}
}

func TestConnPlayLeaveForget(t *testing.T) {
	reg := relay.NewRegistry(relay.Config{})
	pl := connected(t, 7, relay.Policy{}, "")
	fx := pl.Step(core.PlayStreamStarted{App: "live", StreamKey: "cam", StreamID: 1})
	play := relay.Play{Path: cam, StreamID: 1, ID: relay.ConnClient(7, 1), View: relay.ViewLegacy}
	if diff := cmp.Diff([]relay.Effect{play}, fx, sameStream); diff != "" {
		t.Fatal(diff)
	}
	st := reg.Stream(cam)
	if diff := cmp.Diff([]relay.Effect{relay.Playing{Path: cam, ID: play.ID}}, pl.Apply(st, play), sameStream); diff != "" {
		t.Fatal(diff)
	}
	pub := connected(t, 1, relay.Policy{}, "")
	fx = publish(t, pub, reg, 2, 1)
	if _, ok := fx[1].(relay.PublishStarted); !ok {
		t.Fatalf("the waiting player was not told: %v", fx)
	}
	// The publisher's connection closes: the player is told, stays, and
	// the path is kept for it.
	fx = pub.Close()
	want := []relay.Effect{relay.Leave{Stream: st, ID: relay.ConnClient(1, 1), Publisher: true, Why: "connection closed"}}
	if diff := cmp.Diff(want, fx, sameStream); diff != "" {
		t.Fatal(diff)
	}
	fx = pub.Apply(st, fx[0])
	want = []relay.Effect{relay.PublishStopped{Player: play.ID}, relay.Left{Path: cam, ID: relay.ConnClient(1, 1), Publisher: true, Why: "connection closed"}}
	if diff := cmp.Diff(want, fx, noNotice, sameStream); diff != "" {
		t.Fatal(diff)
	}
	// The player stops: nobody is left, the path may be forgotten.
	fx = pl.Step(core.PlayStreamFinished{App: "live", StreamKey: "cam", StreamID: 1})
	fx = pl.Apply(st, fx[0])
	want = []relay.Effect{relay.Left{Path: cam, ID: play.ID, Why: "stopped by the client"}, relay.Forget{Stream: st}}
	if diff := cmp.Diff(want, fx, sameStream); diff != "" {
		t.Fatal(diff)
	}
	if fx := pl.Close(); fx != nil {
		t.Fatalf("closing after everything ended did %v", fx)
	}
}

// Data messages and metadata are forwarded as players receive them,
// metadata at the timestamp of the media it came after; a cleared
// metadata is applied only while the connection still publishes.
func TestConnDataAndMetadata(t *testing.T) {
	reg := relay.NewRegistry(relay.Config{})
	c := connected(t, 1, relay.Policy{}, "")
	if fx := c.Step(core.DataReceived{StreamID: 1, Values: []amf0.Value{"onTextData"}}); fx != nil {
		t.Fatalf("data on a stream that publishes nothing did %v", fx)
	}
	publish(t, c, reg, 2, 1)
	st := reg.Stream(cam)
	id := relay.ConnClient(1, 1)
	if _, _, _, ok := c.Media(core.AudioVideoDataReceived{Media: &core.Media{StreamID: 2, Kind: core.KindVideo}}); ok {
		t.Fatal("media on another stream was relayed")
	}
	s, from, m, ok := c.Media(core.AudioVideoDataReceived{Media: &core.Media{StreamID: 1, Kind: core.KindVideo, Timestamp: 40, Data: []byte{0x17, 1}}})
	if !ok || s != st || from != id || m.Kind != relay.Video || m.Timestamp != 40 {
		t.Fatalf("media: %v %v %+v %v", s, from, m, ok)
	}
	text, _ := amf0.Append(nil, "onTextData", amf0.Object{{Key: "text", Value: "hi"}})
	want := []relay.Effect{relay.Forward{Stream: st, ID: id, Media: relay.Media{Kind: relay.Data, Timestamp: 50, Payload: text}}}
	if diff := cmp.Diff(want, c.Step(core.DataReceived{StreamID: 1, Timestamp: 50, Values: []amf0.Value{"onTextData", amf0.Object{{Key: "text", Value: "hi"}}}}), sameStream); diff != "" {
		t.Fatal(diff)
	}
	meta, _ := amf0.Append(nil, "onMetaData", amf0.ECMAArray{{Key: "width", Value: 320.0}})
	want = []relay.Effect{relay.Forward{Stream: st, ID: id, Media: relay.Media{Kind: relay.Metadata, Timestamp: 40, Payload: meta}}}
	if diff := cmp.Diff(want, c.Step(core.StreamMetaDataChanged{StreamID: 1, MetaData: amf0.ECMAArray{{Key: "width", Value: 320.0}}}), sameStream); diff != "" {
		t.Fatal(diff)
	}
	var f relay.Fanout
	st.Media(want[0].(relay.Forward).Media, &f)
	clear := c.Step(core.StreamMetaDataCleared{StreamID: 1})
	if diff := cmp.Diff([]relay.Effect{relay.ClearMetadata{Stream: st, ID: id}}, clear, sameStream); diff != "" {
		t.Fatal(diff)
	}
	c.Apply(st, clear[0])
	fx, _ := st.Play(9)
	if len(fx) != 0 {
		t.Fatalf("a player after the metadata was cleared got %v", fx)
	}
}
