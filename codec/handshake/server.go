package handshake

// DefaultServerVersion is what a digest-form S1 carries in bytes 4-7 when
// ServerConfig.Version is zero. Its first byte (S1 byte 4) is at least 3,
// which is what FFmpeg, when playing, looks for before it checks S2's
// signature and answers with a signed C2.
var DefaultServerVersion = [4]byte{0x0D, 0x0E, 0x0A, 0x0D}

// ServerConfig holds everything a server handshake needs from outside. It
// has no clock and no random source of its own.
type ServerConfig struct {
	// Epoch is the time field of S1: the base of this side's timestamps.
	Epoch uint32
	// Random seeds the random parts of S1 and S2. Pass 32 bytes from a
	// cryptographic source; any length works and equal seeds give equal
	// bytes.
	Random []byte
	// Version is what a digest-form S1 carries in bytes 4-7; zero means
	// DefaultServerVersion. A simple-form S1 always carries zero there.
	Version [4]byte
	// Lenient completes the handshake when C2 fails validation instead of
	// failing with ErrC2Mismatch; Result.Verified then reports false.
	Lenient bool
	// Encryption accepts RTMPE (a C0 of VersionEncrypted): the answer
	// carries the server's Diffie-Hellman key, and Ciphers returns the
	// streams for what follows. Without it, such a C0 fails with a
	// VersionError.
	Encryption bool
}

// serverPhase is what the server reads next.
type serverPhase uint8

const (
	readC0C1 serverPhase = iota
	readC2
)

// Server is the server side of one handshake: it reads C0+C1, answers with
// S0+S1+S2 at once, then reads and checks C2. Make one with NewServer per
// connection. A Server is not safe for concurrent use.
type Server struct {
	cfg    ServerConfig
	rnd    randomSource
	mac    hmacSHA256
	state  State
	err    error
	phase  serverPhase
	filler filler
	result Result

	clientDigest [digestLen]byte // the digest found in C1
	s1Digest     [digestLen]byte // the digest we put in S1
	ciphers      Ciphers         // RTMPE only
	in           [1 + PacketSize]byte
	out          [1 + 2*PacketSize]byte // S0, S1, S2
}

// NewServer returns a server handshake waiting for C0.
func NewServer(cfg ServerConfig) *Server {
	if cfg.Version == ([4]byte{}) {
		cfg.Version = DefaultServerVersion
	}
	s := &Server{cfg: cfg, mac: newHMAC()}
	s.rnd.seed(cfg.Random)
	return s
}

// State reports where the handshake stands.
func (s *Server) State() State { return s.state }

// Err returns the error that failed the handshake, or nil.
func (s *Server) Err() error { return s.err }

// Result describes the completed handshake; it is meaningful once State
// is Done.
func (s *Server) Result() Result { return s.result }

// Ciphers returns the RC4 streams of an RTMPE handshake, ready for the
// first byte after it each way, once S0+S1+S2 are out; ok is false for a
// plain handshake. In must decrypt Output.Rest and everything the client
// sends later; Out must encrypt everything this side sends after S2.
func (s *Server) Ciphers() (c Ciphers, ok bool) {
	return s.ciphers, s.ciphers.In != nil
}

// Feed consumes client bytes, split in any way. Once C0+C1 are complete,
// Output.Send carries S0+S1+S2. Once C2 is complete and valid, the state
// is Done and Output.Rest holds the bytes after C2, which clients may send
// in the same write as C2; after Done every Feed returns its whole input
// as Rest. A protocol error fails the handshake for good.
func (s *Server) Feed(in []byte) (Output, error) {
	switch s.state {
	case Done:
		return Output{Rest: in, State: Done}, nil
	case Failed:
		return Output{State: Failed}, s.err
	}
	var out Output
	for s.state == Waiting && len(in) > 0 {
		var full bool
		switch s.phase {
		case readC0C1:
			in, full = s.filler.fill(s.in[:], 1+PacketSize, in)
			if s.in[0] != Version && !(s.in[0] == VersionEncrypted && s.cfg.Encryption) {
				return s.fail(VersionError{Got: s.in[0]})
			}
			if full {
				if err := s.answer(); err != nil {
					return s.fail(err)
				}
				out.Send = s.out[:]
				s.phase, s.filler = readC2, filler{}
			}
		case readC2:
			in, full = s.filler.fill(s.in[:], PacketSize, in)
			if full {
				if err := s.checkC2(s.in[:PacketSize]); err != nil {
					return s.fail(err)
				}
				s.state = Done
				out.Rest = in
			}
		}
	}
	out.State = s.state
	return out, nil
}

func (s *Server) fail(err error) (Output, error) {
	s.state, s.err = Failed, err
	return Output{State: Failed}, err
}

// answer reads C1 and writes S0+S1+S2. A C1 whose version field is zero,
// or whose digest is valid in neither scheme, gets the simple form; an
// RTMPE one fails then.
func (s *Server) answer() error {
	encrypted := s.in[0] == VersionEncrypted
	c1 := s.in[1:]
	s.result.PeerEpoch = be32(c1)
	copy(s.result.PeerVersion[:], c1[4:headerLen])
	s.result.Form = FormSimple
	if s.result.PeerVersion != ([4]byte{}) {
		if scheme, ok := s.mac.findDigest(&s.clientDigest, c1, playerDigestKey); ok {
			s.result.Form, s.result.Scheme = FormDigest, scheme
		}
	}

	if encrypted && s.result.Form == FormSimple {
		return ErrEncryptedSimple
	}

	s.out[0] = s.in[0]
	s1, s2 := s.out[1:1+PacketSize], s.out[1+PacketSize:]
	putBE32(s1, s.cfg.Epoch)
	s.rnd.fill(s1[headerLen:])
	if s.result.Form == FormSimple {
		clear(s1[4:headerLen])
		// S2 echoes C1 whole: its time, its zero field where the
		// specification's time2 goes, and its random bytes.
		copy(s2, c1)
		return nil
	}
	copy(s1[4:headerLen], s.cfg.Version[:])
	if encrypted {
		// The key goes in before the digest, which covers it, where the
		// client's scheme puts keys.
		key := newDHKey(&s.rnd)
		copy(s1[dhOffset(s1, s.result.Scheme):], key.public[:])
		off := dhOffset(c1, s.result.Scheme)
		c, err := key.ciphers(c1[off : off+dhKeyLen])
		if err != nil {
			return err
		}
		s.ciphers, s.result.Encrypted = c, true
	}
	// S1 carries its digest where the client's scheme put the client's:
	// clients look there first.
	s.s1Digest = s.mac.putDigest(s1, s.result.Scheme, serverDigestKey)
	s.rnd.fill(s2[:signedLen])
	var sig [digestLen]byte
	s.mac.signature(&sig, s2, &s.clientDigest, serverKey)
	copy(s2[signedLen:], sig[:])
	return nil
}

// checkC2 accepts a C2 that echoes S1 (what the simple form asks for and
// what most digest-form clients send too) or, in the digest form, one
// signed with a key derived from S1's digest.
func (s *Server) checkC2(c2 []byte) error {
	s1 := s.out[1 : 1+PacketSize]
	s.result.Verified = echoes(c2, s1) ||
		s.result.Form == FormDigest && s.mac.validSignature(c2, &s.s1Digest, playerKey)
	if !s.result.Verified && !s.cfg.Lenient {
		return ErrC2Mismatch
	}
	return nil
}
