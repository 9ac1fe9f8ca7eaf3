package handshake

import (
	"crypto/sha256"
	"hash"
)

// hmacSHA256 computes HMAC-SHA256 (RFC 2104) with one reusable hash, so a
// handshake costs no allocation per digest. The message may come in parts,
// which lets a digest skip the 32 bytes it is stored in without copying the
// packet.
type hmacSHA256 struct {
	h     hash.Hash
	block [sha256.BlockSize]byte
	inner [sha256.Size]byte
	// outer receives the final hash. Writing it into the caller's array
	// through the hash.Hash interface would move that array to the heap.
	outer [sha256.Size]byte
}

func newHMAC() hmacSHA256 { return hmacSHA256{h: sha256.New()} }

// sum writes HMAC(key, part1||part2) into dst.
func (m *hmacSHA256) sum(dst *[digestLen]byte, key, part1, part2 []byte) {
	var hashedKey [sha256.Size]byte
	if len(key) > sha256.BlockSize {
		hashedKey = sha256.Sum256(key)
		key = hashedKey[:]
	}
	m.pad(key, 0x36)
	m.h.Reset()
	m.h.Write(m.block[:])
	m.h.Write(part1)
	m.h.Write(part2)
	m.h.Sum(m.inner[:0])

	m.pad(key, 0x5c)
	m.h.Reset()
	m.h.Write(m.block[:])
	m.h.Write(m.inner[:])
	m.h.Sum(m.outer[:0])
	*dst = m.outer
}

// pad fills the block with key XOR b, zero-extending the key.
func (m *hmacSHA256) pad(key []byte, b byte) {
	for i := range m.block {
		m.block[i] = b
	}
	for i, k := range key {
		m.block[i] ^= k
	}
}
