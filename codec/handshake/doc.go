// Package handshake implements the RTMP handshake, server and client
// side, as incremental state machines that never touch a socket, a clock
// or a random source: the caller feeds the bytes it read, in whatever
// splits the network produced, writes back the bytes each step returns,
// and passes the time field and the random seed in the config.
//
// # Forms
//
// Two forms are spoken. The simple form of the RTMP specification: C1 and
// S1 are a time field, four zero bytes and 1528 random bytes, and C2 and S2
// echo them. The digest form of Flash Player 9: bytes 4-7 carry a version,
// and C1 and S1 carry an HMAC-SHA256 digest of the rest of the packet,
// placed by one of two schemes (offset from the sum of bytes 8-11, or of
// bytes 772-775, modulo 728), keyed with "Genuine Adobe Flash Player 001"
// or "Genuine Adobe Flash Media Server 001"; the last 32 bytes of C2 and
// S2 are an HMAC of the first 1504 under a key derived from the peer's
// digest and the full key with its 32-byte tail.
//
// A Server answers in the form the client used: a C1 whose version field
// is zero, or whose digest is valid in neither scheme, is answered in the
// simple form, otherwise S1 carries a digest at the client's own scheme and
// S2 the signature. S0+S1+S2 are sent together as soon as C0+C1 are in.
//
// # Validation of C2 and S2
//
// The server checks C2 and the client checks S2. A reply is accepted when
// it echoes the packet it answers from byte 8 on (the time fields are not
// compared, since clients fill the second one differently) or, in the
// digest form, when its last 32 bytes are the right signature. Real
// clients use both: FFmpeg echoes S1 when publishing and signs C2 when
// playing, librtmp signs in its FP9 mode and echoes otherwise, GStreamer's
// rtmp2 echoes with its own time2 (see testdata/captures).
//
// A reply that passes neither check fails the handshake with ErrC2Mismatch
// (server) or ErrS2Mismatch (client): the machine enters the terminal
// Failed state and the caller should close the connection. With Lenient
// set in the config the handshake completes instead and Result.Verified is
// false, for deployments that must accept clients that send anything as
// C2.
//
// # Errors and limits
//
// A C0 or S0 other than 3 fails at once with a VersionError, unless the
// machine accepts RTMPE (Encryption in its config) and the byte is 6
// (VersionEncrypted): then C1 and S1 also carry Diffie-Hellman public keys,
// and Ciphers returns the RC4 streams that encrypt everything after the
// handshake, both ways. An RTMPE C1 without a valid digest fails with
// ErrEncryptedSimple, a public key out of range with ErrDHKey. A failing
// Feed returns no bytes to send, not even those it produced earlier in the
// same call (S0+S1+S2 when C0, C1 and a bad C2 came in one read): the
// caller closes the connection. After a failure every Feed returns the
// same error and consumes nothing. The
// buffers are fixed when a machine is made (about 4.6 KB for a server), so
// a peer that sends short reads forever keeps the machine Waiting without
// growing it; bounding how long to wait is the caller's deadline.
//
// # The bytes after the handshake
//
// Clients commonly write C2 and their first chunks (Set Chunk Size,
// connect) together. Feed stops at the last handshake byte and returns the
// rest of that input in Output.Rest, a subslice of the input: it is the
// start of the chunk stream. Once Done, Feed returns all of its input as
// Rest. Output.Send belongs to the machine and is valid until the next
// Feed.
package handshake
