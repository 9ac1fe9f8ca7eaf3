package handshake

import (
	"crypto/sha256"
	"math/rand/v2"
)

// randomSource expands the caller's Random bytes into as many bytes as a
// handshake needs. The same Random gives the same handshake, which keeps
// simulations reproducible; unpredictability comes only from the caller.
// It is held by value in the machine, saving an allocation.
type randomSource struct{ g rand.ChaCha8 }

func (r *randomSource) seed(seed []byte) { r.g.Seed(sha256.Sum256(seed)) }

// fill overwrites p with the next bytes of the stream.
func (r *randomSource) fill(p []byte) {
	_, _ = r.g.Read(p) // ChaCha8.Read never fails
}
