package handshake

import (
	"crypto/sha256"
	"math/rand/v2"
)

// randomSource expands the caller's Random bytes into as many bytes as a
// handshake needs. The same Random gives the same handshake, which keeps
// simulations reproducible; unpredictability comes only from the caller.
type randomSource struct{ g *rand.ChaCha8 }

func newRandomSource(seed []byte) randomSource {
	return randomSource{g: rand.NewChaCha8(sha256.Sum256(seed))}
}

// fill overwrites p with the next bytes of the stream.
func (r randomSource) fill(p []byte) {
	_, _ = r.g.Read(p) // ChaCha8.Read never fails
}
