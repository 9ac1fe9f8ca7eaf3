package clientconn_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/client"
)

// A client that asks for objectEncoding 3, back to back with a server:
// after the connect, each side sends every command and data message in
// AMF3 (types 17 and 15), and each reads the other's as it would AMF0 —
// the publish, the published metadata, the play and the metadata played.
func TestBackToBackAMF3(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		p := newPair(rt, false)
		p.step(client.Connect{App: "live", TCURL: "rtmp://127.0.0.1/live", ObjectEncoding: 3})
		p.await(func(e client.Effect) bool { _, ok := e.(client.Connected); return ok })
		p.step(client.CreateStream{Request: 1})
		p.step(client.CreateStream{Request: 2})
		p.pump()
		var ids []uint32
		for _, e := range p.cliFx {
			if sc, ok := e.(client.StreamCreated); ok {
				ids = append(ids, sc.StreamID)
			}
		}
		if len(ids) != 2 {
			rt.Fatalf("streams created: %v", ids)
		}
		p.step(client.Publish{StreamID: ids[0], Name: "cam"})
		p.await(func(e client.Effect) bool { _, ok := e.(client.PublishStarted); return ok })
		meta := amf0.ECMAArray{
			{Key: "width", Value: float64(rapid.IntRange(16, 4096).Draw(rt, "width"))},
			{Key: "framerate", Value: rapid.SampledFrom([]float64{25, 29.97, 59.94}).Draw(rt, "fps")},
			{Key: "encoder", Value: rapid.StringMatching(`[A-Za-z0-9 .]{0,20}`).Draw(rt, "encoder")},
			{Key: "stereo", Value: rapid.Bool().Draw(rt, "stereo")},
		}
		p.step(client.SendMetaData{StreamID: ids[0], MetaData: meta})
		p.step(client.Play{StreamID: ids[1], Name: "cam", Start: -1})
		p.await(func(e client.Effect) bool { _, ok := e.(client.PlayStarted); return ok })

		var published amf0.ECMAArray
		var playID uint32
		for _, e := range p.srvFx {
			switch e := e.(type) {
			case core.PublishStreamRequested:
				if e.StreamKey != "cam" {
					rt.Fatalf("published key %q", e.StreamKey)
				}
			case core.StreamMetaDataChanged:
				published = e.MetaData
			case core.PlayStreamStarted:
				playID = e.StreamID
			}
		}
		if diff := cmp.Diff(meta, published); diff != "" {
			rt.Fatalf("the server read the metadata (-sent +read):\n%s", diff)
		}
		p.server(p.srv.Step(core.SendMessage{StreamID: playID, Body: message.Data{Values: []amf0.Value{"onMetaData", meta}}}))
		got := p.await(func(e client.Effect) bool { _, ok := e.(client.MetaDataReceived); return ok })
		if diff := cmp.Diff(meta, got.(client.MetaDataReceived).MetaData); diff != "" {
			rt.Fatalf("the client read the metadata (-sent +read):\n%s", diff)
		}

		// On the wire: AMF3 both ways after the connect, which is AMF0 both
		// ways.
		for _, e := range p.cliFx {
			if s, ok := e.(client.Send); ok {
				checkEncoding(rt, "client", s.Message.Body)
			}
		}
		for _, e := range p.srvFx {
			if s, ok := e.(core.Send); ok {
				checkEncoding(rt, "server", s.Message.Body)
			}
		}
	})
}

// checkEncoding fails unless a command or data message is AMF3, the
// connect and its answer (transaction id 1) excepted, which are AMF0.
func checkEncoding(t *rapid.T, side string, b message.Body) {
	switch b := b.(type) {
	case message.Command:
		connect := b.Name == "connect" || (b.TransactionID == 1 && b.Name == "_result")
		// onBWDone goes out with Stream Begin, before the connect.
		if b.Name != "onBWDone" && b.AMF3 == connect {
			t.Fatalf("%s sent %s (txid %v) with AMF3 %v", side, b.Name, b.TransactionID, b.AMF3)
		}
	case message.Data:
		if !b.AMF3 {
			t.Fatalf("%s sent data %v in AMF0", side, b.Values)
		}
	}
}
