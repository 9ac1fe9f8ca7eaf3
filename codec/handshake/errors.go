package handshake

import (
	"errors"
	"strconv"
)

// Errors a handshake reports. Each one leaves the machine in the terminal
// Failed state: every later Feed returns the same error and consumes
// nothing.
var (
	// ErrC2Mismatch means the client's C2 neither echoed our S1 nor carried
	// a valid digest signature over it.
	ErrC2Mismatch = errors.New("handshake: C2 does not answer S1")
	// ErrS2Mismatch means the server's S2 neither echoed our C1 nor carried
	// a valid digest signature over it.
	ErrS2Mismatch = errors.New("handshake: S2 does not answer C1")
	// ErrEncryptedSimple means an RTMPE C1 or S1 carried no valid digest:
	// the encrypted handshake exists only in the digest form.
	ErrEncryptedSimple = errors.New("handshake: RTMPE without a digest")
	// ErrDHKey means the peer's Diffie-Hellman public key was outside
	// 2..p-2.
	ErrDHKey = errors.New("handshake: RTMPE public key out of range")
)

// VersionError reports a C0 or S0 byte other than 3, or other than 3 and 6
// (VersionEncrypted) for a machine that accepts RTMPE.
type VersionError struct {
	// Got is the version byte the peer sent.
	Got byte
}

func (e VersionError) Error() string {
	return "handshake: unsupported RTMP version " + strconv.Itoa(int(e.Got)) + " (want 3)"
}
