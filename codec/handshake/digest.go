package handshake

// The digest-form keys. A C1 digest is keyed with the first 30 bytes of
// playerKey and an S1 digest with the first 36 bytes of serverKey; the
// whole keys, with the shared 32-byte tail, derive the keys of the C2 and
// S2 signatures.
var (
	keyTail = []byte{
		0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8,
		0x2E, 0x00, 0xD0, 0xD1, 0x02, 0x9E, 0x7E, 0x57,
		0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80, 0x6F, 0xAB,
		0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE,
	}
	playerKey = append([]byte("Genuine Adobe Flash Player 001"), keyTail...)
	serverKey = append([]byte("Genuine Adobe Flash Media Server 001"), keyTail...)

	playerDigestKey = playerKey[:30]
	serverDigestKey = serverKey[:36]
)

// digestOffset is where a scheme puts the 32 digest bytes in a C1 or S1:
// the sum of four bytes modulo 728, past the four bytes and the fields
// before them. The result is at most 1503, so the digest always fits.
func digestOffset(p []byte, s Scheme) int {
	base := 8
	if s == Scheme2 {
		base = 772
	}
	sum := int(p[base]) + int(p[base+1]) + int(p[base+2]) + int(p[base+3])
	return sum%728 + base + 4
}

// packetDigest computes the digest of a C1 or S1 whose digest sits at off:
// the HMAC of the packet without those 32 bytes.
func (m *hmacSHA256) packetDigest(dst *[digestLen]byte, p []byte, off int, key []byte) {
	m.sum(dst, key, p[:off], p[off+digestLen:])
}

// findDigest reports which scheme's digest in p is valid under key, trying
// Scheme1 first. The valid digest is left in dst.
func (m *hmacSHA256) findDigest(dst *[digestLen]byte, p []byte, key []byte) (Scheme, bool) {
	for _, s := range [...]Scheme{Scheme1, Scheme2} {
		off := digestOffset(p, s)
		m.packetDigest(dst, p, off, key)
		if equal(dst[:], p[off:off+digestLen]) {
			return s, true
		}
	}
	return 0, false
}

// putDigest stores the digest of p at the scheme's offset and returns it.
func (m *hmacSHA256) putDigest(p []byte, s Scheme, key []byte) [digestLen]byte {
	var d [digestLen]byte
	off := digestOffset(p, s)
	m.packetDigest(&d, p, off, key)
	copy(p[off:], d[:])
	return d
}

// signature computes the trailing 32 bytes of a digest-form C2 or S2: the
// HMAC of its first 1504 bytes under a key that is itself the HMAC of the
// peer's C1/S1 digest under the whole player or server key.
func (m *hmacSHA256) signature(dst *[digestLen]byte, p []byte, peerDigest *[digestLen]byte, key []byte) {
	var derived [digestLen]byte
	m.sum(&derived, key, peerDigest[:], nil)
	m.sum(dst, derived[:], p[:signedLen], nil)
}

// validSignature reports whether p (a C2 or S2) ends with the signature
// that answers peerDigest.
func (m *hmacSHA256) validSignature(p []byte, peerDigest *[digestLen]byte, key []byte) bool {
	var want [digestLen]byte
	m.signature(&want, p, peerDigest, key)
	return equal(want[:], p[signedLen:])
}

// echoes reports whether reply repeats sent past the time field. The
// second field (time2 in the specification) is the moment the peer read
// our packet, and clients fill it in different ways, so only the random
// part is compared; in the digest form that part holds our digest too.
func echoes(reply, sent []byte) bool {
	return equal(reply[headerLen:], sent[headerLen:])
}

func equal(a, b []byte) bool { return string(a) == string(b) }
