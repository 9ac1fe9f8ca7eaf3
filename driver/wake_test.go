package driver_test

import (
	"crypto/tls"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/driver"
	"github.com/gortmp/rtmp/driver/internal/testcert"
	"pgregory.net/rapid"
)

// A connection's loop waits in a read of its socket; inputs the
// application gives it from other goroutines wake it by moving the read's
// deadline. Every input reaches the session, each goroutine's in its
// order, whether the loop is idle or the peer keeps it reading
// meanwhile, and the connection still ends only when the peer goes.
//
// Over TLS the read the wake interrupts is the TLS layer's, which must
// take up again where it was.
func TestInputsFromOtherGoroutinesAllApplied(t *testing.T) {
	t.Run("tcp", func(t *testing.T) {
		h := connectHandler{conns: make(chan *driver.Conn, 1), closed: make(chan error, 1)}
		addr := startServer(t, nil, h, driver.Config{})
		checkInputsApplied(t, h, func() *rtmpClient { return dialClient(t, addr, 0) })
	})
	t.Run("tls", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		tlsLn := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{testcert.New(t)}})
		h := connectHandler{conns: make(chan *driver.Conn, 1), closed: make(chan error, 1)}
		addr := startServer(t, tlsLn, h, driver.Config{})
		checkInputsApplied(t, h, func() *rtmpClient {
			conn, err := tls.Dial("tcp", addr, &tls.Config{InsecureSkipVerify: true})
			if err != nil {
				t.Fatal(err)
			}
			return handshakeClient(t, conn)
		})
	})
}

func checkInputsApplied(t *testing.T, h connectHandler, dial func() *rtmpClient) {
	rapid.Check(t, func(rt *rapid.T) {
		senders := rapid.IntRange(1, 4).Draw(rt, "senders")
		each := rapid.IntRange(1, 40).Draw(rt, "inputs per sender")
		chatter := rapid.Bool().Draw(rt, "the peer sends meanwhile")
		pause := time.Duration(rapid.IntRange(0, 3).Draw(rt, "ms before sending")) * time.Millisecond

		c := dial()
		c.command(0, "connect", amf0.Object{{Key: "app", Value: "live"}, {Key: "tcUrl", Value: "rtmp://127.0.0.1/live"}})
		var conn *driver.Conn
		select {
		case conn = <-h.conns:
		case <-time.After(5 * time.Second):
			rt.Fatal("no connect")
		}

		stop := make(chan struct{})
		var wg sync.WaitGroup
		if chatter {
			wg.Go(func() {
				for n := uint32(1); ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					c.send(2, message.Message{Body: message.Acknowledgement{SequenceNumber: n}})
				}
			})
		}
		time.Sleep(pause)
		for s := range senders {
			wg.Go(func() {
				for i := range each {
					conn.Send(0, message.Data{Values: []amf0.Value{"tick", float64(s), float64(i)}})
				}
			})
		}

		next := make([]int, senders)
		for got := 0; got < senders*each; got++ {
			m := c.await("every input", 5*time.Second, func(m message.Message) bool {
				d, ok := m.Body.(message.Data)
				return ok && len(d.Values) == 3 && d.Values[0] == "tick"
			})
			d := m.Body.(message.Data)
			s, i := int(d.Values[1].(float64)), int(d.Values[2].(float64))
			if i != next[s] {
				rt.Fatalf("sender %d: input %d arrived where %d was due", s, i, next[s])
			}
			next[s]++
		}
		close(stop)
		wg.Wait()
		select {
		case err := <-h.closed:
			rt.Fatalf("the connection ended while the peer was there: %v", err)
		default:
		}
		c.conn.Close()
		select {
		case <-h.closed:
		case <-time.After(5 * time.Second):
			rt.Fatal("the connection did not end with its peer")
		}
	})
}
