package handshake

// Sizes and offsets of the handshake packets. C1, S1, C2 and S2 are all
// PacketSize bytes; C0 and S0 are the single version byte.
const (
	// Version is the only RTMP version byte this package accepts and sends.
	Version = 3
	// PacketSize is the length of C1, S1, C2 and S2.
	PacketSize = 1536

	// headerLen covers the two 4-byte fields that open every packet: the
	// sender's epoch, then either zero (simple form) or the sender's
	// software version (digest form). Random bytes follow.
	headerLen = 8

	// digestLen is the length of an HMAC-SHA256 value.
	digestLen = 32
	// signedLen is the part of a digest-form C2/S2 the trailing signature
	// covers.
	signedLen = PacketSize - digestLen
)

// Form says which handshake a peer used.
type Form uint8

const (
	// FormSimple is the handshake of the RTMP specification: time, zero,
	// 1528 random bytes, and echoes.
	FormSimple Form = iota + 1
	// FormDigest is the Flash Player 9 handshake: C1/S1 carry an
	// HMAC-SHA256 digest and C2/S2 a signature derived from the peer's
	// digest.
	FormDigest
)

func (f Form) String() string {
	switch f {
	case FormSimple:
		return "simple"
	case FormDigest:
		return "digest"
	}
	return "unknown"
}

// Scheme says where the digest sits in a digest-form C1 or S1.
type Scheme uint8

const (
	// Scheme1 takes the digest offset from bytes 8-11: their sum modulo
	// 728, plus 12.
	Scheme1 Scheme = iota + 1
	// Scheme2 takes the digest offset from bytes 772-775: their sum modulo
	// 728, plus 776.
	Scheme2
)

func (s Scheme) String() string {
	switch s {
	case Scheme1:
		return "scheme1"
	case Scheme2:
		return "scheme2"
	}
	return "none"
}

// State is where a handshake machine stands.
type State uint8

const (
	// Waiting means the machine needs more bytes from the peer.
	Waiting State = iota
	// Done means the handshake completed; further input is the chunk
	// stream and comes back as Output.Rest.
	Done
	// Failed is terminal: the peer broke the protocol.
	Failed
)

func (s State) String() string {
	switch s {
	case Waiting:
		return "waiting"
	case Done:
		return "done"
	case Failed:
		return "failed"
	}
	return "invalid"
}

// Output is what one Feed produced.
type Output struct {
	// Send holds bytes to write to the peer, in order, before anything
	// else. It belongs to the machine and stays valid until the next Feed.
	Send []byte
	// Rest is the part of the fed slice after the handshake's last byte,
	// a subslice of the input, set from the call that completes the
	// handshake onwards. It is the start of the chunk stream.
	Rest []byte
	// State is the machine's state after the call.
	State State
}

// Result describes a completed handshake.
type Result struct {
	// PeerEpoch is the time field of the peer's C1 or S1, the base of its
	// timestamps.
	PeerEpoch uint32
	// PeerVersion is bytes 4-7 of the peer's C1 or S1: zero in the simple
	// form, a software version in the digest form.
	PeerVersion [4]byte
	// Form is the handshake form that was used.
	Form Form
	// Scheme is where the peer's digest was, or 0 in the simple form.
	Scheme Scheme
	// Verified reports whether the peer's C2 or S2 proved it read our C1
	// or S1 (an echo or a valid signature). It is false only when the
	// machine was configured Lenient and the check failed.
	Verified bool
	// Encrypted reports an RTMPE handshake: what follows it is encrypted
	// both ways with the machine's Ciphers.
	Encrypted bool
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func putBE32(b []byte, v uint32) {
	b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
}
