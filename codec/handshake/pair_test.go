package handshake_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/handshake"
	"pgregory.net/rapid"
)

// Our client against our server, in both forms and both digest schemes,
// over random epochs, seeds and version bytes, with every stream cut into
// random reads (one byte at a time among them) and chunk bytes following
// the handshake on both sides.
func TestClientAgainstServer(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		scfg := handshake.ServerConfig{
			Epoch:  rapid.Uint32().Draw(t, "serverEpoch"),
			Random: rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "serverRandom"),
		}
		ccfg := handshake.ClientConfig{
			Form:   rapid.SampledFrom([]handshake.Form{handshake.FormSimple, handshake.FormDigest}).Draw(t, "form"),
			Scheme: rapid.SampledFrom([]handshake.Scheme{handshake.Scheme1, handshake.Scheme2}).Draw(t, "scheme"),
			Epoch:  rapid.Uint32().Draw(t, "clientEpoch"),
			Random: rapid.SliceOfN(rapid.Byte(), 0, 40).Draw(t, "clientRandom"),
		}
		if rapid.Bool().Draw(t, "customVersions") {
			copy(scfg.Version[:], rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "serverVersion"))
			copy(ccfg.Version[:], rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "clientVersion"))
		}
		clientChunks := rapid.SliceOfN(rapid.Byte(), 0, 300).Draw(t, "clientChunks")
		serverChunks := rapid.SliceOfN(rapid.Byte(), 0, 300).Draw(t, "serverChunks")

		server := handshake.NewServer(scfg)
		client := handshake.NewClient(ccfg)

		s1 := feed(server, client.Hello(), splits(t, "c0c1"))
		if s1.Err != nil || len(s1.Sent) != 1+2*handshake.PacketSize || s1.State != handshake.Waiting {
			t.Fatalf("server after C0+C1: %d bytes to send, state %v, err %v", len(s1.Sent), s1.State, s1.Err)
		}
		c2 := feed(client, concat(s1.Sent, serverChunks), splits(t, "s0s1s2"))
		if c2.Err != nil || c2.State != handshake.Done || len(c2.Sent) != handshake.PacketSize {
			t.Fatalf("client after S0+S1+S2: %d bytes to send, state %v, err %v", len(c2.Sent), c2.State, c2.Err)
		}
		if diff := cmp.Diff(serverChunks, c2.Rest, cmpBytes); diff != "" {
			t.Fatalf("client Rest (-want +got):\n%s", diff)
		}
		end := feed(server, concat(c2.Sent, clientChunks), splits(t, "c2"))
		if end.Err != nil || end.State != handshake.Done {
			t.Fatalf("server after C2: state %v, err %v", end.State, end.Err)
		}
		if diff := cmp.Diff(clientChunks, end.Rest, cmpBytes); diff != "" {
			t.Fatalf("server Rest (-want +got):\n%s", diff)
		}

		wantScheme := handshake.Scheme(0)
		if ccfg.Form == handshake.FormDigest {
			wantScheme = ccfg.Scheme
		}
		wantServer := handshake.Result{PeerEpoch: ccfg.Epoch, PeerVersion: [4]byte(client.Hello()[5:9]), Form: ccfg.Form, Scheme: wantScheme, Verified: true}
		if diff := cmp.Diff(wantServer, server.Result()); diff != "" {
			t.Fatalf("server result (-want +got):\n%s", diff)
		}
		wantClient := handshake.Result{PeerEpoch: scfg.Epoch, PeerVersion: [4]byte(s1.Sent[5:9]), Form: ccfg.Form, Scheme: wantScheme, Verified: true}
		if diff := cmp.Diff(wantClient, client.Result()); diff != "" {
			t.Fatalf("client result (-want +got):\n%s", diff)
		}
		if ccfg.Form == handshake.FormSimple {
			if v := s1.Sent[5:9]; string(v) != "\x00\x00\x00\x00" {
				t.Fatalf("simple-form S1 carries version bytes % x, want zero", v)
			}
		}
	})
}

// The same config gives the same bytes, however the input is cut: the
// handshake is a pure function of its config and input.
func TestServerDeterministic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg := handshake.ServerConfig{Epoch: rapid.Uint32().Draw(t, "epoch"), Random: rapid.SliceOf(rapid.Byte()).Draw(t, "random")}
		hello := handshake.NewClient(handshake.ClientConfig{
			Form:   rapid.SampledFrom([]handshake.Form{handshake.FormSimple, handshake.FormDigest}).Draw(t, "form"),
			Random: rapid.SliceOf(rapid.Byte()).Draw(t, "clientRandom"),
		}).Hello()
		whole := feed(handshake.NewServer(cfg), hello, nil)
		cut := feed(handshake.NewServer(cfg), hello, splits(t, "cut"))
		if diff := cmp.Diff(whole, cut, cmpFed); diff != "" {
			t.Fatalf("whole vs cut (-whole +cut):\n%s", diff)
		}
	})
}

// cmpBytes treats nil and empty byte slices as equal.
var cmpBytes = cmp.Comparer(func(a, b []byte) bool { return string(a) == string(b) })

// cmpFed compares fed values, errors by identity.
var cmpFed = cmp.Options{cmpBytes, cmp.Comparer(func(a, b error) bool { return a == b })}
