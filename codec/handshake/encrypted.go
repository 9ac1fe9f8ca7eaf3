package handshake

import (
	"crypto/hmac"
	"crypto/rc4"
	"crypto/sha256"
	"math/big"
)

// VersionEncrypted is the C0 and S0 byte of RTMPE, the digest-form
// handshake with a Diffie-Hellman key exchange in C1 and S1, after which
// both directions are RC4 encrypted. It obscures rather than protects: the
// keys are exchanged without authentication. RTMPS is the way to secure a
// connection; RTMPE is here for the clients that still ask for it
// (rtmpdump's rtmpe:// URLs).
const VersionEncrypted = 6

// dhPrime is the 1024-bit MODP group of RFC 2409 (the Oakley group 2),
// with generator 2, in which RTMPE exchanges its keys.
var dhPrime, _ = new(big.Int).SetString(
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1"+
		"29024E088A67CC74020BBEA63B139B22514A08798E3404DD"+
		"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245"+
		"E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"+
		"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"+
		"FFFFFFFFFFFFFFFF", 16)

var (
	dhGenerator = big.NewInt(2)
	one         = big.NewInt(1)
)

// dhKeyLen is the length of a public key in C1 and S1, and of the shared
// secret: the prime's.
const dhKeyLen = 128

// skipLen is how much of each RC4 stream both sides discard once the
// handshake is done, before the first byte of the chunk stream.
const skipLen = PacketSize

// dhOffset is where a digest-form packet of scheme s carries its public
// key: the sum of four bytes modulo 632, plus a base, which keeps the key
// clear of the digest and of the bytes both offsets are taken from.
func dhOffset(p []byte, s Scheme) int {
	from, base := 1532, 772
	if s == Scheme2 {
		from, base = 768, 8
	}
	sum := int(p[from]) + int(p[from+1]) + int(p[from+2]) + int(p[from+3])
	return sum%632 + base
}

// Ciphers are the RC4 streams of an RTMPE connection, both already past the
// bytes the protocol discards: In decrypts what the peer sends after the
// handshake, Out encrypts what this side sends after it.
type Ciphers struct {
	In, Out *rc4.Cipher
}

// dhKey is one side's key pair.
type dhKey struct {
	private *big.Int
	public  [dhKeyLen]byte
}

// newDHKey makes a key pair from random bytes.
func newDHKey(rnd *randomSource) dhKey {
	var raw [dhKeyLen]byte
	rnd.fill(raw[:])
	x := new(big.Int).SetBytes(raw[:])
	// 2 <= x < p-1.
	x.Mod(x, new(big.Int).Sub(dhPrime, big.NewInt(3)))
	x.Add(x, big.NewInt(2))
	k := dhKey{private: x}
	new(big.Int).Exp(dhGenerator, x, dhPrime).FillBytes(k.public[:])
	return k
}

// ciphers derives the RC4 streams from the peer's public key. A key
// outside 2..p-2 would force the shared secret to one of a few values, and
// fails with ErrDHKey.
func (k dhKey) ciphers(peer []byte) (Ciphers, error) {
	y := new(big.Int).SetBytes(peer)
	if y.Cmp(one) <= 0 || y.Cmp(new(big.Int).Sub(dhPrime, one)) >= 0 {
		return Ciphers{}, ErrDHKey
	}
	var secret [dhKeyLen]byte
	new(big.Int).Exp(y, k.private, dhPrime).FillBytes(secret[:])
	// Each side encrypts with the key derived from the other's public
	// key, and decrypts with the one derived from its own.
	out, err := rc4.NewCipher(keyFor(secret[:], peer))
	if err != nil {
		return Ciphers{}, err
	}
	in, err := rc4.NewCipher(keyFor(secret[:], k.public[:]))
	if err != nil {
		return Ciphers{}, err
	}
	var skip [skipLen]byte
	out.XORKeyStream(skip[:], skip[:])
	in.XORKeyStream(skip[:], skip[:])
	return Ciphers{In: in, Out: out}, nil
}

// keyFor is the RC4 key for the stream a public key names: the first 16
// bytes of its HMAC-SHA256 under the shared secret.
func keyFor(secret, public []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write(public)
	return m.Sum(nil)[:16]
}
