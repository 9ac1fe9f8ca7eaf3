// Package testdial opens raw RTMP connections for tests that need a
// client which stops right after the handshake: idle connections, a
// server's connection limit.
package testdial

import (
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/gortmp/rtmp/codec/handshake"
)

// Handshaken dials addr and completes the RTMP handshake as a client,
// within 10 seconds; the connection it returns has no deadline.
func Handshaken(addr string) (net.Conn, error) {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	if err := shake(c); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func shake(c net.Conn) error {
	c.SetDeadline(time.Now().Add(10 * time.Second))
	hs := handshake.NewClient(handshake.ClientConfig{Random: []byte("test client")})
	if _, err := c.Write(hs.Hello()); err != nil {
		return err
	}
	buf := make([]byte, 4096)
	for hs.State() == handshake.Waiting {
		n, err := c.Read(buf)
		if err != nil {
			return fmt.Errorf("handshake read: %w", err)
		}
		out, err := hs.Feed(buf[:n])
		if err != nil {
			return err
		}
		if _, err := c.Write(out.Send); err != nil {
			return err
		}
	}
	if hs.State() != handshake.Done {
		return errors.New("handshake did not complete")
	}
	return c.SetDeadline(time.Time{})
}
