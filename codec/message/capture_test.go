package message_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/message"
)

// handshakeLen is C0, C1 and C2: what precedes the chunk stream.
const handshakeLen = 1 + 1536 + 1536

// The chunk streams real clients sent after the handshake (captured from
// ffmpeg, rtmpdump and GStreamer) decode, whole and byte by byte, to a
// connect command with transaction id 1 and an "app" in its object.
func TestRealClientsConnect(t *testing.T) {
	files, err := filepath.Glob("../../testdata/captures/*.c2s.bin")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) <= handshakeLen {
			continue // a capture of the handshake alone
		}
		seen++
		stream := b[handshakeLen:]
		whole, err := chunk.NewDecoder(chunk.DecoderConfig{}).Feed(nil, stream)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		dec := chunk.NewDecoder(chunk.DecoderConfig{})
		var bytewise []chunk.Message
		for i := range stream {
			if bytewise, err = dec.Feed(bytewise, stream[i:i+1]); err != nil {
				t.Fatalf("%s byte by byte: %v", filepath.Base(f), err)
			}
		}
		if diff := cmp.Diff(whole, bytewise); diff != "" {
			t.Errorf("%s: whole and byte-by-byte decoding differ:\n%s", filepath.Base(f), diff)
		}
		var connect *message.Command
		for _, raw := range whole {
			m, err := message.Decode(raw)
			if err != nil {
				t.Errorf("%s: type %d: %v", filepath.Base(f), raw.TypeID, err)
				continue
			}
			if c, ok := m.Body.(message.Command); ok && c.Name == "connect" {
				connect = &c
			}
		}
		if connect == nil {
			t.Errorf("%s: no connect among %d messages", filepath.Base(f), len(whole))
			continue
		}
		obj, ok := connect.Object.(amf0.Object)
		if connect.TransactionID != 1 || !ok || !hasKey(obj, "app") {
			t.Errorf("%s: connect %+v", filepath.Base(f), *connect)
		}
	}
	t.Logf("%d client captures decoded", seen)
	if seen == 0 {
		t.Fatal("no client capture with bytes after the handshake")
	}
}

func hasKey(o amf0.Object, k string) bool {
	for _, p := range o {
		if p.Key == k {
			return true
		}
	}
	return false
}
