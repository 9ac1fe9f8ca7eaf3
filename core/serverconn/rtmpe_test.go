package serverconn_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/serverconn"
	"pgregory.net/rapid"
)

// An RTMPE client: the connection answers its handshake in kind, hands out
// the stream that encrypts what it sends after S0+S1+S2 in an OutputCipher
// effect (once, from the first byte after that answer), and decrypts what
// the client sends after C2, in the same read as C2 and later, into the
// session (here, connect), leaving the caller's bytes as they were. A
// connection that does not accept RTMPE fails the handshake.
func TestRTMPE(t *testing.T) {
	client := handshake.NewClient(handshake.ClientConfig{Encryption: true, Random: []byte("client")})
	conn := serverconn.New(serverconn.Config{Handshake: handshake.ServerConfig{Encryption: true, Random: []byte("server")}})
	var ciphers []serverconn.OutputCipher
	collect := func(fx []core.Effect) []core.Effect {
		for _, e := range fx {
			if oc, ok := e.(serverconn.OutputCipher); ok {
				ciphers = append(ciphers, oc)
			}
		}
		return fx
	}
	collect(conn.Feed(client.Hello()))
	reply := conn.TakeOutput(nil)
	if len(reply) != serverconn.HandshakeReplyLen || reply[0] != handshake.VersionEncrypted || len(ciphers) != 1 {
		t.Fatalf("answer of %d bytes, S0 %d, output ciphers %v", len(reply), reply[0], ciphers)
	}
	if ciphers[0].From != serverconn.HandshakeReplyLen || ciphers[0].Cipher == nil {
		t.Fatalf("output cipher from byte %d (%v), want from %d", ciphers[0].From, ciphers[0].Cipher, serverconn.HandshakeReplyLen)
	}
	out, err := client.Feed(reply)
	if err != nil || out.State != handshake.Done {
		t.Fatalf("client: %v, %v", out.State, err)
	}
	cc, _ := client.Ciphers()

	var enc chunk.Encoder
	var stream []byte
	for _, m := range []message.Message{
		{Body: message.SetChunkSize{Size: 4096}},
		{Body: message.Command{Name: "connect", TransactionID: 1, Object: amf0.Object{{Key: "app", Value: "live"}, {Key: "tcUrl", Value: "rtmpe://h/live"}}}},
	} {
		raw, _ := message.Encode(m)
		stream, _ = enc.Append(stream, message.ChunkStreamID(m.Body, m.StreamID), raw)
	}
	sealed := bytes.Clone(stream)
	cc.Out.XORKeyStream(sealed, sealed)
	// C2 with the first half of the chunk stream, then the rest.
	first := append(bytes.Clone(out.Send), sealed[:len(sealed)/2]...)
	kept := bytes.Clone(first)
	fx := append(collect(conn.Feed(first)), collect(conn.Feed(sealed[len(sealed)/2:]))...)
	if len(ciphers) != 1 {
		t.Errorf("%d output ciphers, want the one of the handshake", len(ciphers))
	}
	if !bytes.Equal(first, kept) {
		t.Error("Feed changed the caller's bytes")
	}
	connected := false
	for _, e := range fx {
		switch e := e.(type) {
		case core.ConnectionRequested:
			connected = e.App == "live"
		case core.Disconnect:
			t.Fatalf("disconnected: %v", e.Err)
		}
	}
	if !connected {
		t.Errorf("no connect to live among %v", fx)
	}

	plain := serverconn.New(serverconn.Config{})
	refused := plain.Feed(handshake.NewClient(handshake.ClientConfig{Encryption: true, Random: []byte("c")}).Hello())
	if plain.State() != serverconn.Closed || slices.ContainsFunc(refused, isOutputCipher) {
		t.Errorf("a connection without RTMPE: state %v, effects %v", plain.State(), refused)
	}
}

func isOutputCipher(e core.Effect) bool {
	_, ok := e.(serverconn.OutputCipher)
	return ok
}

// TestOutputCipherOnceAtTheEndOfTheAnswer feeds a client's handshake and
// first messages cut at random points, with and without RTMPE: an RTMPE
// connection returns exactly one OutputCipher, from byte
// HandshakeReplyLen, first among the effects of the Feed whose output
// completed S0+S1+S2; a plain one returns none.
func TestOutputCipherOnceAtTheEndOfTheAnswer(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		encrypted := rapid.Bool().Draw(rt, "encrypted")
		client := handshake.NewClient(handshake.ClientConfig{Encryption: encrypted, Random: []byte("client")})
		conn := serverconn.New(serverconn.Config{Handshake: handshake.ServerConfig{Encryption: true, Random: []byte("server")}})

		var ciphers []serverconn.OutputCipher
		feed := func(p []byte) {
			before := conn.Produced()
			for i, e := range conn.Feed(p) {
				oc, ok := e.(serverconn.OutputCipher)
				if !ok {
					continue
				}
				ciphers = append(ciphers, oc)
				if i != 0 || before >= serverconn.HandshakeReplyLen || conn.Produced() < serverconn.HandshakeReplyLen {
					rt.Fatalf("OutputCipher as effect %d of a Feed that took the output from %d to %d bytes", i, before, conn.Produced())
				}
			}
		}
		feedCut := func(b []byte) {
			for len(b) > 0 {
				n := rapid.IntRange(1, len(b)).Draw(rt, "piece")
				feed(b[:n])
				b = b[n:]
			}
		}
		feedCut(client.Hello())
		out, err := client.Feed(conn.TakeOutput(nil))
		if err != nil || out.State != handshake.Done {
			rt.Fatalf("client handshake: %v, %v", out.State, err)
		}
		raw, _ := message.Encode(message.Message{Body: message.Command{Name: "connect", TransactionID: 1, Object: amf0.Object{{Key: "app", Value: "live"}}}})
		var enc chunk.Encoder
		stream, _ := enc.Append(nil, 3, raw)
		if cc, ok := client.Ciphers(); ok {
			cc.Out.XORKeyStream(stream, stream)
		}
		feedCut(append(bytes.Clone(out.Send), stream...))
		if conn.State() != serverconn.Open {
			rt.Fatalf("connection %v after the connect: %v", conn.State(), conn.Err())
		}

		switch {
		case !encrypted && len(ciphers) != 0:
			rt.Fatalf("a plain handshake returned %d output ciphers", len(ciphers))
		case encrypted && len(ciphers) != 1:
			rt.Fatalf("an RTMPE handshake returned %d output ciphers, want 1", len(ciphers))
		case encrypted && (ciphers[0].From != serverconn.HandshakeReplyLen || ciphers[0].Cipher == nil):
			rt.Fatalf("output cipher from byte %d (%v), want a cipher from %d", ciphers[0].From, ciphers[0].Cipher, serverconn.HandshakeReplyLen)
		}
	})
}
