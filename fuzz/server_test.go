package fuzz

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/serverconn"
	"github.com/gortmp/rtmp/driver/sim"
)

var rewriteServerCorpus = flag.Bool("rewrite-server-corpus", false, "rewrite the synthesized seeds of FuzzServerBytes")

// serverFuzzConfig is the server every FuzzServerBytes input talks to. Its
// handshake is lenient so mutated C2s still reach the chunk stream (and
// its seed is the captures', so their C2s verify anyway); its limits are
// small so that inputs can reach them; pings and byte reports are frequent
// so timers and acknowledgements run.
var serverFuzzConfig = serverconn.Config{
	Session: core.Config{
		ChunkSize:          1000,
		PingInterval:       time.Second,
		PingTimeout:        3 * time.Second,
		MaxStreams:         4,
		MaxPendingRequests: 4,
	},
	Decoder: chunk.DecoderConfig{
		MaxMessageSize:     256 << 10,
		MaxChunkSize:       64 << 10,
		MaxBuffered:        512 << 10,
		MaxPartialMessages: 8,
		MaxChunkStreams:    64,
		PreallocLimit:      16 << 10,
	},
	Handshake:   handshake.ServerConfig{Random: []byte("testdata/captures"), Lenient: true},
	ReportEvery: 1024,
	MaxOutput:   256 << 10,
}

// FuzzServerBytes feeds client bytes through the whole server pipeline of
// serverconn, as the driver does with a socket's reads: handshake, chunk
// decoder, session, encoder. reads cuts the input into reads (big-endian
// uint16 lengths; what they leave is one last read), so that the
// application, which accepts every request between reads, lets inputs
// reach publishing and playing. After each read the clock moves on 50 ms and a
// playing stream is sent a video message. It must never panic, never hold
// more than its limits, and everything it sends must decode with our own
// client-side decoder.
func FuzzServerBytes(f *testing.F) {
	f.Fuzz(func(t *testing.T, in, reads []byte) {
		checkServerBytes(t, in, reads)
	})
}

func checkServerBytes(t *testing.T, in, reads []byte) {
	c := serverconn.New(serverFuzzConfig)
	out := &outputChecker{dec: chunk.NewDecoder(chunk.DecoderConfig{})}
	var now time.Duration
	var playing []uint32
	handle := func(fx []core.Effect) {
		for len(fx) > 0 {
			e := fx[0]
			fx = fx[1:]
			if _, ok := e.(core.Disconnect); ok && (len(fx) > 0 || c.State() != serverconn.Closed) {
				t.Fatalf("Disconnect followed by %v, state %v", fx, c.State())
			}
			switch e := e.(type) {
			case core.PlayStreamStarted:
				playing = append(playing, e.StreamID)
			case core.PlayStreamFinished:
				playing = slices.DeleteFunc(playing, func(id uint32) bool { return id == e.StreamID })
			case core.CallerError:
				// A request can vanish before the application answers it
				// (its stream deleted in the same read); anything else is
				// the pipeline misusing the session or failing to encode.
				var unknown core.UnknownRequestError
				if !errors.As(e.Err, &unknown) {
					t.Fatalf("caller error: %v", e.Err)
				}
			}
			if id, ok := sim.RequestOf(e); ok {
				fx = append(fx, c.Step(core.Accept{Request: id})...)
			}
		}
		checkLimits(t, c)
		if err := out.feed(c.TakeOutput(nil)); err != nil {
			t.Fatal(err)
		}
	}
	step := func(in core.Input) { handle(c.Step(in)) }
	for len(in) > 0 {
		n := len(in)
		if len(reads) >= 2 {
			n = min(int(binary.BigEndian.Uint16(reads)), n)
			reads = reads[2:]
		}
		handle(c.Feed(in[:n]))
		in = in[n:]
		if c.State() != serverconn.Open {
			continue
		}
		now += 50 * time.Millisecond
		step(core.Tick{Now: now})
		for _, id := range playing {
			if c.Session().Closed() {
				break
			}
			step(core.SendMessage{StreamID: id, Body: message.Video{Payload: []byte{0x17, 1, 0, 0, 0, 0xAA}}})
		}
	}
	wasClosed := c.State() == serverconn.Closed
	fx := c.Step(core.Close{})
	if wasClosed != (fx == nil) {
		t.Fatalf("Close on a conn closed=%v gave %v", wasClosed, fx)
	}
	if !wasClosed {
		if _, ok := fx[len(fx)-1].(core.Disconnect); !ok {
			t.Fatalf("Close ended with %T", fx[len(fx)-1])
		}
	}
	handle(fx)
	if c.State() != serverconn.Closed || c.Feed([]byte{3}) != nil {
		t.Fatalf("not terminal after Close: %v", c.State())
	}
	if out.dec.Buffered() != 0 {
		t.Fatalf("output ends inside a message (%d bytes buffered)", out.dec.Buffered())
	}
}

func checkLimits(t *testing.T, c *serverconn.Conn) {
	b, l := c.Buffered(), c.Limits()
	if b.DecoderBuffered > l.DecoderBuffered || b.Output > l.Output {
		t.Fatalf("holding %+v beyond %+v", b, l)
	}
}

// outputChecker is a client reading the server: S0+S1+S2, then chunks.
type outputChecker struct {
	hs  int // handshake bytes seen
	dec *chunk.Decoder
	raw []chunk.Message
}

func (o *outputChecker) feed(p []byte) error {
	const hsLen = 1 + 2*handshake.PacketSize
	if o.hs < hsLen {
		n := min(hsLen-o.hs, len(p))
		if o.hs == 0 && n > 0 && p[0] != handshake.Version {
			return fmt.Errorf("S0 is %d", p[0])
		}
		o.hs += n
		p = p[n:]
	}
	var err error
	o.raw, err = o.dec.Feed(o.raw[:0], p)
	if err != nil {
		return fmt.Errorf("our decoder refuses the server's chunks: %w", err)
	}
	for _, r := range o.raw {
		if _, err := message.Decode(r); err != nil {
			return fmt.Errorf("server sent message type %d that does not decode: %w", r.TypeID, err)
		}
	}
	clear(o.raw)
	return nil
}

// TestServerBytesSeeds runs every seed through the fuzz function (go test
// does too, but this one also checks that the synthesized sessions reach
// their deep states) and, with -rewrite-server-corpus, writes the
// synthesized seeds and the capture seeds.
func TestServerBytesSeeds(t *testing.T) {
	seeds, err := serverSeeds()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzServerBytes")
	if *rewriteServerCorpus {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, s := range seeds {
			body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n[]byte(%q)\n", s.in, s.reads)
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, s := range seeds {
		t.Run(name, func(t *testing.T) {
			if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.Contains(got, []byte(fmt.Sprintf("%q", s.reads))) {
				t.Errorf("corpus file %s is missing or stale (run with -rewrite-server-corpus): %v", name, err)
			}
			checkServerBytes(t, s.in, s.reads)
			if s.want != nil {
				s.want(t, s.in, s.reads)
			}
		})
	}
}

type serverSeed struct {
	in, reads []byte
	want      func(t *testing.T, in, reads []byte)
}

// serverSeeds are the captures (one read each) and two synthesized
// sessions, an OBS-style publish and a play, cut at the client's writes.
func serverSeeds() (map[string]serverSeed, error) {
	seeds := map[string]serverSeed{}
	files, err := filepath.Glob(filepath.Join("..", "testdata", "captures", "*.c2s.bin"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no captures: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		seeds["capture-"+strings.TrimSuffix(filepath.Base(f), ".c2s.bin")] = serverSeed{in: b, reads: []byte{}}
	}
	tags, err := sim.ReadFLV(filepath.Join("..", "testdata", "media", "h264-aac-320x240.flv"))
	if err != nil {
		return nil, err
	}
	// The first 8 tags (metadata, sequence headers, a keyframe and what
	// follows) keep the seed small enough to mutate quickly.
	publish, err := sim.OBSPublish("live", "obs", tags[:8])
	if err != nil {
		return nil, err
	}
	// A publish whose stream is deleted in the same read: the request
	// vanishes before the application answers, and its Accept is refused
	// with UnknownRequestError, which the harness once took for a bug.
	vanishing := []message.Message{
		sim.Connect("live", 1),
		sim.Command(0, "createStream", 2, nil),
		sim.Command(1, "publish", 3, nil, "gone", "live"),
		sim.Command(0, "deleteStream", 0, nil, 1.0),
	}
	sessions := map[string]struct {
		msgs  []message.Message
		wants []string
		merge bool // send the last two messages in one read
	}{
		"session-publish-deleted-in-same-read": {vanishing, []string{"PublishStreamRequested", "StreamDeleted", "CallerError"}, true},
		"session-obs-publish":                  {publish, []string{"PublishingStarted", "StreamMetaDataChanged", "AudioVideoDataReceived", "PublishingFinished"}, false},
		"session-play":                         {sim.Play("live", "obs"), []string{"PlayStreamStarted", "PingResponseReceived", "PlayStreamFinished"}, false},
	}
	for name, s := range sessions {
		writes, err := sim.ClientReads(serverFuzzConfig, handshake.ClientConfig{Random: []byte(name)}, s.msgs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if s.merge {
			n := len(writes)
			writes = append(writes[:n-2], append(append([]byte(nil), writes[n-2]...), writes[n-1]...))
		}
		var in, reads []byte
		for _, w := range writes {
			in = append(in, w...)
			for len(w) > 0 {
				n := min(len(w), 0xFFFF)
				reads = binary.BigEndian.AppendUint16(reads, uint16(n))
				w = w[n:]
			}
		}
		wants := s.wants
		seeds[name] = serverSeed{in: in, reads: reads, want: func(t *testing.T, in, reads []byte) {
			seen := eventsOf(t, in, reads)
			for _, w := range wants {
				if !seen[w] {
					t.Errorf("the seed never reaches %s (events: %v)", w, seen)
				}
			}
		}}
	}
	return seeds, nil
}

// eventsOf replays a seed accepting every request and returns the names
// of the events it raised.
func eventsOf(t *testing.T, in, reads []byte) map[string]bool {
	c := serverconn.New(serverFuzzConfig)
	seen := map[string]bool{}
	var handle func(fx []core.Effect)
	handle = func(fx []core.Effect) {
		for _, e := range fx {
			seen[strings.TrimPrefix(fmt.Sprintf("%T", e), "core.")] = true
			if d, ok := e.(core.Disconnect); ok && d.Err != nil {
				t.Errorf("seed disconnected: %v", d.Err)
			}
			if id, ok := sim.RequestOf(e); ok {
				handle(c.Step(core.Accept{Request: id}))
			}
		}
	}
	for len(reads) >= 2 {
		n := int(binary.BigEndian.Uint16(reads))
		handle(c.Feed(in[:n]))
		in, reads = in[n:], reads[2:]
	}
	handle(c.Feed(in))
	return seen
}
