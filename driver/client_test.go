package driver_test

import (
	"net"
	"syscall"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
)

// rtmpClient is a minimal RTMP client built from the codec packages, for
// behaviour real clients cannot be made to show (stop reading, stay after
// an unpublish).
type rtmpClient struct {
	t       *testing.T
	conn    net.Conn
	enc     chunk.Encoder
	dec     *chunk.Decoder
	buf     []byte
	pending []message.Message
	txid    float64
}

// dialClient connects and handshakes. A positive rcvbuf sets the socket's
// receive buffer before connecting, so a client that stops reading stops
// the server's writes quickly.
func dialClient(t *testing.T, addr string, rcvbuf int) *rtmpClient {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second}
	if rcvbuf > 0 {
		d.Control = func(_, _ string, rc syscall.RawConn) error {
			var serr error
			rc.Control(func(fd uintptr) {
				serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, rcvbuf)
			})
			return serr
		}
	}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	return handshakeClient(t, conn)
}

// handshakeClient makes the client's RTMP handshake on conn, which the
// test's end closes.
func handshakeClient(t *testing.T, conn net.Conn) *rtmpClient {
	t.Helper()
	t.Cleanup(func() { conn.Close() })
	c := &rtmpClient{t: t, conn: conn, dec: chunk.NewDecoder(chunk.DecoderConfig{}), buf: make([]byte, 64<<10)}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	hs := handshake.NewClient(handshake.ClientConfig{Random: []byte("test client")})
	if _, err := conn.Write(hs.Hello()); err != nil {
		t.Fatal(err)
	}
	for hs.State() == handshake.Waiting {
		n, err := conn.Read(c.buf)
		if err != nil {
			t.Fatalf("handshake: %v", err)
		}
		out, err := hs.Feed(c.buf[:n])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Write(out.Send); err != nil {
			t.Fatal(err)
		}
		if len(out.Rest) > 0 {
			c.feed(out.Rest)
		}
	}
	return c
}

func (c *rtmpClient) feed(b []byte) {
	raws, err := c.dec.Feed(nil, b)
	if err != nil {
		c.t.Fatalf("client decoder: %v", err)
	}
	for _, raw := range raws {
		m, err := message.Decode(raw)
		if err != nil {
			c.t.Fatalf("client: decode type %d: %v", raw.TypeID, err)
		}
		c.pending = append(c.pending, m)
	}
}

// next returns the next message from the server.
func (c *rtmpClient) next(timeout time.Duration) (message.Message, error) {
	c.conn.SetReadDeadline(time.Now().Add(timeout))
	for len(c.pending) == 0 {
		n, err := c.conn.Read(c.buf)
		if err != nil {
			return message.Message{}, err
		}
		c.feed(c.buf[:n])
	}
	m := c.pending[0]
	c.pending = c.pending[1:]
	return m, nil
}

func (c *rtmpClient) send(csid uint32, m message.Message) {
	c.t.Helper()
	raw, err := message.Encode(m)
	if err != nil {
		c.t.Fatal(err)
	}
	b, err := c.enc.Append(nil, csid, raw)
	if err != nil {
		c.t.Fatal(err)
	}
	c.conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.conn.Write(b); err != nil {
		c.t.Fatalf("client write: %v", err)
	}
}

func (c *rtmpClient) command(streamID uint32, name string, obj amf0.Value, args ...amf0.Value) {
	c.t.Helper()
	c.txid++
	c.send(3, message.Message{StreamID: streamID, Body: message.Command{Name: name, TransactionID: c.txid, Object: obj, Args: args}})
}

// await reads until pred holds for a message, failing after timeout.
func (c *rtmpClient) await(what string, timeout time.Duration, pred func(message.Message) bool) message.Message {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		m, err := c.next(time.Until(deadline))
		if err != nil {
			c.t.Fatalf("waiting for %s: %v", what, err)
		}
		if pred(m) {
			return m
		}
	}
}

// statusCode returns the code of an onStatus command, or "".
func statusCode(m message.Message) string {
	cmd, ok := m.Body.(message.Command)
	if !ok || cmd.Name != "onStatus" || len(cmd.Args) == 0 {
		return ""
	}
	props, _ := amf0.Properties(cmd.Args[0])
	code, _ := amf0.Object(props).String("code")
	return code
}

func isResult(m message.Message) bool {
	cmd, ok := m.Body.(message.Command)
	return ok && cmd.Name == "_result"
}

// connect sends connect and createStream and returns the stream id.
func (c *rtmpClient) connect(app string) uint32 {
	c.t.Helper()
	c.command(0, "connect", amf0.Object{{Key: "app", Value: app}, {Key: "tcUrl", Value: "rtmp://127.0.0.1/" + app}})
	c.await("connect _result", 5*time.Second, isResult)
	c.command(0, "createStream", nil)
	m := c.await("createStream _result", 5*time.Second, isResult)
	args := m.Body.(message.Command).Args
	if len(args) != 1 {
		c.t.Fatalf("createStream _result args %v", args)
	}
	id, _ := args[0].(float64)
	return uint32(id)
}

func (c *rtmpClient) play(streamID uint32, key string) {
	c.t.Helper()
	c.command(streamID, "play", nil, key)
	c.await("NetStream.Play.Start", 5*time.Second, func(m message.Message) bool { return statusCode(m) == "NetStream.Play.Start" })
}

// publish asks to publish and returns the onStatus code of the answer.
func (c *rtmpClient) publish(streamID uint32, key string) string {
	c.t.Helper()
	c.command(streamID, "publish", nil, key, "live")
	m := c.await("publish status", 5*time.Second, func(m message.Message) bool { return statusCode(m) != "" })
	return statusCode(m)
}
