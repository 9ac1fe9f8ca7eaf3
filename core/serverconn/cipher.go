package serverconn

import (
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/core"
)

// OutputCipher is the RC4 stream that must encrypt every byte sent to the
// client from output byte From on (counting from 0 over the connection's
// life, as Produced does): the first byte after the handshake's answer,
// S0+S1+S2, on a connection whose client asked for RTMPE and whose
// Config.Handshake.Encryption allowed it. Feed returns it once, first among
// the effects of the call that produced that answer; a connection without
// RTMPE never does.
//
// Conn does not encrypt its own output: the caller puts other bytes
// between its output (a relay's media framed once for many connections),
// and the stream must run over the bytes in the order they reach the
// socket, so whatever writes them encrypts them.
type OutputCipher = core.OutputCipher

// HandshakeReplyLen is the length of the handshake's answer, S0+S1+S2, the
// bytes of output that go unencrypted on an RTMPE connection.
const HandshakeReplyLen = 1 + 2*handshake.PacketSize
