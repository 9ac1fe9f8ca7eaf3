package handshake_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/handshake"
	"pgregory.net/rapid"
)

// captureConfig is the server config the captures were recorded with (see
// testdata/captures/README.md), made strict: every recorded C2 must pass.
var captureConfig = handshake.ServerConfig{Random: []byte("testdata/captures")}

// capture is one recorded connection of a real client.
type capture struct {
	name   string
	form   handshake.Form
	scheme handshake.Scheme
	// signed says C2 carried a signature rather than an echo of S1.
	signed bool
}

var captures = []capture{
	{"ffmpeg-publish", handshake.FormDigest, handshake.Scheme1, false},
	{"ffmpeg-play", handshake.FormDigest, handshake.Scheme1, true},
	{"rtmpdump-play", handshake.FormSimple, 0, false},
	{"rtmpdump-fp9-play", handshake.FormDigest, handshake.Scheme1, true},
	{"gstreamer-publish", handshake.FormSimple, 0, false},
}

func readCapture(t testing.TB, name string) (c2s, s2c []byte) {
	t.Helper()
	dir := filepath.Join("..", "..", "testdata", "captures")
	c2s, err := os.ReadFile(filepath.Join(dir, name+".c2s.bin"))
	if err != nil {
		t.Fatal(err)
	}
	s2c, err = os.ReadFile(filepath.Join(dir, name+".s2c.bin"))
	if err != nil {
		t.Fatal(err)
	}
	return c2s, s2c
}

// Our server accepts each real client's C0+C1, answers with exactly the
// S0+S1+S2 that client accepted when it was recorded, validates the
// client's real C2 against that S1, and hands back the client's first
// chunks untouched — whole, one byte at a time, and in random reads.
func TestServerAgainstCapturedClients(t *testing.T) {
	for _, c := range captures {
		t.Run(c.name, func(t *testing.T) {
			c2s, s2c := readCapture(t, c.name)
			check := func(t interface{ Fatalf(string, ...any) }, sizes []int) {
				server := handshake.NewServer(captureConfig)
				got := feed(server, c2s, sizes)
				want := fed{Sent: s2c, Rest: c2s[1+2*handshake.PacketSize:], State: handshake.Done}
				if diff := cmp.Diff(want, got, cmpFed); diff != "" {
					t.Fatalf("(-want +got):\n%s", diff)
				}
				r := server.Result()
				if r.Form != c.form || r.Scheme != c.scheme || !r.Verified {
					t.Fatalf("result %+v, want form %v, scheme %v, verified", r, c.form, c.scheme)
				}
				if r.PeerEpoch != be32(c2s[1:]) {
					t.Fatalf("peer epoch %d, want C1's time %d", r.PeerEpoch, be32(c2s[1:]))
				}
			}
			check(t, nil)
			check(t, []int{1})
			rapid.Check(t, func(t *rapid.T) { check(t, splits(t, "reads")) })
		})
	}
}

// Each capture's C2 is what the README says it is: an echo of S1 or a
// signature. A server that only accepted echoes would fail FFmpeg's and
// librtmp's players.
func TestCapturedC2Kinds(t *testing.T) {
	for _, c := range captures {
		c2s, s2c := readCapture(t, c.name)
		c2 := c2s[1+handshake.PacketSize : 1+2*handshake.PacketSize]
		s1 := s2c[1 : 1+handshake.PacketSize]
		if echo := string(c2[8:]) == string(s1[8:]); echo == c.signed {
			t.Errorf("%s: C2 echoes S1 = %v, want %v", c.name, echo, !c.signed)
		}
	}
}

// The first chunks after C2 are really there: every capture continues with
// a chunk on chunk stream 2 or 3 (Set Chunk Size or connect).
func TestCapturesContinueWithChunks(t *testing.T) {
	for _, c := range captures {
		c2s, _ := readCapture(t, c.name)
		rest := c2s[1+2*handshake.PacketSize:]
		if len(rest) == 0 || rest[0]&0x3f != 2 && rest[0]&0x3f != 3 {
			t.Errorf("%s: %d bytes after C2, first % x", c.name, len(rest), rest[:min(len(rest), 4)])
		}
	}
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// Our client against a real server: nginx with its RTMP module answered
// our C0+C1 in both forms. Replaying its bytes, our client must send the
// C2 it sent then, and accept nginx's S1 digest and S2 signature.
func TestClientAgainstCapturedServer(t *testing.T) {
	for _, form := range []handshake.Form{handshake.FormDigest, handshake.FormSimple} {
		t.Run(form.String(), func(t *testing.T) {
			c2s, s2c := readCapture(t, "nginx-rtmp-"+form.String())
			cfg := handshake.ClientConfig{Form: form, Random: []byte("testdata/captures client")}
			check := func(t interface{ Fatalf(string, ...any) }, sizes []int) {
				client := handshake.NewClient(cfg)
				if diff := cmp.Diff(c2s[:c0c1Len], client.Hello()); diff != "" {
					t.Fatalf("Hello differs from the recorded C0+C1 (-recorded +now):\n%s", diff)
				}
				got := feed(client, s2c, sizes)
				want := fed{Sent: c2s[c0c1Len:], State: handshake.Done}
				if diff := cmp.Diff(want, got, cmpFed); diff != "" {
					t.Fatalf("(-want +got):\n%s", diff)
				}
				r := client.Result()
				if r.Form != form || !r.Verified || r.PeerEpoch != be32(s2c[1:]) {
					t.Fatalf("result %+v, want form %v, verified, epoch %d", r, form, be32(s2c[1:]))
				}
			}
			check(t, nil)
			check(t, []int{1})
			rapid.Check(t, func(t *rapid.T) { check(t, splits(t, "reads")) })
		})
	}
}
