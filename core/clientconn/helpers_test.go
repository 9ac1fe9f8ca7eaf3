package clientconn_test

import (
	"crypto/rc4"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/clientconn"
)

// scriptServer is the server side of a scripted connection, built from
// the codecs alone: a handshake server answering the client's C0+C1, a
// chunk encoder for the messages the script sends and a chunk decoder that
// reads what the client sends, so a transcript can print it.
type scriptServer struct {
	hs  *handshake.Server
	enc chunk.Encoder
	dec *chunk.Decoder
	// seen counts the client's handshake bytes read so far.
	seen int
	// reply is the handshake's answer not yet fed to the client.
	reply []byte
	// in decrypts the client's chunks and out encrypts the server's when
	// the handshake was RTMPE's.
	in, out *rc4.Cipher
}

func newScriptServer(cfg handshake.ServerConfig) *scriptServer {
	return &scriptServer{hs: handshake.NewServer(cfg), dec: chunk.NewDecoder(chunk.DecoderConfig{})}
}

// clientHandshakeLen is C0+C1 and C2.
const clientHandshakeLen = clientconn.HelloLen + handshake.PacketSize

// read takes the client's output and describes it: its handshake packets,
// then one line per message. The handshake bytes also go to the
// handshake server, whose answer (S0+S1+S2) answer then returns.
func (s *scriptServer) read(out []byte) ([]string, error) {
	var lines []string
	if len(out) == 0 {
		return nil, nil
	}
	if s.seen < clientHandshakeLen {
		n := min(clientHandshakeLen-s.seen, len(out))
		if s.hs.State() != handshake.Done {
			o, err := s.hs.Feed(out[:n])
			if err != nil {
				return lines, err
			}
			s.reply = append(s.reply, o.Send...)
		}
		switch {
		case s.seen == 0 && n >= clientconn.HelloLen:
			lines = append(lines, fmt.Sprintf("C0+C1 (version %d)", out[0]))
			if n > clientconn.HelloLen {
				lines = append(lines, "C2")
			}
		case s.seen == clientconn.HelloLen && n == handshake.PacketSize:
			lines = append(lines, "C2")
		default:
			lines = append(lines, fmt.Sprintf("%d handshake bytes", n))
		}
		s.seen += n
		out = out[n:]
		if ci, ok := s.hs.Ciphers(); ok && s.in == nil {
			s.in, s.out = ci.In, ci.Out
		}
	}
	if len(out) == 0 {
		return lines, nil
	}
	plain := append([]byte(nil), out...)
	if s.in != nil {
		s.in.XORKeyStream(plain, plain)
	}
	raws, err := s.dec.Feed(nil, plain)
	for _, r := range raws {
		m, derr := message.Decode(r)
		if derr != nil {
			return lines, derr
		}
		lines = append(lines, strings.TrimPrefix(client.DescribeInput(client.MessageReceived{Message: m}), "recv "))
	}
	return lines, err
}

// answer takes the handshake server's S0+S1+S2, there once C0+C1 were
// read.
func (s *scriptServer) answer() []byte {
	b := s.reply
	s.reply = nil
	return b
}

// chunks encodes server messages, encrypted when RTMPE runs.
func (s *scriptServer) chunks(msgs ...message.Message) []byte {
	var b []byte
	for _, m := range msgs {
		raw, err := message.Encode(m)
		if err != nil {
			panic(err)
		}
		b, err = s.enc.Append(b, message.ChunkStreamID(m.Body, m.StreamID), raw)
		if err != nil {
			panic(err)
		}
	}
	if s.out != nil {
		s.out.XORKeyStream(b, b)
	}
	return b
}

func msg(streamID uint32, body message.Body) message.Message {
	return message.Message{StreamID: streamID, Body: body}
}

func msgAt(ts, streamID uint32, body message.Body) message.Message {
	return message.Message{Timestamp: ts, StreamID: streamID, Body: body}
}

// status is an onStatus as servers send it.
func status(streamID uint32, level, code string) message.Message {
	return msg(streamID, message.Command{Name: "onStatus", Args: []amf0.Value{amf0.Object{
		{Key: "level", Value: level}, {Key: "code", Value: code}, {Key: "description", Value: code},
	}}})
}

// connectResult is the _result servers answer connect with.
func connectResult() message.Message {
	return msg(0, message.Command{Name: "_result", TransactionID: 1,
		Object: amf0.Object{{Key: "fmsVer", Value: "FMS/3,0,1,123"}, {Key: "capabilities", Value: 31.0}},
		Args: []amf0.Value{amf0.Object{{Key: "level", Value: "status"}, {Key: "code", Value: "NetConnection.Connect.Success"},
			{Key: "description", Value: "Connection succeeded."}, {Key: "objectEncoding", Value: 0.0}}}})
}

// serverOpening is what servers send around the connect _result.
func serverOpening() []message.Message {
	return []message.Message{
		msg(0, message.WindowAckSize{Size: 5000}),
		msg(0, message.SetPeerBandwidth{Size: 5000, Limit: message.LimitDynamic}),
		msg(0, message.SetChunkSize{Size: 4096}),
		connectResult(),
	}
}

func streamResult(tx float64, id uint32) message.Message {
	return msg(0, message.Command{Name: "_result", TransactionID: tx, Args: []amf0.Value{float64(id)}})
}

var (
	keyframe = message.Video{Payload: []byte{0x17, 0x01, 0, 0, 0, 0xAA}}
	aacFrame = message.Audio{Payload: []byte{0xAF, 0x01, 0xCC}}
)

func connectInput() client.Connect {
	return client.Connect{App: "live", TCURL: "rtmp://127.0.0.1:1935/live"}
}

// osDir is a folder of transcripts on disk, for golden.Check.
type osDir string

func (d osDir) ReadFile(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(string(d), name))
}
func (d osDir) WriteFile(name string, b []byte) error {
	return os.WriteFile(filepath.Join(string(d), name), b, 0o644)
}
func (d osDir) Names() ([]string, error) {
	es, err := os.ReadDir(string(d))
	names := make([]string, 0, len(es))
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names, err
}
func (d osDir) String() string { return string(d) }

// indent prefixes every line of a description.
func indent(lines []string, prefix string) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(prefix + l + "\n")
	}
	return b.String()
}
