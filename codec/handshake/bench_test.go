package handshake_test

import (
	"testing"

	"github.com/gortmp/rtmp/codec/handshake"
)

// BenchmarkServerHandshake measures one whole server handshake: making the
// Server, reading C0+C1, writing S0+S1+S2 and checking C2.
func BenchmarkServerHandshake(b *testing.B) {
	for _, form := range []handshake.Form{handshake.FormSimple, handshake.FormDigest} {
		b.Run(form.String(), func(b *testing.B) {
			cfg := handshake.ServerConfig{Epoch: 1, Random: []byte("bench")}
			client := handshake.NewClient(handshake.ClientConfig{Form: form, Random: []byte("c")})
			hello := client.Hello()
			s, err := handshake.NewServer(cfg).Feed(hello)
			if err != nil {
				b.Fatal(err)
			}
			c, err := client.Feed(s.Send)
			if err != nil {
				b.Fatal(err)
			}
			c2 := append([]byte(nil), c.Send...)
			b.SetBytes(int64(len(hello) + len(c2)))
			b.ReportAllocs()
			for b.Loop() {
				server := handshake.NewServer(cfg)
				if _, err := server.Feed(hello); err != nil {
					b.Fatal(err)
				}
				if out, err := server.Feed(c2); err != nil || out.State != handshake.Done {
					b.Fatal(out.State, err)
				}
			}
		})
	}
}
