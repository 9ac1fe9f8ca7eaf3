package handshake_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/handshake"
)

const (
	c0c1Len   = 1 + handshake.PacketSize
	s0s1s2Len = 1 + 2*handshake.PacketSize
)

// serverUpToC2 runs a server through C0+C1 from a client of the given
// form and returns both, with the C2 the client would send.
func serverUpToC2(t *testing.T, form handshake.Form, lenient bool) (*handshake.Server, []byte) {
	t.Helper()
	server := handshake.NewServer(handshake.ServerConfig{Epoch: 7, Random: []byte("s"), Lenient: lenient})
	client := handshake.NewClient(handshake.ClientConfig{Form: form, Epoch: 9, Random: []byte("c")})
	s, err := server.Feed(client.Hello())
	if err != nil {
		t.Fatal(err)
	}
	c, err := client.Feed(s.Send)
	if err != nil || c.State != handshake.Done {
		t.Fatalf("client: state %v, err %v", c.State, err)
	}
	return server, append([]byte(nil), c.Send...)
}

// The seed never looked at C2. A C2 that neither echoes S1 nor carries the
// signature derived from S1's digest fails the handshake for good, unless
// the server is Lenient, which completes and reports it unverified.
func TestServerRejectsC2ThatDoesNotAnswerS1(t *testing.T) {
	flip := func(i int) func([]byte) { return func(c2 []byte) { c2[i] ^= 0x01 } }
	cases := []struct {
		name   string
		form   handshake.Form
		tamper func([]byte)
	}{
		{"simple, random echo changed", handshake.FormSimple, flip(700)},
		{"simple, last byte changed", handshake.FormSimple, flip(handshake.PacketSize - 1)},
		{"digest, signed part changed", handshake.FormDigest, flip(100)},
		{"digest, signature changed", handshake.FormDigest, flip(handshake.PacketSize - 1)},
		{"digest, all zero", handshake.FormDigest, func(c2 []byte) { clear(c2) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			server, c2 := serverUpToC2(t, c.form, false)
			c.tamper(c2)
			out, err := server.Feed(append(c2, 0x02))
			if !errors.Is(err, handshake.ErrC2Mismatch) || out.State != handshake.Failed || server.State() != handshake.Failed {
				t.Fatalf("Feed(bad C2) = state %v, err %v; want failed, ErrC2Mismatch", out.State, err)
			}
			if out.Rest != nil || out.Send != nil {
				t.Fatalf("failed Feed returned bytes: %+v", out)
			}
			// Terminal: later input is ignored and the error repeats.
			again, err := server.Feed([]byte{0x03, 0x00})
			if !errors.Is(err, handshake.ErrC2Mismatch) || again.State != handshake.Failed || again.Rest != nil {
				t.Fatalf("Feed after failure = %+v, %v", again, err)
			}
			if !errors.Is(server.Err(), handshake.ErrC2Mismatch) {
				t.Fatalf("Err() = %v", server.Err())
			}

			lenient, c2 := serverUpToC2(t, c.form, true)
			c.tamper(c2)
			out, err = lenient.Feed(append(c2, 0x02))
			if err != nil || out.State != handshake.Done || string(out.Rest) != "\x02" || lenient.Result().Verified {
				t.Fatalf("lenient Feed(bad C2) = %+v, %v, verified %v", out, err, lenient.Result().Verified)
			}
		})
	}
}

// A C2 that echoes S1's random part but writes its own time fields is
// accepted: GStreamer puts its read time in time2.
func TestServerAcceptsC2WithOwnTimes(t *testing.T) {
	for _, form := range []handshake.Form{handshake.FormSimple, handshake.FormDigest} {
		server := handshake.NewServer(handshake.ServerConfig{Random: []byte("s")})
		client := handshake.NewClient(handshake.ClientConfig{Form: handshake.FormSimple, Random: []byte("c")})
		if form == handshake.FormDigest {
			client = handshake.NewClient(handshake.ClientConfig{Form: form, Random: []byte("c")})
		}
		s, _ := server.Feed(client.Hello())
		c2 := append([]byte(nil), s.Send[1:c0c1Len]...) // an echo of S1, also for the digest form
		copy(c2, []byte{1, 2, 3, 4, 5, 6, 7, 8})
		out, err := server.Feed(c2)
		if err != nil || out.State != handshake.Done || !server.Result().Verified {
			t.Fatalf("%v: Feed(echo with own times) = %+v, %v", form, out, err)
		}
	}
}

// A client that sends the simple form (zero version field) gets the
// simple form back: S1 has a zero version field and S2 echoes C1.
func TestSimpleClientAnsweredInSimpleForm(t *testing.T) {
	for _, version := range [][4]byte{{0, 0, 0, 0}, {9, 0, 124, 2}} {
		// With a non-zero version but no valid digest the client gets the
		// simple form too, rather than a digest it could not have asked for.
		c0c1 := make([]byte, c0c1Len)
		c0c1[0] = handshake.Version
		copy(c0c1[1:], []byte{0, 0, 0x30, 0x39})
		copy(c0c1[5:], version[:])
		for i := 9; i < len(c0c1); i++ {
			c0c1[i] = byte(i * 7)
		}
		server := handshake.NewServer(handshake.ServerConfig{Epoch: 5, Random: []byte("s")})
		out, err := server.Feed(c0c1)
		if err != nil || len(out.Send) != s0s1s2Len {
			t.Fatalf("Feed(C0+C1) = %d bytes, %v", len(out.Send), err)
		}
		s0, s1, s2 := out.Send[0], out.Send[1:c0c1Len], out.Send[c0c1Len:]
		if s0 != handshake.Version || be32(s1) != 5 || string(s1[4:8]) != "\x00\x00\x00\x00" {
			t.Fatalf("S0 %d, S1 time %d, S1 version % x; want 3, 5, zero", s0, be32(s1), s1[4:8])
		}
		if diff := cmp.Diff(c0c1[1:], s2); diff != "" {
			t.Fatalf("S2 is not an echo of C1 (-C1 +S2):\n%s", diff)
		}
		r := server.Result()
		if r.Form != handshake.FormSimple || r.Scheme != 0 || r.PeerEpoch != 12345 || r.PeerVersion != version {
			t.Fatalf("result %+v", r)
		}
	}
}

// C0 and C1 split across reads: nothing is sent until the last byte of C1
// is in, then S0+S1+S2 exactly as if C0+C1 had come whole.
func TestServerAcceptsSplitC0C1(t *testing.T) {
	hello := handshake.NewClient(handshake.ClientConfig{Random: []byte("c")}).Hello()
	cfg := handshake.ServerConfig{Random: []byte("s")}
	whole, err := handshake.NewServer(cfg).Feed(hello)
	if err != nil {
		t.Fatal(err)
	}
	server := handshake.NewServer(cfg)
	for _, piece := range [][]byte{hello[:1], hello[1:2], hello[2:900], hello[900 : c0c1Len-1]} {
		out, err := server.Feed(piece)
		if err != nil || out.Send != nil || out.State != handshake.Waiting {
			t.Fatalf("Feed(%d bytes) = %+v, %v before C1 was complete", len(piece), out, err)
		}
	}
	out, err := server.Feed(hello[c0c1Len-1:])
	if err != nil || out.State != handshake.Waiting {
		t.Fatalf("Feed(last byte) = %v, %v", out.State, err)
	}
	if diff := cmp.Diff(whole.Send, out.Send); diff != "" {
		t.Fatalf("split vs whole S0+S1+S2 (-whole +split):\n%s", diff)
	}
}

// Clients write C2 and their first chunks together: the chunk bytes come
// back as Rest, a subslice of the input, and later input passes through.
func TestC2ArrivingWithFirstChunks(t *testing.T) {
	server, c2 := serverUpToC2(t, handshake.FormDigest, false)
	chunks := []byte{0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00}
	in := append(c2, chunks...)
	out, err := server.Feed(in)
	if err != nil || out.State != handshake.Done {
		t.Fatalf("Feed(C2+chunks) = %v, %v", out.State, err)
	}
	if diff := cmp.Diff(chunks, out.Rest); diff != "" {
		t.Fatalf("Rest (-want +got):\n%s", diff)
	}
	if &out.Rest[0] != &in[len(c2)] {
		t.Fatal("Rest is a copy, want a subslice of the input")
	}
	more := []byte{0x43, 0x00}
	out, err = server.Feed(more)
	if err != nil || out.State != handshake.Done || string(out.Rest) != string(more) || out.Send != nil {
		t.Fatalf("Feed after Done = %+v, %v", out, err)
	}
}

// A wrong version byte fails at once, on the first byte, with a
// VersionError naming it; the state is terminal.
func TestBadVersion(t *testing.T) {
	for _, v := range []byte{0, 6, 'G', 0xff} {
		server := handshake.NewServer(handshake.ServerConfig{})
		out, err := server.Feed([]byte{v})
		var verr handshake.VersionError
		if !errors.As(err, &verr) || verr.Got != v || out.State != handshake.Failed {
			t.Fatalf("server Feed(%#x) = %v, %v", v, out.State, err)
		}
		if _, err := server.Feed(handshake.NewClient(handshake.ClientConfig{}).Hello()); !errors.As(err, &verr) {
			t.Fatalf("server Feed after version error = %v", err)
		}

		client := handshake.NewClient(handshake.ClientConfig{})
		out, err = client.Feed(append([]byte{v}, make([]byte, 3000)...))
		if !errors.As(err, &verr) || verr.Got != v || out.State != handshake.Failed || out.Send != nil {
			t.Fatalf("client Feed(S0 %#x) = %+v, %v", v, out, err)
		}
	}
	if got := (handshake.VersionError{Got: 6}).Error(); got != "handshake: unsupported RTMP version 6 (want 3)" {
		t.Fatalf("Error() = %q", got)
	}
}

// A peer that stops short, or trickles one byte at a time, keeps the
// machine Waiting; feeding it allocates nothing, so memory stays fixed.
func TestShortInputStaysWaitingWithoutGrowing(t *testing.T) {
	hello := handshake.NewClient(handshake.ClientConfig{Random: []byte("c")}).Hello()
	server := handshake.NewServer(handshake.ServerConfig{})
	out, err := server.Feed(hello[:c0c1Len-1])
	if err != nil || out.State != handshake.Waiting || out.Send != nil {
		t.Fatalf("Feed(short C0+C1) = %+v, %v", out, err)
	}
	for range 1000 {
		if out, err := server.Feed(nil); err != nil || out.State != handshake.Waiting {
			t.Fatalf("Feed(nil) = %+v, %v", out, err)
		}
	}
	if _, err := server.Feed(hello[c0c1Len-1:]); err != nil {
		t.Fatal(err)
	}
	one := []byte{0}
	allocs := testing.AllocsPerRun(500, func() {
		if out, err := server.Feed(one); err != nil || out.State != handshake.Waiting {
			t.Fatalf("Feed(one C2 byte) = %+v, %v", out, err)
		}
	})
	if allocs != 0 {
		t.Fatalf("Feed of one byte while waiting allocates %v times", allocs)
	}

	trickle := handshake.NewServer(handshake.ServerConfig{})
	i := 0
	allocs = testing.AllocsPerRun(1000, func() {
		trickle.Feed(hello[i : i+1])
		i++
	})
	if allocs != 0 || trickle.State() != handshake.Waiting {
		t.Fatalf("trickled C0+C1: %v allocations per byte, state %v", allocs, trickle.State())
	}
}

// The client checks S2 the same way: an S2 that neither echoes C1 nor
// carries the signature derived from C1's digest fails, or with Lenient
// completes unverified.
func TestClientRejectsS2ThatDoesNotAnswerC1(t *testing.T) {
	for _, form := range []handshake.Form{handshake.FormSimple, handshake.FormDigest} {
		for _, lenient := range []bool{false, true} {
			client := handshake.NewClient(handshake.ClientConfig{Form: form, Random: []byte("c"), Lenient: lenient})
			s, _ := handshake.NewServer(handshake.ServerConfig{Random: []byte("s")}).Feed(client.Hello())
			bad := append([]byte(nil), s.Send...)
			bad[len(bad)-1] ^= 0x80
			out, err := client.Feed(bad)
			switch {
			case !lenient && (!errors.Is(err, handshake.ErrS2Mismatch) || out.State != handshake.Failed || out.Send != nil):
				t.Fatalf("%v: Feed(bad S2) = %+v, %v; want ErrS2Mismatch", form, out, err)
			case lenient && (err != nil || out.State != handshake.Done || client.Result().Verified):
				t.Fatalf("%v lenient: Feed(bad S2) = %v, %v, verified %v", form, out.State, err, client.Result().Verified)
			}
		}
	}
}

// A digest-form client whose server answers in the simple form (as FFmpeg
// in listen mode does) follows it: C2 echoes S1.
func TestDigestClientFollowsSimpleServer(t *testing.T) {
	client := handshake.NewClient(handshake.ClientConfig{Random: []byte("c")})
	reply := make([]byte, s0s1s2Len)
	reply[0] = handshake.Version
	copy(reply[1:], []byte{0, 0, 1, 0})
	for i := 9; i < c0c1Len; i++ {
		reply[i] = byte(i)
	}
	copy(reply[c0c1Len:], client.Hello()[1:])
	out, err := client.Feed(reply)
	if err != nil || out.State != handshake.Done {
		t.Fatalf("Feed(simple S0+S1+S2) = %v, %v", out.State, err)
	}
	if diff := cmp.Diff(reply[1:c0c1Len], out.Send); diff != "" {
		t.Fatalf("C2 is not an echo of S1 (-S1 +C2):\n%s", diff)
	}
	if r := client.Result(); r.Form != handshake.FormSimple || r.PeerEpoch != 256 || !r.Verified {
		t.Fatalf("result %+v", r)
	}
}
