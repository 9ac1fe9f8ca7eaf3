package serverconn_test

import (
	"bytes"
	"testing"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core/serverconn"
	"github.com/gortmp/rtmp/core/sim"
)

// A client that asks for a window far below ReportEvery still gets an
// Acknowledgement for every window it sends, on time.
func TestSmallWindowAcknowledgedOnTime(t *testing.T) {
	for _, tc := range []struct {
		name   string
		window uint32
	}{{"2500 bytes", 2500}, {"1 byte", 1}} {
		t.Run(tc.name, func(t *testing.T) {
			c, dec := opened(t, captureConfig)
			var enc chunk.Encoder
			encode := func(b message.Body) []byte {
				cm, err := message.Encode(message.Message{Body: b})
				if err != nil {
					t.Fatal(err)
				}
				out, err := enc.Append(nil, 2, cm)
				if err != nil {
					t.Fatal(err)
				}
				return out
			}
			c.Feed(encode(message.WindowAckSize{Size: tc.window}))
			var acks []uint32
			last := c.Received() // everything before counts as acknowledged
			for i := range 2000 {
				piece := encode(message.Acknowledgement{SequenceNumber: uint32(i)})
				c.Feed(piece)
				raws, err := dec.Feed(nil, c.TakeOutput(nil))
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range raws {
					if m, err := message.Decode(r); err == nil {
						if a, ok := m.Body.(message.Acknowledgement); ok {
							acks = append(acks, a.SequenceNumber)
							last = uint64(a.SequenceNumber)
						}
					}
				}
				// Late by at most half a window and one Feed.
				if behind := c.Received() - last; behind > uint64(tc.window)+uint64(tc.window)/2+uint64(len(piece)) {
					t.Fatalf("after %d bytes the last Acknowledgement is at %d, window %d", c.Received(), last, tc.window)
				}
			}
			if min := int(c.Received()-uint64(acks[0])) / (int(tc.window) + int(tc.window)/2 + 16); len(acks) < min {
				t.Fatalf("%d Acknowledgements, want at least %d", len(acks), min)
			}
		})
	}
}

// The default report interval still holds for a big window: byte totals
// are not reported more often than ReportEvery.
func TestLargeWindowKeepsReportEvery(t *testing.T) {
	cfg := captureConfig
	cfg.ReportEvery = 1000
	c, _ := opened(t, cfg)
	var enc chunk.Encoder
	cm, _ := message.Encode(message.Message{Body: message.WindowAckSize{Size: 1 << 30}})
	b, _ := enc.Append(nil, 2, cm)
	c.Feed(b)
	reports, fed := 0, 0
	for i := range 200 {
		cm, _ := message.Encode(message.Message{Body: message.Acknowledgement{SequenceNumber: uint32(i)}})
		b, _ := enc.Append(nil, 2, cm)
		fed += len(b)
		for _, e := range c.Feed(b) {
			if typeString(e) == "core.ByteTotalsReported" {
				reports++
			}
		}
	}
	if reports > fed/1000 || reports < fed/1000-1 {
		t.Fatalf("%d reports for %d bytes at ReportEvery 1000", reports, fed)
	}
}

// opened returns a connection past the handshake and a decoder that has
// read its output so far.
func opened(t *testing.T, cfg serverconn.Config) (*serverconn.Conn, *chunk.Decoder) {
	t.Helper()
	c := serverconn.New(cfg)
	in, err := sim.ClientReads(cfg, handshake.ClientConfig{Random: []byte("x")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Feed(bytes.Join(in, nil))
	out := c.TakeOutput(nil)
	dec := chunk.NewDecoder(chunk.DecoderConfig{})
	if _, err := dec.Feed(nil, out[1+2*handshake.PacketSize:]); err != nil {
		t.Fatal(err)
	}
	return c, dec
}
