package fuzz

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/serverconn"
	"github.com/gortmp/rtmp/core/sim"
)

var rewriteServerCorpus = flag.Bool("rewrite-server-corpus", false, "rewrite the synthesized seeds of FuzzServerBytes")

// serverFuzzConfig is the server every FuzzServerBytes input talks to. Its
// handshake is lenient so mutated C2s still reach the chunk stream (and
// its seed is the captures', so their C2s verify anyway); its decoder
// takes messages and chunks up to the default sizes, so a header can
// declare the largest message, and its budget and other limits are small
// so that inputs can reach them; pings and byte reports are frequent so
// timers and acknowledgements run.
var serverFuzzConfig = serverconn.Config{
	Session: core.Config{
		ChunkSize:          1000,
		PingInterval:       time.Second,
		PingTimeout:        3 * time.Second,
		MaxStreams:         4,
		MaxPendingRequests: 4,
	},
	Decoder: chunk.DecoderConfig{
		MaxPartialMessages: 8,
		MaxChunkStreams:    64,
		PreallocLimit:      16 << 10,
	},
	Handshake:   handshake.ServerConfig{Random: []byte("testdata/captures"), Lenient: true, Encryption: true},
	ReportEvery: 1024,
	MaxOutput:   256 << 10,
	Budget:      serverconn.Budget{Max: 1 << 20, BeforeConnect: 128 << 10},
	AMF:         message.Limits{MaxDepth: 16, MaxElements: 4096},
}

// FuzzServerBytes feeds client bytes through the whole server pipeline of
// serverconn, as the driver does with a socket's reads: handshake, chunk
// decoder, session, encoder. reads cuts the input into reads (big-endian
// uint16 lengths; what they leave is one last read), so that the
// application, which accepts every request between reads, lets inputs
// reach publishing and playing. After each read the clock moves on 50 ms and a
// playing stream is sent a video message. It must never panic, never hold
// more than its limits and its budget, and everything it sends must decode
// with our own client-side decoder. The input is run twice, the second
// time with every read cut again at points drawn from the input itself:
// both runs must give the same effects.
func FuzzServerBytes(f *testing.F) {
	f.Fuzz(func(t *testing.T, in, reads []byte) {
		checkServerBytes(t, in, reads)
	})
}

func checkServerBytes(t *testing.T, in, reads []byte) {
	checkServer(t, nil, in, reads)
}

// checkServer runs the pipeline on preamble, fed as one read that must
// complete the handshake when it is not empty, then on in cut by reads,
// once with each read fed whole and once cut into pieces.
func checkServer(t testing.TB, preamble, in, reads []byte) {
	whole := runServer(t, preamble, in, reads, nil)
	split := runServer(t, preamble, in, reads, newCutter(in, reads))
	if diff := cmp.Diff(whole, split, effectsEqual...); diff != "" {
		t.Fatalf("reads fed whole and in pieces differ (-whole +pieces):\n%s", diff)
	}
}

// effectsEqual compares transcripts: errors by their text, NaNs equal,
// RTMPE output ciphers by their offset and key stream.
var effectsEqual = []cmp.Option{
	cmp.Comparer(bytes.Equal),
	cmp.Comparer(sameOutputCipher),
	cmp.Comparer(messageFloatEqual),
	cmp.Comparer(func(a, b error) bool { return fmt.Sprint(a) == fmt.Sprint(b) }),
	cmpopts.EquateEmpty(),
}

// sameOutputCipher reports whether two output ciphers apply from the same
// byte with the same key stream, which copies of them show without
// advancing the originals.
func sameOutputCipher(a, b serverconn.OutputCipher) bool {
	if a.From != b.From || (a.Cipher == nil) != (b.Cipher == nil) {
		return false
	}
	if a.Cipher == nil {
		return true
	}
	ca, cb := *a.Cipher, *b.Cipher
	ka, kb := make([]byte, 64), make([]byte, 64)
	ca.XORKeyStream(ka, ka)
	cb.XORKeyStream(kb, kb)
	return bytes.Equal(ka, kb)
}

// cutter cuts reads into pieces at points drawn from the fuzz input, so
// that a failing input replays with the same pieces.
type cutter struct{ state uint64 }

func newCutter(in, reads []byte) *cutter {
	h := fnv.New64a()
	h.Write(in)
	h.Write(reads)
	return &cutter{state: h.Sum64() | 1}
}

// pieces cuts p into one to four pieces.
func (c *cutter) pieces(p []byte) [][]byte {
	var out [][]byte
	for range c.next() % 4 {
		if len(p) < 2 {
			break
		}
		n := 1 + int(c.next()%uint64(len(p)-1))
		out, p = append(out, p[:n]), p[n:]
	}
	return append(out, p)
}

// next is xorshift64.
func (c *cutter) next() uint64 {
	c.state ^= c.state << 13
	c.state ^= c.state >> 7
	c.state ^= c.state << 17
	return c.state
}

// runServer is one run of checkServer: with cut nil each read is one
// Feed, else the pieces cut makes of it, whose effects are taken together
// as the application would take those of one read. It returns the
// effects but the byte totals, which are reported at Feed ends.
func runServer(t testing.TB, preamble, in, reads []byte, cut *cutter) []core.Effect {
	c := serverconn.New(serverFuzzConfig)
	out := &outputChecker{dec: chunk.NewDecoder(chunk.DecoderConfig{})}
	var now time.Duration
	var playing []uint32
	var pending []byte
	var transcript []core.Effect
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
			if _, ok := e.(core.ByteTotalsReported); !ok {
				transcript = append(transcript, e)
			}
			if id, ok := sim.RequestOf(e); ok {
				fx = append(fx, c.Step(core.Accept{Request: id})...)
			}
		}
		checkLimits(t, c)
		// The output is checked at once, so one buffer serves every read.
		pending = c.TakeOutput(pending[:0])
		if err := out.feed(pending); err != nil {
			t.Fatal(err)
		}
	}
	feed := func(p []byte) {
		if cut == nil {
			handle(c.Feed(p))
			return
		}
		var fx []core.Effect
		for _, piece := range cut.pieces(p) {
			fx = append(fx, c.Feed(piece)...)
			checkLimits(t, c)
		}
		handle(fx)
	}
	step := func(in core.Input) { handle(c.Step(in)) }
	if len(preamble) > 0 {
		handle(c.Feed(preamble))
		if c.State() != serverconn.Open {
			t.Fatalf("the preamble leaves the conn %v: %v", c.State(), c.Err())
		}
	}
	for len(in) > 0 {
		n := len(in)
		if len(reads) >= 2 {
			n = min(int(binary.BigEndian.Uint16(reads)), n)
			reads = reads[2:]
		}
		feed(in[:n])
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
			step(core.SendMessage{StreamID: id, Body: message.Video{Payload: keyframeNALU}})
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
	return transcript
}

// keyframeNALU is the video a playing stream is sent after every read: an
// AVC keyframe holding one byte of NAL unit. Shared, since nothing
// writes to a payload.
var keyframeNALU = []byte{0x17, 1, 0, 0, 0, 0xAA}

func checkLimits(t testing.TB, c *serverconn.Conn) {
	b, l := c.Buffered(), c.Limits()
	if b.DecoderBuffered > l.DecoderBuffered || b.Output > l.Output || b.Total() > l.Memory {
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
		// 6 answers an RTMPE client; serverconn leaves the output after
		// S0+S1+S2 plain (the driver encrypts it), so the check goes on.
		if o.hs == 0 && n > 0 && p[0] != handshake.Version && p[0] != handshake.VersionEncrypted {
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
	seeds, _, err := serverSeeds()
	if err != nil {
		t.Fatal(err)
	}
	testServerSeeds(t, "FuzzServerBytes", nil, seeds)
}

// testServerSeeds checks that the corpus of target holds seeds (writing
// it first under -rewrite-server-corpus) and runs each after preamble.
func testServerSeeds(t *testing.T, target string, preamble []byte, seeds map[string]serverSeed) {
	dir := filepath.Join("testdata", "fuzz", target)
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
			got, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil || !bytes.Contains(got, []byte(fmt.Sprintf("%q", s.in))) || !bytes.Contains(got, []byte(fmt.Sprintf("%q", s.reads))) {
				t.Errorf("corpus file %s is missing or stale (run with -rewrite-server-corpus): %v", name, err)
			}
			checkServer(t, preamble, s.in, s.reads)
			if s.ends != nil {
				if err := endOf(preamble, s.in, s.reads); !errors.Is(err, s.ends) {
					t.Errorf("the seed ends with %v, want %v", err, s.ends)
				}
			}
			if s.wants == nil {
				return
			}
			seen := eventsOf(t, preamble, s.in, s.reads)
			for _, w := range s.wants {
				if !seen[w] {
					t.Errorf("the seed never reaches %s (events: %v)", w, seen)
				}
			}
		})
	}
}

// serverSeed is one corpus entry and the events its replay must raise.
type serverSeed struct {
	in, reads []byte
	wants     []string
	// ends, if set, is what the error that ends the replay must be.
	ends error
}

// serverSeeds are the captures (one read each) and three synthesized
// sessions, an OBS-style publish, a play and a publish deleted at once,
// cut at the client's writes: whole, for FuzzServerBytes, and without
// the handshake, for FuzzServerChunks.
func serverSeeds() (whole, chunks map[string]serverSeed, err error) {
	whole, chunks = map[string]serverSeed{}, map[string]serverSeed{}
	files, err := filepath.Glob(filepath.Join("..", "testdata", "captures", "*.c2s.bin"))
	if err != nil || len(files) == 0 {
		return nil, nil, fmt.Errorf("no captures: %v", err)
	}
	const handshakeLen = 1 + 2*handshake.PacketSize
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		if len(b) < handshakeLen {
			return nil, nil, fmt.Errorf("%s: shorter than a handshake", f)
		}
		name := "capture-" + strings.TrimSuffix(filepath.Base(f), ".c2s.bin")
		whole[name] = serverSeed{in: b, reads: []byte{}}
		chunks[name] = serverSeed{in: b[handshakeLen:], reads: []byte{}}
	}
	tags, err := readFLVFile(filepath.Join("..", "testdata", "media", "h264-aac-320x240.flv"))
	if err != nil {
		return nil, nil, err
	}
	publish, err := sim.OBSPublish("live", "obs", shortTags(tags[:8]))
	if err != nil {
		return nil, nil, err
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
	publishing := []message.Message{
		sim.Connect("live", 1),
		sim.Command(0, "createStream", 2, nil),
		sim.Command(1, "publish", 3, nil, "agg", "live"),
	}
	media := aggregateOf(aggregatePart(8, 0, []byte{0xaf, 1, 0x21}), aggregatePart(9, 40, []byte{0x27, 1, 0, 0, 0, 0xaa}))
	aggregate := message.Message{StreamID: 1, Body: message.Aggregate{Payload: media}}
	nested := message.Message{StreamID: 1, Body: message.Aggregate{Payload: nestedAggregate(media, 1000)}}
	sessions := map[string]struct {
		msgs  []message.Message
		wants []string
		merge bool // send the last two messages in one read
		ends  error
	}{
		"session-aggregate": {append(slices.Clone(publishing), aggregate), []string{"PublishingStarted", "AudioVideoDataReceived"}, false, nil},
		// A nested aggregate is refused, and ends the connection: no wants.
		"session-nested-aggregate":                {append(slices.Clone(publishing), aggregate, nested), nil, false, message.ErrNestedAggregate},
		"session-nested-aggregate-before-connect": {[]message.Message{nested}, nil, false, message.ErrNestedAggregate},
		"session-publish-deleted-in-same-read":    {vanishing, []string{"PublishStreamRequested", "StreamDeleted", "CallerError"}, true, nil},
		"session-obs-publish":                     {publish, []string{"PublishingStarted", "StreamMetaDataChanged", "AudioVideoDataReceived", "PublishingFinished"}, false, nil},
		"session-play":                            {sim.Play("live", "obs"), []string{"PlayStreamStarted", "PingResponseReceived", "PlayStreamFinished"}, false, nil},
		"session-amf3-publish":                    {inAMF3(publish), []string{"PublishingStarted", "StreamMetaDataChanged", "AudioVideoDataReceived", "PublishingFinished"}, false, nil},
		"session-amf3-play":                       {inAMF3(sim.Play("live", "obs")), []string{"PlayStreamStarted", "PingResponseReceived", "PlayStreamFinished"}, false, nil},
	}
	for name, s := range sessions {
		writes, err := sim.ClientReads(serverFuzzConfig, handshake.ClientConfig{Random: []byte(name)}, s.msgs)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		if s.merge {
			n := len(writes)
			writes = append(writes[:n-2], append(append([]byte(nil), writes[n-2]...), writes[n-1]...))
		}
		in, reads := joinWrites(writes)
		whole[name] = serverSeed{in: in, reads: reads, wants: s.wants, ends: s.ends}
		// writes[0] is C0+C1 and writes[1] is C2.
		in, reads = joinWrites(writes[2:])
		chunks[name] = serverSeed{in: in, reads: reads, wants: s.wants, ends: s.ends}
	}
	// The largest message a header can declare, in one chunk, before and
	// after the connect: the budget ends it at its header.
	for name, msgs := range map[string][]message.Message{"session-largest-message-before-connect": nil, "session-largest-message": publishing[:1]} {
		writes, err := sim.ClientReads(serverFuzzConfig, handshake.ClientConfig{Random: []byte(name)}, msgs)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		writes = append(writes, largestMessageStart())
		in, reads := joinWrites(writes)
		whole[name] = serverSeed{in: in, reads: reads, ends: serverconn.ErrMemoryBudget}
		in, reads = joinWrites(writes[2:])
		chunks[name] = serverSeed{in: in, reads: reads, ends: serverconn.ErrMemoryBudget}
	}
	// RTMPE only has a whole seed: FuzzServerChunks starts after a plain
	// handshake.
	in, reads, err := rtmpeConnectSeed()
	if err != nil {
		return nil, nil, err
	}
	whole["session-rtmpe-connect"] = serverSeed{in: in, reads: reads, wants: []string{"ConnectionRequested"}}
	return whole, chunks, nil
}

// inAMF3 is msgs as a client that chose AMF3 sends them: the connect asks
// for objectEncoding 3 with its object behind the AVM+ switch, and every
// command and data message is type 17 or 15 with AMF3 values.
func inAMF3(msgs []message.Message) []message.Message {
	out := make([]message.Message, len(msgs))
	for i, m := range msgs {
		if c, ok := m.Body.(message.Command); ok && c.Name == "connect" {
			obj, _ := c.Object.(amf0.Object)
			c.Object = append(slices.Clone(obj), amf0.Property{Key: "objectEncoding", Value: 3.0})
			m.Body = c
		}
		m.Body = message.InEncoding(m.Body, 3)
		out[i] = m
	}
	return out
}

// aggregatePart is one sub-message of an aggregate.
func aggregatePart(typ byte, ts uint32, payload []byte) []byte {
	n := len(payload)
	b := []byte{typ, byte(n >> 16), byte(n >> 8), byte(n), byte(ts >> 16), byte(ts >> 8), byte(ts), byte(ts >> 24), 0, 0, 1}
	b = append(b, payload...)
	return binary.BigEndian.AppendUint32(b, uint32(11+n))
}

func aggregateOf(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// nestedAggregate is depth aggregates, each the only part of the one
// around it, around inner (an aggregate's payload).
func nestedAggregate(inner []byte, depth int) []byte {
	total := len(inner) + depth*message.AggregateOverhead
	b := make([]byte, total)
	copy(b[depth*11:], inner)
	for i := range depth {
		size := len(inner) + (depth-1-i)*message.AggregateOverhead
		h := b[i*11:]
		h[0] = byte(message.TypeAggregate)
		h[1], h[2], h[3] = byte(size>>16), byte(size>>8), byte(size)
		binary.BigEndian.PutUint32(b[total-(i+1)*4:], uint32(11+size))
	}
	return b
}

// largestMessageStart is a Set Chunk Size to the largest chunk the
// decoder takes, then the header and first bytes of a video message of
// the largest size.
func largestMessageStart() []byte {
	b := []byte{2, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0}
	b = binary.BigEndian.AppendUint32(b, chunk.DefaultMaxChunkSize)
	n := chunk.MaxMessageLength
	b = append(b, 6, 0, 0, 0, byte(n>>16), byte(n>>8), byte(n), 9, 1, 0, 0, 0)
	return append(b, 0x17, 1, 0, 0, 0)
}

// rtmpeConnectSeed is an RTMPE client's C0+C1, C2 and connect, encrypted as
// the server of serverFuzzConfig expects: its keys come from its fixed
// random seed, so the same bytes decrypt the same way on every replay.
func rtmpeConnectSeed() (in, reads []byte, err error) {
	client := handshake.NewClient(handshake.ClientConfig{Encryption: true, Random: []byte("rtmpe seed")})
	srv := serverconn.New(serverFuzzConfig)
	srv.Feed(client.Hello())
	out, err := client.Feed(srv.TakeOutput(nil))
	if err != nil {
		return nil, nil, fmt.Errorf("rtmpe seed: %w", err)
	}
	ciphers, _ := client.Ciphers()
	connect := sim.Connect("live", 1)
	raw, err := message.Encode(connect)
	if err != nil {
		return nil, nil, err
	}
	var enc chunk.Encoder
	stream, err := enc.Append(nil, message.ChunkStreamID(connect.Body, connect.StreamID), raw)
	if err != nil {
		return nil, nil, err
	}
	ciphers.Out.XORKeyStream(stream, stream)
	in, reads = joinWrites([][]byte{client.Hello(), out.Send, stream})
	return in, reads, nil
}

// shortTags cuts audio and video data to its first bytes, which are all
// the session looks at (codec, frame type, packet type): whole frames
// would make the seeds kilobytes long, and every byte of a seed costs the
// fuzzer time to mutate and to minimize.
func shortTags(tags []flv.Tag) []flv.Tag {
	const keep = 16
	short := slices.Clone(tags)
	for i, t := range short {
		if t.Type != flv.TagScript && len(t.Data) > keep {
			short[i].Data = t.Data[:keep]
		}
	}
	return short
}

// joinWrites concatenates writes and lists their lengths as reads
// (big-endian uint16s, longer writes cut).
func joinWrites(writes [][]byte) (in, reads []byte) {
	in, reads = []byte{}, []byte{}
	for _, w := range writes {
		in = append(in, w...)
		for len(w) > 0 {
			n := min(len(w), 0xFFFF)
			reads = binary.BigEndian.AppendUint16(reads, uint16(n))
			w = w[n:]
		}
	}
	return in, reads
}

// endOf replays a seed after preamble accepting every request and returns
// the error of its Disconnect.
func endOf(preamble, in, reads []byte) error {
	c := serverconn.New(serverFuzzConfig)
	var handle func(fx []core.Effect)
	handle = func(fx []core.Effect) {
		for _, e := range fx {
			if id, ok := sim.RequestOf(e); ok {
				handle(c.Step(core.Accept{Request: id}))
			}
		}
	}
	handle(c.Feed(preamble))
	for len(reads) >= 2 {
		n := int(binary.BigEndian.Uint16(reads))
		handle(c.Feed(in[:n]))
		in, reads = in[n:], reads[2:]
	}
	handle(c.Feed(in))
	return c.Err()
}

// eventsOf replays a seed after preamble accepting every request and
// returns the names of the events it raised.
func eventsOf(t *testing.T, preamble, in, reads []byte) map[string]bool {
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
	if len(preamble) > 0 {
		handle(c.Feed(preamble))
	}
	for len(reads) >= 2 {
		n := int(binary.BigEndian.Uint16(reads))
		handle(c.Feed(in[:n]))
		in, reads = in[n:], reads[2:]
	}
	handle(c.Feed(in))
	return seen
}

// readFLVFile returns every tag of the FLV file at path, in order.
func readFLVFile(path string) ([]flv.Tag, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return flv.ReadAll(f)
}
