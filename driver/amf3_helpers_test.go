package driver_test

import (
	"fmt"
	"net"
	"sync"
	"testing"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
)

// wireMessage is a command or data message a encodingTap saw: its type and
// what it is about (the command name, or the data handler's).
type wireMessage struct {
	Type message.TypeID
	Name string
}

func (w wireMessage) String() string { return fmt.Sprintf("%s (type %d)", w.Name, w.Type) }

// encodingTap is a loopback proxy in front of a plain RTMP server that records
// the command and data messages going each way, as their types on the
// wire: what a test of encodings must look at, since both sessions read
// AMF0 and AMF3 alike.
type encodingTap struct {
	addr string
	mu   sync.Mutex
	up   []wireMessage // client to server
	down []wireMessage // server to client
}

// tapHandshakeLen is what goes each way before the first chunk: C0+C1+C2
// from the client, S0+S1+S2 from the server.
const tapHandshakeLen = 1 + 1536 + 1536

// startEncodingTap proxies every connection to its address on to server,
// until the test ends.
func startEncodingTap(t *testing.T, server string) *encodingTap {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w := &encodingTap{addr: ln.Addr().String()}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", server)
			if err != nil {
				c.Close()
				continue
			}
			wg.Add(2)
			go func() { defer wg.Done(); w.pipe(s, c, &w.up) }()
			go func() { defer wg.Done(); w.pipe(c, s, &w.down) }()
		}
	}()
	return w
}

// pipe copies src to dst, decoding what follows the handshake into seen,
// and closes both at the end of either.
func (w *encodingTap) pipe(dst, src net.Conn, seen *[]wireMessage) {
	defer dst.Close()
	defer src.Close()
	dec := chunk.NewDecoder(chunk.DecoderConfig{})
	skip := tapHandshakeLen
	buf := make([]byte, 64<<10)
	decoding := true
	for {
		n, err := src.Read(buf)
		if n > 0 {
			// Noted before passing on, so that what a peer has read the
			// tap has seen.
			p := buf[:n]
			k := min(skip, len(p))
			skip -= k
			if decoding {
				decoding = w.note(dec, p[k:], seen)
			}
			if _, werr := dst.Write(p); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// note decodes p and records its commands and data; false once the
// stream cannot be decoded any more.
func (w *encodingTap) note(dec *chunk.Decoder, p []byte, seen *[]wireMessage) bool {
	raws, err := dec.Feed(nil, p)
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, raw := range raws {
		m, derr := message.Decode(raw)
		if derr != nil {
			*seen = append(*seen, wireMessage{Type: message.TypeID(raw.TypeID), Name: "undecodable: " + derr.Error()})
			continue
		}
		switch b := m.Body.(type) {
		case message.Command:
			*seen = append(*seen, wireMessage{Type: b.Type(), Name: b.Name})
		case message.Data:
			var name string
			if vs := b.Normalized().Values; len(vs) > 0 {
				name, _ = vs[0].(string)
			}
			*seen = append(*seen, wireMessage{Type: b.Type(), Name: name})
		}
	}
	return err == nil
}

// seen returns what went up (client to server) and down so far.
func (w *encodingTap) seen() (up, down []wireMessage) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]wireMessage(nil), w.up...), append([]wireMessage(nil), w.down...)
}

// checkAMF3After fails unless every command and data message in ms after
// the first one named first is AMF3 (type 17 or 15), and there is at
// least one of each kind listed in want.
func checkAMF3After(t *testing.T, side string, ms []wireMessage, first string, want ...wireMessage) {
	t.Helper()
	at := -1
	for i, m := range ms {
		if m.Name == first {
			at = i
			break
		}
	}
	if at < 0 {
		t.Fatalf("%s: no %s among %v", side, first, ms)
	}
	for _, m := range ms[at+1:] {
		if m.Type != message.TypeCommandAMF3 && m.Type != message.TypeDataAMF3 {
			t.Errorf("%s: %v after %s is not AMF3", side, m, first)
		}
	}
	for _, w := range want {
		found := false
		for _, m := range ms[at+1:] {
			found = found || m == w
		}
		if !found {
			t.Errorf("%s: no %v after %s among %v", side, w, first, ms[at+1:])
		}
	}
}
