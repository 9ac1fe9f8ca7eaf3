package serverconn_test

import (
	"bytes"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/serverconn"
	"github.com/gortmp/rtmp/core/sim"
)

// Real client bytes, fed whole and in random splits, give the same
// effects and the same output; the handshake answer is the recorded one.
func TestCapturesAnySplit(t *testing.T) {
	files, err := filepath.Glob("../../testdata/captures/*.c2s.bin")
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures: %v", err)
	}
	inputs := map[string][]byte{}
	wholes := map[string]run{}
	for _, f := range files {
		in, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(strings.TrimSuffix(f, ".c2s.bin") + ".s2c.bin")
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		whole := feedAll(serverconn.New(captureConfig), [][]byte{in})
		// The nginx captures are our client talking to nginx.
		if !strings.HasPrefix(name, "nginx-") && !bytes.HasPrefix(whole.Output, want) {
			t.Errorf("%s: output does not start with the recorded S0+S1+S2", name)
		}
		connects := 0
		for _, e := range whole.Effects {
			switch e := e.(type) {
			case core.ConnectionRequested:
				connects++
				if e.App != "live" {
					t.Errorf("%s: connect app %q, want live", name, e.App)
				}
			case core.Disconnect:
				t.Errorf("%s: disconnected: %v", name, e.Err)
			}
		}
		// The nginx captures hold only a handshake; the others end with connect.
		if wantConnect := len(in) > 1+2*handshake.PacketSize; (connects == 1) != wantConnect {
			t.Errorf("%s: %d connect requests for %d bytes", name, connects, len(in))
		}
		inputs[name], wholes[name] = in, whole
	}
	names := slices.Sorted(maps.Keys(inputs))
	rapid.Check(t, func(rt *rapid.T) {
		name := rapid.SampledFrom(names).Draw(rt, "capture")
		in := inputs[name]
		cuts := rapid.SliceOfN(rapid.IntRange(0, len(in)), 0, 40).Draw(rt, "cuts")
		got := feedAll(serverconn.New(captureConfig), split(in, cuts))
		if diff := cmp.Diff(wholes[name], got, bytesEqual); diff != "" {
			rt.Fatalf("%s: split run differs (-whole +split):\n%s", name, diff)
		}
	})
}

// A synthesized OBS-style publish and a play go through the whole
// pipeline in any split with the same result, and the output decodes.
func TestSynthesizedSessionsAnySplit(t *testing.T) {
	tags := mustFLV(t)
	publish, err := sim.OBSPublish("live", "cam", tags)
	if err != nil {
		t.Fatal(err)
	}
	cfg := captureConfig
	cfg.ReportEvery = 4096
	cases := map[string][]message.Message{"publish": publish, "play": sim.Play("live", "cam")}
	for name, msgs := range cases {
		t.Run(name, func(t *testing.T) {
			reads, err := sim.ClientReads(cfg, handshake.ClientConfig{Random: []byte(name)}, msgs)
			if err != nil {
				t.Fatal(err)
			}
			whole := feedAll(serverconn.New(cfg), reads)
			checkDecodes(t, whole.Output)
			counts := map[string]int{}
			for _, e := range whole.Effects {
				counts[strings.TrimPrefix(typeName(e), "core.")]++
			}
			media := 0
			for _, tag := range tags {
				if tag.Type != 18 {
					media++
				}
			}
			wantCounts := map[string]int{"PublishingStarted": 1, "PublishingFinished": 1, "AudioVideoDataReceived": media, "StreamMetaDataChanged": 1}
			if name == "play" {
				wantCounts = map[string]int{"PlayStreamStarted": 1, "PlayStreamFinished": 1, "PingResponseReceived": 1, "BufferLengthSet": 1}
			}
			for k, v := range wantCounts {
				if counts[k] != v {
					t.Errorf("%s: %d, want %d (all: %v)", k, counts[k], v, counts)
				}
			}
			rapid.Check(t, func(rt *rapid.T) {
				// Any finer split of the client's writes.
				var pieces [][]byte
				for _, r := range reads {
					if rapid.IntRange(0, 9).Draw(rt, "cut") == 0 {
						pieces = append(pieces, split(r, rapid.SliceOfN(rapid.IntRange(0, len(r)), 1, 3).Draw(rt, "cuts"))...)
					} else {
						pieces = append(pieces, r)
					}
				}
				got := feedAll(serverconn.New(cfg), pieces)
				// Byte totals are reported at different points when the
				// input is cut differently; everything else must agree.
				if want, got := withoutTotals(whole.Effects), withoutTotals(got.Effects); !cmp.Equal(want, got, bytesEqual) {
					diff := cmp.Diff(want, got, bytesEqual)
					rt.Fatalf("split run differs (-whole +split):\n%s", diff)
				}
			})
		})
	}
}

func typeName(e core.Effect) string { return typeString(e) }

// bytesEqual compares byte slices whole; element by element is slow on media.
var bytesEqual = cmp.Comparer(bytes.Equal)

func withoutTotals(fx []core.Effect) []core.Effect {
	var out []core.Effect
	for _, e := range fx {
		if _, ok := e.(core.ByteTotalsReported); !ok {
			out = append(out, e)
		}
	}
	return out
}

// checkDecodes decodes server output as a client does: S0+S1+S2, then
// chunks our decoder and message.Decode accept.
func checkDecodes(t *testing.T, out []byte) {
	t.Helper()
	if len(out) < 1+2*handshake.PacketSize {
		t.Fatalf("output of %d bytes has no S0+S1+S2", len(out))
	}
	dec := chunk.NewDecoder(chunk.DecoderConfig{})
	raws, err := dec.Feed(nil, out[1+2*handshake.PacketSize:])
	if err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	if dec.Buffered() != 0 {
		t.Fatalf("output ends inside a message")
	}
	for _, r := range raws {
		if _, err := message.Decode(r); err != nil {
			t.Fatalf("output message type %d: %v", r.TypeID, err)
		}
	}
}

// handshaken returns a connection past the handshake, its output taken.
func handshaken(t *testing.T, cfg serverconn.Config) *serverconn.Conn {
	t.Helper()
	c := serverconn.New(cfg)
	in, err := sim.ClientReads(cfg, handshake.ClientConfig{Random: []byte("x")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fx := c.Feed(bytes.Join(in, nil)); len(fx) != 0 {
		t.Fatalf("handshake gave %v", fx)
	}
	c.TakeOutput(nil)
	if c.State() != serverconn.Open || !c.Handshaken() {
		t.Fatalf("state %v after the handshake, handshaken %v", c.State(), c.Handshaken())
	}
	return c
}

func lastDisconnect(t *testing.T, fx []core.Effect) error {
	t.Helper()
	if len(fx) == 0 {
		t.Fatal("no effects")
	}
	d, ok := fx[len(fx)-1].(core.Disconnect)
	if !ok {
		t.Fatalf("last effect %T, want Disconnect", fx[len(fx)-1])
	}
	return d.Err
}

func TestHandshakeErrorDisconnects(t *testing.T) {
	c := serverconn.New(captureConfig)
	err := lastDisconnect(t, c.Feed([]byte{6, 1, 2}))
	var pe *serverconn.PeerError
	var ve handshake.VersionError
	if !errors.As(err, &pe) || pe.Layer != serverconn.LayerHandshake || !errors.As(err, &ve) || ve.Got != 6 {
		t.Fatalf("got %v, want a handshake PeerError with VersionError 6", err)
	}
	if c.State() != serverconn.Closed || c.Err() != err || len(c.Pending()) != 0 || c.Handshaken() {
		t.Fatalf("state %v err %v pending %d handshaken %v", c.State(), c.Err(), len(c.Pending()), c.Handshaken())
	}
	if fx := c.Feed([]byte{3}); fx != nil {
		t.Fatalf("closed conn answered %v", fx)
	}
	if fx := c.Step(core.SendPing{}); fx != nil {
		t.Fatalf("closed conn answered %v", fx)
	}
}

// A chunk limit ends a publishing session: the stream finishes first.
func TestChunkLimitFinishesStreams(t *testing.T) {
	cfg := captureConfig
	cfg.Decoder = chunk.DecoderConfig{MaxMessageSize: 1000}
	c := handshaken(t, cfg)
	var enc chunk.Encoder
	var writes [][]byte
	for _, m := range []message.Message{sim.Connect("live", 1), sim.Command(0, "createStream", 2, nil), sim.Command(1, "publish", 3, nil, "k")} {
		writes = append(writes, encode(t, &enc, m))
	}
	r := feedAll(c, writes)
	if !slices.ContainsFunc(r.Effects, func(e core.Effect) bool { return typeString(e) == "core.PublishingStarted" }) {
		t.Fatalf("publish did not start: %v", r.Effects)
	}
	fx := c.Feed(encode(t, &enc, message.Message{StreamID: 1, Body: message.Video{Payload: make([]byte, 1001)}}))
	err := lastDisconnect(t, fx)
	var le *chunk.LimitError
	var pe *serverconn.PeerError
	if !errors.As(err, &pe) || pe.Layer != serverconn.LayerChunk || !errors.As(err, &le) {
		t.Fatalf("got %v, want a chunk LimitError", err)
	}
	if _, ok := fx[0].(core.PublishingFinished); !ok {
		t.Fatalf("first effect %T, want PublishingFinished", fx[0])
	}
}

// A malformed message is a peer error of the message layer.
func TestMalformedMessageDisconnects(t *testing.T) {
	c := handshaken(t, captureConfig)
	var enc chunk.Encoder
	b, err := enc.Append(nil, 2, chunk.Message{TypeID: uint8(message.TypeWindowAckSize), Payload: []byte{1}})
	if err != nil {
		t.Fatal(err)
	}
	err = lastDisconnect(t, c.Feed(b))
	var pe *serverconn.PeerError
	var fe *message.FormatError
	if !errors.As(err, &pe) || pe.Layer != serverconn.LayerMessage || pe.TypeID != uint8(message.TypeWindowAckSize) || !errors.As(err, &fe) {
		t.Fatalf("got %v, want a message FormatError", err)
	}
}

// Output nobody takes is bounded: past MaxOutput the connection ends and
// drops it.
func TestOutputBound(t *testing.T) {
	cfg := captureConfig
	cfg.MaxOutput = 1 + 2*handshake.PacketSize + 10
	reads, err := sim.ClientReads(captureConfig, handshake.ClientConfig{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	in := bytes.Join(reads, nil)
	c := serverconn.New(cfg)
	c.Feed(in[:1+handshake.PacketSize])
	if got := c.Buffered().Output; got != 1+2*handshake.PacketSize {
		t.Fatalf("S0+S1+S2 pending: %d", got)
	}
	// C2 completes the handshake; stream-zero begin passes the bound.
	if err := lastDisconnect(t, c.Feed(in[1+handshake.PacketSize:])); err != serverconn.ErrOutputFull {
		t.Fatalf("got %v, want ErrOutputFull", err)
	}
	if b := c.Buffered(); b.Output != 0 || c.Produced() != c.Sent() {
		t.Fatalf("after overflow: %+v produced %d sent %d", b, c.Produced(), c.Sent())
	}
}

// A connection whose handshake completes and whose first chunk is bad, in
// one read, ends closed but handshaken.
func TestHandshakenThenClosed(t *testing.T) {
	c := serverconn.New(captureConfig)
	in, err := sim.ClientReads(captureConfig, handshake.ClientConfig{Random: []byte("x")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// A type-1 chunk header on a chunk stream that never had a type-0.
	bad := []byte{0x43, 0, 0, 0, 0, 0, 4, 20}
	lastDisconnect(t, c.Feed(append(bytes.Join(in, nil), bad...)))
	if c.State() != serverconn.Closed || !c.Handshaken() {
		t.Fatalf("state %v, handshaken %v; want closed after a completed handshake", c.State(), c.Handshaken())
	}
}

func TestStepBeforeHandshake(t *testing.T) {
	c := serverconn.New(captureConfig)
	fx := c.Step(core.Accept{Request: 1})
	if len(fx) != 1 {
		t.Fatalf("got %v", fx)
	}
	if _, ok := fx[0].(core.CallerError); !ok {
		t.Fatalf("got %T, want CallerError", fx[0])
	}
	if c.State() != serverconn.Handshaking {
		t.Fatalf("state %v", c.State())
	}
	err := lastDisconnect(t, c.Step(core.Close{}))
	if err != nil || c.State() != serverconn.Closed {
		t.Fatalf("close: %v, state %v", err, c.State())
	}
}

// Pending, Advance and the counters agree whatever the caller takes.
func TestAdvanceCounters(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		reads, err := sim.ClientReads(captureConfig, handshake.ClientConfig{}, sim.Play("live", "k"))
		if err != nil {
			rt.Fatal(err)
		}
		want := feedAll(serverconn.New(captureConfig), reads).Output
		c := serverconn.New(captureConfig)
		var got []byte
		for _, p := range reads {
			for _, e := range c.Feed(p) {
				if id, ok := sim.RequestOf(e); ok {
					c.Step(core.Accept{Request: id})
				}
			}
			n := rapid.IntRange(0, len(c.Pending())).Draw(rt, "n")
			got = append(got, c.Pending()[:n]...)
			c.Advance(n)
			if c.Produced() != c.Sent()+uint64(len(c.Pending())) || c.Sent() != uint64(len(got)) {
				rt.Fatalf("produced %d sent %d pending %d taken %d", c.Produced(), c.Sent(), len(c.Pending()), len(got))
			}
		}
		got = c.TakeOutput(got)
		if !bytes.Equal(got, want) {
			rt.Fatalf("partial takes gave %d bytes, want %d", len(got), len(want))
		}
	})
}

// A client that never completes the handshake is timed out; before the
// deadline a Tick changes nothing.
func TestHandshakeTimeout(t *testing.T) {
	cfg := captureConfig
	cfg.HandshakeTimeout = 5 * time.Second
	c := serverconn.New(cfg)
	c.Feed([]byte{3, 0, 0})
	if c.Deadline() != 5*time.Second {
		t.Fatalf("deadline %v while handshaking", c.Deadline())
	}
	if fx := c.Step(core.Tick{Now: 4 * time.Second}); len(fx) != 0 || c.State() != serverconn.Handshaking {
		t.Fatalf("early tick: %v, state %v", fx, c.State())
	}
	if err := lastDisconnect(t, c.Step(core.Tick{Now: 5 * time.Second})); err != serverconn.ErrHandshakeTimeout {
		t.Fatalf("got %v, want ErrHandshakeTimeout", err)
	}
	if c.Deadline() != core.Never {
		t.Fatalf("closed conn still wants a tick at %v", c.Deadline())
	}
	// Once the handshake is done the session's timers rule.
	d := handshaken(t, cfg)
	if d.Deadline() != core.Never {
		t.Fatalf("deadline %v with pings off", d.Deadline())
	}
	if fx := d.Step(core.Tick{Now: time.Minute}); len(fx) != 0 || d.State() != serverconn.Open {
		t.Fatalf("tick after the handshake: %v", fx)
	}
}

// encode chunks one client message.
func encode(t *testing.T, enc *chunk.Encoder, m message.Message) []byte {
	t.Helper()
	raw, err := message.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	b, err := enc.Append(nil, message.ChunkStreamID(m.Body, m.StreamID), raw)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// An idle connection does not keep the handshake's output buffer: once
// everything is taken, at most a small one stays.
func TestDrainedOutputIsReleased(t *testing.T) {
	c := handshaken(t, captureConfig)
	if n := cap(c.Pending()); n > 1<<10 {
		t.Errorf("after the handshake's 3 KiB were taken, the output keeps %d bytes", n)
	}
	c.Step(core.SendPing{})
	if len(c.Pending()) == 0 {
		t.Fatal("a ping produced no output")
	}
	c.Advance(len(c.Pending()))
	if len(c.Pending()) != 0 {
		t.Errorf("%d bytes pending after taking all", len(c.Pending()))
	}
}
