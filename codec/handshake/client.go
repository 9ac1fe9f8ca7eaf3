package handshake

// DefaultClientVersion is what a digest-form C1 carries in bytes 4-7 when
// ClientConfig.Version is zero (the Flash Player version FFmpeg sends).
var DefaultClientVersion = [4]byte{9, 0, 124, 2}

// ClientConfig holds everything a client handshake needs from outside.
type ClientConfig struct {
	// Form is the handshake to offer; zero means FormDigest. A server
	// may answer a digest C1 in the simple form, and the client follows.
	Form Form
	// Scheme places the C1 digest; zero means Scheme1.
	Scheme Scheme
	// Epoch is the time field of C1: the base of this side's timestamps.
	Epoch uint32
	// Random seeds the random parts of C1 and C2, as in ServerConfig.
	Random []byte
	// Version is what a digest-form C1 carries in bytes 4-7; zero means
	// DefaultClientVersion.
	Version [4]byte
	// Lenient completes the handshake when S2 fails validation instead of
	// failing with ErrS2Mismatch; Result.Verified then reports false.
	Lenient bool
	// Encryption asks for RTMPE (C0 VersionEncrypted) with a
	// Diffie-Hellman key in C1; it implies the digest form. The server
	// must answer in kind, and Ciphers returns the streams for what
	// follows.
	Encryption bool
}

// clientPhase is what the client reads next.
type clientPhase uint8

const (
	readS0S1 clientPhase = iota
	readS2
)

// Client is the client side of one handshake: it sends C0+C1 (Hello),
// reads S0+S1 and answers C2, then reads and checks S2. A Client is not
// safe for concurrent use.
type Client struct {
	cfg    ClientConfig
	rnd    randomSource
	mac    hmacSHA256
	state  State
	err    error
	phase  clientPhase
	filler filler
	result Result

	c1Digest [digestLen]byte // the digest we put in C1
	s1Digest [digestLen]byte // the digest found in S1
	key      dhKey           // RTMPE only
	ciphers  Ciphers
	hello    [1 + PacketSize]byte
	in       [1 + PacketSize]byte
	c2       [PacketSize]byte
}

// NewClient returns a client handshake whose C0+C1 Hello returns.
func NewClient(cfg ClientConfig) *Client {
	if cfg.Form == 0 || cfg.Encryption {
		cfg.Form = FormDigest
	}
	if cfg.Scheme == 0 {
		cfg.Scheme = Scheme1
	}
	if cfg.Version == ([4]byte{}) {
		cfg.Version = DefaultClientVersion
	}
	c := &Client{cfg: cfg, mac: newHMAC()}
	c.rnd.seed(cfg.Random)
	c.hello[0] = Version
	c1 := c.hello[1:]
	putBE32(c1, cfg.Epoch)
	c.rnd.fill(c1[headerLen:])
	if cfg.Form == FormDigest {
		copy(c1[4:headerLen], cfg.Version[:])
		if cfg.Encryption {
			c.hello[0] = VersionEncrypted
			c.key = newDHKey(&c.rnd)
			copy(c1[dhOffset(c1, cfg.Scheme):], c.key.public[:])
		}
		c.c1Digest = c.mac.putDigest(c1, cfg.Scheme, playerDigestKey)
	}
	return c
}

// Ciphers returns the RC4 streams of an RTMPE handshake, ready for the
// first byte after it each way, once C2 is out; ok is false for a plain
// handshake. In must decrypt Output.Rest and everything the server sends
// later; Out must encrypt everything this side sends after C2.
func (c *Client) Ciphers() (ciphers Ciphers, ok bool) {
	return c.ciphers, c.ciphers.In != nil
}

// Hello returns C0+C1, to be sent first. The slice belongs to the Client.
func (c *Client) Hello() []byte { return c.hello[:] }

// State reports where the handshake stands.
func (c *Client) State() State { return c.state }

// Err returns the error that failed the handshake, or nil.
func (c *Client) Err() error { return c.err }

// Result describes the completed handshake; it is meaningful once State
// is Done.
func (c *Client) Result() Result { return c.result }

// Feed consumes server bytes, split in any way. Once S0+S1 are complete,
// Output.Send carries C2. Once S2 is complete and valid, the state is Done
// and Output.Rest holds the bytes after S2; after Done every Feed returns
// its whole input as Rest. A protocol error fails the handshake for good.
func (c *Client) Feed(in []byte) (Output, error) {
	switch c.state {
	case Done:
		return Output{Rest: in, State: Done}, nil
	case Failed:
		return Output{State: Failed}, c.err
	}
	var out Output
	for c.state == Waiting && len(in) > 0 {
		var full bool
		switch c.phase {
		case readS0S1:
			in, full = c.filler.fill(c.in[:], 1+PacketSize, in)
			if c.in[0] != c.hello[0] {
				return c.fail(VersionError{Got: c.in[0]})
			}
			if full {
				if err := c.answer(); err != nil {
					return c.fail(err)
				}
				out.Send = c.c2[:]
				c.phase, c.filler = readS2, filler{}
			}
		case readS2:
			in, full = c.filler.fill(c.in[:], PacketSize, in)
			if full {
				if err := c.checkS2(c.in[:PacketSize]); err != nil {
					return c.fail(err)
				}
				c.state = Done
				out.Rest = in
			}
		}
	}
	out.State = c.state
	return out, nil
}

func (c *Client) fail(err error) (Output, error) {
	c.state, c.err = Failed, err
	return Output{State: Failed}, err
}

// answer reads S1 and writes C2: signed when S1 carries a valid server
// digest in either scheme, otherwise an echo of S1. RTMPE takes the
// server's key from where its digest's scheme puts keys.
func (c *Client) answer() error {
	s1 := c.in[1:]
	c.result.PeerEpoch = be32(s1)
	copy(c.result.PeerVersion[:], s1[4:headerLen])
	c.result.Form = FormSimple
	if c.cfg.Form == FormDigest && c.result.PeerVersion != ([4]byte{}) {
		if scheme, ok := c.mac.findDigest(&c.s1Digest, s1, serverDigestKey); ok {
			c.result.Form, c.result.Scheme = FormDigest, scheme
		}
	}
	if c.cfg.Encryption {
		if c.result.Form == FormSimple {
			return ErrEncryptedSimple
		}
		off := dhOffset(s1, c.result.Scheme)
		ciphers, err := c.key.ciphers(s1[off : off+dhKeyLen])
		if err != nil {
			return err
		}
		c.ciphers, c.result.Encrypted = ciphers, true
	}
	if c.result.Form == FormSimple {
		copy(c.c2[:], s1)
		return nil
	}
	c.rnd.fill(c.c2[:signedLen])
	var sig [digestLen]byte
	c.mac.signature(&sig, c.c2[:], &c.s1Digest, playerKey)
	copy(c.c2[signedLen:], sig[:])
	return nil
}

// checkS2 accepts an S2 that echoes C1 or, in the digest form, one signed
// with a key derived from C1's digest.
func (c *Client) checkS2(s2 []byte) error {
	c1 := c.hello[1:]
	c.result.Verified = echoes(s2, c1) ||
		c.result.Form == FormDigest && c.mac.validSignature(s2, &c.c1Digest, serverKey)
	if !c.result.Verified && !c.cfg.Lenient {
		return ErrS2Mismatch
	}
	return nil
}
