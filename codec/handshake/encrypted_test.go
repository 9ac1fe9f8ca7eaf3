package handshake_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/gortmp/rtmp/codec/handshake"
	"pgregory.net/rapid"
)

// Our RTMPE client against our RTMPE server, in both schemes, over random
// seeds and reads: both finish with S0 and C0 of 6, and what one side
// encrypts with its Out the other decrypts with its In, both ways, the
// chunk bytes that follow the handshake in the same read included.
func TestEncryptedClientAgainstServer(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		server := handshake.NewServer(handshake.ServerConfig{
			Random: rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "serverRandom"), Encryption: true,
		})
		client := handshake.NewClient(handshake.ClientConfig{
			Scheme:     rapid.SampledFrom([]handshake.Scheme{handshake.Scheme1, handshake.Scheme2}).Draw(t, "scheme"),
			Random:     rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "clientRandom"),
			Encryption: true,
		})
		if client.Hello()[0] != handshake.VersionEncrypted {
			t.Fatalf("C0 %d, want %d", client.Hello()[0], handshake.VersionEncrypted)
		}
		up := rapid.SliceOfN(rapid.Byte(), 1, 300).Draw(t, "client sends")
		down := rapid.SliceOfN(rapid.Byte(), 1, 300).Draw(t, "server sends")

		s := feed(server, client.Hello(), splits(t, "c0c1"))
		if s.Err != nil || len(s.Sent) == 0 || s.Sent[0] != handshake.VersionEncrypted {
			t.Fatalf("server after C0+C1: err %v, S0 %v", s.Err, s.Sent[:min(1, len(s.Sent))])
		}
		sc, ok := server.Ciphers()
		if !ok {
			t.Fatal("server has no ciphers after answering an RTMPE C1")
		}
		sealedDown := bytes.Clone(down)
		sc.Out.XORKeyStream(sealedDown, sealedDown)
		c := feed(client, concat(s.Sent, sealedDown), splits(t, "s0s1s2"))
		if c.Err != nil || c.State != handshake.Done || !client.Result().Encrypted {
			t.Fatalf("client: state %v, err %v, encrypted %v", c.State, c.Err, client.Result().Encrypted)
		}
		cc, _ := client.Ciphers()
		gotDown := bytes.Clone(c.Rest)
		cc.In.XORKeyStream(gotDown, gotDown)
		if !bytes.Equal(gotDown, down) {
			t.Fatalf("client decrypted %x, want %x", gotDown, down)
		}
		sealedUp := bytes.Clone(up)
		cc.Out.XORKeyStream(sealedUp, sealedUp)
		end := feed(server, concat(c.Sent, sealedUp), splits(t, "c2"))
		if end.Err != nil || end.State != handshake.Done || !server.Result().Encrypted || !server.Result().Verified {
			t.Fatalf("server after C2: state %v, err %v, result %+v", end.State, end.Err, server.Result())
		}
		gotUp := bytes.Clone(end.Rest)
		sc.In.XORKeyStream(gotUp, gotUp)
		if !bytes.Equal(gotUp, up) {
			t.Fatalf("server decrypted %x, want %x", gotUp, up)
		}
	})
}

// A server that does not accept RTMPE fails its C0 with a VersionError; one
// that does fails an RTMPE C1 without a digest, and a public key out of
// range; a plain client against it gets a plain handshake.
func TestEncryptedRefusals(t *testing.T) {
	hello := handshake.NewClient(handshake.ClientConfig{Encryption: true, Random: []byte("c")}).Hello()
	_, err := handshake.NewServer(handshake.ServerConfig{}).Feed(hello)
	var ve handshake.VersionError
	if !errors.As(err, &ve) || ve.Got != handshake.VersionEncrypted {
		t.Errorf("plain server: %v, want a VersionError for 6", err)
	}

	simple := bytes.Clone(handshake.NewClient(handshake.ClientConfig{Form: handshake.FormSimple, Random: []byte("c")}).Hello())
	simple[0] = handshake.VersionEncrypted
	if _, err := handshake.NewServer(handshake.ServerConfig{Encryption: true}).Feed(simple); !errors.Is(err, handshake.ErrEncryptedSimple) {
		t.Errorf("RTMPE without a digest: %v, want ErrEncryptedSimple", err)
	}

	plain := handshake.NewClient(handshake.ClientConfig{Random: []byte("c")})
	server := handshake.NewServer(handshake.ServerConfig{Encryption: true})
	out, err := server.Feed(plain.Hello())
	if err != nil || out.Send[0] != handshake.Version {
		t.Errorf("plain client: err %v, S0 %d", err, out.Send[0])
	}
	if _, ok := server.Ciphers(); ok {
		t.Error("ciphers for a plain handshake")
	}
}
