package sim

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/clientconn"
)

// scriptedClient says exactly what its script says, messages a client
// session would never send included (explicit transaction ids,
// getStreamLength, a bare ping response): the shipped client connection
// runs the handshake and reads every byte of the server, and the script's
// messages go onto a chunk stream of their own. What the connection would
// answer by itself after the handshake (an acknowledgement) is not sent:
// two encoders on one chunk stream would break each other's header
// compression, and the script is all the client says.
type scriptedClient struct {
	conn *clientconn.Conn
	enc  chunk.Encoder
	// out is the script's encoded messages not yet taken.
	out []byte
}

func newScriptedClient(hs handshake.ClientConfig) *scriptedClient {
	return &scriptedClient{conn: clientconn.New(clientconn.Config{Handshake: hs})}
}

// send encodes m on the chunk stream message.ChunkStreamID picks.
func (c *scriptedClient) send(m message.Message) error {
	raw, err := message.Encode(m)
	if err != nil {
		return err
	}
	c.out, err = c.enc.Append(c.out, message.ChunkStreamID(m.Body, m.StreamID), raw)
	return err
}

// handshakeBytes is what a client writes for the handshake: C0+C1, then C2.
const handshakeBytes = clientconn.HelloLen + handshake.PacketSize

// take returns the bytes to write now and forgets them: the handshake's,
// then the script's.
func (c *scriptedClient) take() []byte {
	hs := c.conn.Pending()
	left := uint64(0)
	if sent := c.conn.Sent(); sent < handshakeBytes {
		left = handshakeBytes - sent
	}
	hs = hs[:min(left, uint64(len(hs)))]
	b := append([]byte(nil), hs...)
	c.conn.Advance(len(c.conn.Pending()))
	if c.conn.Handshaken() {
		b = append(b, c.out...)
		c.out = nil
	}
	return b
}

// receive feeds server bytes to the connection. An error is the server's
// fault: a bad handshake, a chunk stream the decoder refuses or a message
// that does not decode.
func (c *scriptedClient) receive(p []byte) error {
	for _, e := range c.conn.Feed(p) {
		if d, ok := e.(client.Disconnect); ok && d.Err != nil {
			return fmt.Errorf("sim: scripted client: %w", d.Err)
		}
	}
	return nil
}
