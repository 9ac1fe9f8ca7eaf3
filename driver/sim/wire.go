package sim

import (
	"fmt"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
)

// Wire is the client side of one connection's bytes, built from our
// codec: the handshake client, a chunk encoder for what the client sends
// and a chunk decoder (with message.Decode) for what it receives. It is
// what every simulated client and every synthesized fuzz seed speaks.
type Wire struct {
	hs    *handshake.Client
	enc   chunk.Encoder
	dec   *chunk.Decoder
	hsOut []byte // handshake bytes to send
	out   []byte // chunks, held back until the handshake is done
	raw   []chunk.Message
}

// NewWire returns a client wire whose pending output starts with C0+C1.
func NewWire(cfg handshake.ClientConfig) *Wire {
	w := &Wire{hs: handshake.NewClient(cfg), dec: chunk.NewDecoder(chunk.DecoderConfig{})}
	w.hsOut = append(w.hsOut, w.hs.Hello()...)
	return w
}

// Ready reports whether the handshake completed.
func (w *Wire) Ready() bool { return w.hs.State() == handshake.Done }

// Send encodes m on the chunk stream message.ChunkStreamID picks. Messages
// sent before the handshake completes wait for it.
func (w *Wire) Send(m message.Message) error {
	raw, err := message.Encode(m)
	if err != nil {
		return err
	}
	w.out, err = w.enc.Append(w.out, message.ChunkStreamID(m.Body, m.StreamID), raw)
	return err
}

// TakeOutput returns the bytes to send now and forgets them: handshake
// bytes, then, once the handshake is done, the chunks.
func (w *Wire) TakeOutput() []byte {
	b := w.hsOut
	w.hsOut = nil
	if w.Ready() {
		b = append(b, w.out...)
		w.out = nil
	}
	return b
}

// Pending is the number of bytes TakeOutput would return.
func (w *Wire) Pending() int {
	if w.Ready() {
		return len(w.hsOut) + len(w.out)
	}
	return len(w.hsOut)
}

// Receive feeds server bytes and returns the messages they completed. Any
// error is the server's fault: a bad handshake, a chunk stream our decoder
// refuses or a message that does not decode.
func (w *Wire) Receive(p []byte) ([]message.Message, error) {
	if w.hs.State() != handshake.Done {
		out, err := w.hs.Feed(p)
		if err != nil {
			return nil, fmt.Errorf("client handshake: %w", err)
		}
		w.hsOut = append(w.hsOut, out.Send...)
		if out.State != handshake.Done {
			return nil, nil
		}
		p = out.Rest
	}
	var err error
	w.raw, err = w.dec.Feed(w.raw[:0], p)
	var msgs []message.Message
	for _, raw := range w.raw {
		m, derr := message.Decode(raw)
		if derr != nil {
			return msgs, fmt.Errorf("client: message type %d: %w", raw.TypeID, derr)
		}
		msgs = append(msgs, m)
	}
	clear(w.raw)
	if err != nil {
		return msgs, fmt.Errorf("client chunk stream: %w", err)
	}
	return msgs, nil
}
