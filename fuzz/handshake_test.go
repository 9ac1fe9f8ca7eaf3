package fuzz

import (
	"bytes"
	"testing"

	"github.com/gortmp/rtmp/codec/handshake"
)

// The configs the seed corpus was made with: the server's matches the one
// testdata/captures was recorded with, so the captured clients complete a
// strict handshake; the client's is answered by corpus entries made by our
// own server.
var (
	fuzzServerConfig = handshake.ServerConfig{Random: []byte("testdata/captures")}
	fuzzClientConfig = handshake.ClientConfig{Epoch: 1, Random: []byte("fuzz client")}
)

// FuzzHandshake feeds the input to a server (strict, and lenient with RTMPE) as client
// bytes and to a client as server bytes, once whole and once a byte at a
// time. Both runs must agree on the final state, the error, every byte
// handed back and, when nothing failed, every byte sent, and the error must be one this package
// defines; a completed handshake hands back exactly the bytes past the
// 3073 it consumed.
func FuzzHandshake(f *testing.F) {
	// An RTMPE hello, whose key exchange the lenient server runs.
	f.Add(handshake.NewClient(handshake.ClientConfig{Encryption: true, Random: []byte("fuzz rtmpe")}).Hello())
	f.Fuzz(func(t *testing.T, in []byte) {
		lenient := fuzzServerConfig
		lenient.Lenient = true
		lenient.Encryption = true // RTMPE: a C0 of 6 reaches the key exchange
		for _, cfg := range []handshake.ServerConfig{fuzzServerConfig, lenient} {
			checkHandshake(t, "server", in, func() handshakeMachine { return handshake.NewServer(cfg) }, 1+2*handshake.PacketSize)
		}
		checkHandshake(t, "client", in, func() handshakeMachine { return handshake.NewClient(fuzzClientConfig) }, handshake.PacketSize)
	})
}

type handshakeMachine interface {
	Feed([]byte) (handshake.Output, error)
}

type handshakeFed struct {
	sent, rest []byte
	state      handshake.State
	err        error
}

func feedHandshake(m handshakeMachine, in []byte, step int) handshakeFed {
	var r handshakeFed
	for len(in) > 0 {
		n := min(step, len(in))
		out, err := m.Feed(in[:n])
		in = in[n:]
		r.sent = append(r.sent, out.Send...)
		r.rest = append(r.rest, out.Rest...)
		r.state, r.err = out.State, err
		if err != nil {
			return r
		}
	}
	return r
}

func checkHandshake(t *testing.T, role string, in []byte, newMachine func() handshakeMachine, sendLen int) {
	whole := feedHandshake(newMachine(), in, len(in))
	bytewise := feedHandshake(newMachine(), in, 1)
	// A failing Feed sends nothing, so bytes produced earlier in that same
	// call are dropped: the sent bytes must agree only when nothing failed.
	if whole.err != bytewise.err || whole.state != bytewise.state ||
		whole.err == nil && !bytes.Equal(whole.sent, bytewise.sent) || !bytes.Equal(whole.rest, bytewise.rest) {
		t.Fatalf("%s: whole gives state %v err %v sent %d rest %d; byte by byte gives state %v err %v sent %d rest %d",
			role, whole.state, whole.err, len(whole.sent), len(whole.rest),
			bytewise.state, bytewise.err, len(bytewise.sent), len(bytewise.rest))
	}
	switch whole.err.(type) {
	case nil, handshake.VersionError:
	default:
		switch whole.err {
		case handshake.ErrC2Mismatch, handshake.ErrS2Mismatch, handshake.ErrEncryptedSimple, handshake.ErrDHKey:
		default:
			t.Fatalf("%s: unexpected error %v", role, whole.err)
		}
	}
	if (whole.err != nil) != (whole.state == handshake.Failed) {
		t.Fatalf("%s: error %v with state %v", role, whole.err, whole.state)
	}
	if len(whole.sent) != 0 && len(whole.sent) != sendLen {
		t.Fatalf("%s: sent %d bytes, want 0 or %d", role, len(whole.sent), sendLen)
	}
	const consumed = 1 + 2*handshake.PacketSize
	if whole.state == handshake.Done && !bytes.Equal(whole.rest, in[consumed:]) {
		t.Fatalf("%s: done with %d bytes of rest, want %d", role, len(whole.rest), len(in)-consumed)
	}
}
