package serverconn_test

import (
	"bytes"
	"testing"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/serverconn"
)

// An RTMPE client: the connection answers its handshake in kind, hands out
// the stream that encrypts what it sends after S0+S1+S2, and decrypts what
// the client sends after C2, in the same read as C2 and later, into the
// session (here, connect), leaving the caller's bytes as they were. A
// connection that does not accept RTMPE fails the handshake.
func TestRTMPE(t *testing.T) {
	client := handshake.NewClient(handshake.ClientConfig{Encryption: true, Random: []byte("client")})
	conn := serverconn.New(serverconn.Config{Handshake: handshake.ServerConfig{Encryption: true, Random: []byte("server")}})
	conn.Feed(client.Hello())
	reply := conn.TakeOutput(nil)
	if len(reply) != serverconn.HandshakeReplyLen || reply[0] != handshake.VersionEncrypted || conn.OutputCipher() == nil {
		t.Fatalf("answer of %d bytes, S0 %d, output cipher %v", len(reply), reply[0], conn.OutputCipher())
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
	fx := append(conn.Feed(first), conn.Feed(sealed[len(sealed)/2:])...)
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
	plain.Feed(handshake.NewClient(handshake.ClientConfig{Encryption: true, Random: []byte("c")}).Hello())
	if plain.State() != serverconn.Closed || plain.OutputCipher() != nil {
		t.Errorf("a connection without RTMPE: state %v, cipher %v", plain.State(), plain.OutputCipher())
	}
}
