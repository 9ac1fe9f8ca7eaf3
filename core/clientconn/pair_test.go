package clientconn_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/clientconn"
	"github.com/gortmp/rtmp/core/serverconn"
)

// pair is a client connection and a server connection wired back to back:
// the bytes of one are fed to the other in pieces a rapid draw picks, and
// time moves on by random steps. The server accepts every request.
type pair struct {
	t   *rapid.T
	cli *clientconn.Conn
	srv *serverconn.Conn
	now time.Duration
	// cliFx and srvFx are every effect each side returned, in order.
	cliFx []client.Effect
	srvFx []core.Effect
	// seal is the server's output cipher once it handed one over.
	seal *serverconn.OutputCipher
}

func newPair(t *rapid.T, encrypted bool) *pair {
	return &pair{
		t: t,
		cli: clientconn.New(clientconn.Config{
			Handshake:   handshake.ClientConfig{Random: []byte("pair client"), Encryption: encrypted},
			ReportEvery: rapid.IntRange(1, 8192).Draw(t, "clientReportEvery"),
		}),
		srv: serverconn.New(serverconn.Config{
			Handshake: handshake.ServerConfig{Random: []byte("pair server"), Encryption: true},
			Session:   core.Config{ChunkSize: uint32(rapid.IntRange(128, 8192).Draw(t, "serverChunkSize"))},
		}),
	}
}

// step applies a client input.
func (p *pair) step(in client.Input) { p.client(p.cli.Step(in)) }

func (p *pair) client(fx []client.Effect) {
	for _, e := range fx {
		if ce, ok := e.(client.CallerError); ok {
			p.t.Fatalf("client caller error: %v", ce.Err)
		}
		if d, ok := e.(client.Disconnect); ok && d.Err != nil {
			p.t.Fatalf("client disconnected: %v", d.Err)
		}
	}
	p.cliFx = append(p.cliFx, fx...)
}

func (p *pair) server(fx []core.Effect) {
	for len(fx) > 0 {
		e := fx[0]
		fx = fx[1:]
		p.srvFx = append(p.srvFx, e)
		var id core.RequestID
		switch e := e.(type) {
		case core.ConnectionRequested:
			id = e.Request
		case core.PublishStreamRequested:
			id = e.Request
		case core.PlayStreamRequested:
			id = e.Request
		case serverconn.OutputCipher:
			p.seal = &e
		case core.Disconnect:
			if e.Err != nil {
				p.t.Fatalf("server disconnected: %v", e.Err)
			}
			continue
		default:
			continue
		}
		fx = append(fx, p.srv.Step(core.Accept{Request: id})...)
	}
}

// pump moves bytes both ways, in drawn pieces, with a tick between rounds,
// until neither side has output pending; the rounds are bounded.
func (p *pair) pump() {
	for round := 0; round < 10_000; round++ {
		toServer, toClient := p.cli.Pending(), p.srv.Pending()
		if len(toServer) == 0 && len(toClient) == 0 {
			return
		}
		if len(toServer) > 0 {
			n := rapid.IntRange(1, len(toServer)).Draw(p.t, "toServer")
			// The serverconn may keep no reference into what it is fed,
			// but the client's buffer changes on its next call: copy.
			piece := bytes.Clone(toServer[:n])
			p.cli.Advance(n)
			p.server(p.srv.Feed(piece))
		}
		if len(toClient) > 0 {
			n := rapid.IntRange(1, len(toClient)).Draw(p.t, "toClient")
			piece := bytes.Clone(toClient[:n])
			p.srv.Advance(n)
			if p.seal != nil {
				// serverconn leaves its output after S0+S1+S2 to its
				// caller to encrypt.
				start := p.srv.Sent() - uint64(n)
				k := min(p.seal.From-min(start, p.seal.From), uint64(n))
				p.seal.Cipher.XORKeyStream(piece[k:], piece[k:])
			}
			p.client(p.cli.Feed(piece))
		}
		p.now += time.Duration(rapid.IntRange(0, 200).Draw(p.t, "ms")) * time.Millisecond
		p.client(p.cli.Tick(p.now))
		p.server(p.srv.Step(core.Tick{Now: p.now}))
	}
	p.t.Fatalf("bytes still flowing after 10000 rounds")
}

// await pumps until the client raised an effect that ok accepts.
func (p *pair) await(ok func(client.Effect) bool) client.Effect {
	p.pump()
	for _, e := range p.cliFx {
		if ok(e) {
			return e
		}
	}
	p.t.Fatalf("the client never got there; its effects: %v", p.cliFx)
	return nil
}

// open connects and creates a stream, and returns the stream's id.
func (p *pair) open() uint32 {
	p.step(client.Connect{App: "live", TCURL: "rtmp://127.0.0.1/live"})
	p.await(func(e client.Effect) bool { _, ok := e.(client.Connected); return ok })
	p.step(client.CreateStream{Request: 1})
	e := p.await(func(e client.Effect) bool { _, ok := e.(client.StreamCreated); return ok })
	return e.(client.StreamCreated).StreamID
}

// media is one audio or video message as both ends see it.
type media struct {
	Video     bool
	Timestamp uint32
	Data      []byte
}

func drawMedia(t *rapid.T) []media {
	n := rapid.IntRange(1, 30).Draw(t, "messages")
	out := make([]media, n)
	ts := uint32(0)
	for i := range out {
		ts += uint32(rapid.IntRange(0, 100).Draw(t, "dt"))
		video := rapid.Bool().Draw(t, "video")
		data := rapid.SliceOfN(rapid.Byte(), 1, 6000).Draw(t, "data")
		// The first byte says the codec: AVC and AAC, not sequence
		// headers, so the server passes them through as they are.
		if video {
			data[0] = 0x27
		} else {
			data[0] = 0xAF
		}
		out[i] = media{Video: video, Timestamp: ts, Data: data}
	}
	return out
}

func body(m media) message.Body {
	if m.Video {
		return message.Video{Payload: m.Data}
	}
	return message.Audio{Payload: m.Data}
}

// A client connection publishing to a server connection, back to back
// with the bytes cut anywhere and time moving: the handshake (plain or
// RTMPE), connect, createStream and publish complete, and every message
// the client publishes reaches the server's events identical and in order.
func TestBackToBackPublish(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		p := newPair(rt, rapid.Bool().Draw(rt, "rtmpe"))
		id := p.open()
		p.step(client.Publish{StreamID: id, Name: "cam"})
		p.await(func(e client.Effect) bool { _, ok := e.(client.PublishStarted); return ok })
		sent := drawMedia(rt)
		for _, m := range sent {
			p.step(client.SendMessage{StreamID: id, Timestamp: m.Timestamp, Body: body(m)})
			if rapid.IntRange(0, 3).Draw(rt, "pumpNow") == 0 {
				p.pump()
			}
		}
		p.pump()
		var got []media
		for _, e := range p.srvFx {
			if av, ok := e.(core.AudioVideoDataReceived); ok {
				got = append(got, media{Video: av.Kind == core.KindVideo, Timestamp: av.Timestamp, Data: av.Data})
			}
		}
		if diff := cmp.Diff(sent, got); diff != "" {
			rt.Fatalf("the server received (-sent +got):\n%s", diff)
		}
		p.step(client.Close{})
		if p.cli.State() != clientconn.Closed {
			rt.Fatalf("client %v after Close", p.cli.State())
		}
	})
}

// The same for play: every message the server sends to the playing stream
// reaches the client's events identical and in order.
func TestBackToBackPlay(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		p := newPair(rt, rapid.Bool().Draw(rt, "rtmpe"))
		id := p.open()
		p.step(client.Play{StreamID: id, Name: "cam", Start: -2})
		p.await(func(e client.Effect) bool { _, ok := e.(client.PlayStarted); return ok })
		var serverID uint32
		for _, e := range p.srvFx {
			if ps, ok := e.(core.PlayStreamStarted); ok {
				serverID = ps.StreamID
			}
		}
		sent := drawMedia(rt)
		for _, m := range sent {
			p.server(p.srv.Step(core.SendMessage{StreamID: serverID, Timestamp: m.Timestamp, ForceTimestamp: true, Body: body(m)}))
			if rapid.IntRange(0, 3).Draw(rt, "pumpNow") == 0 {
				p.pump()
			}
		}
		p.pump()
		var got []media
		for _, e := range p.cliFx {
			if mr, ok := e.(client.MediaReceived); ok {
				got = append(got, media{Video: mr.Kind == client.KindVideo, Timestamp: mr.Timestamp, Data: mr.Data})
			}
		}
		if diff := cmp.Diff(sent, got); diff != "" {
			rt.Fatalf("the client received (-sent +got):\n%s", diff)
		}
	})
}
