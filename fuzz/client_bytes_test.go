package fuzz

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/client"
	"github.com/gortmp/rtmp/core/clientconn"
	"github.com/gortmp/rtmp/core/serverconn"
)

var rewriteClientCorpus = flag.Bool("rewrite-client-corpus", false, "rewrite the recorded seeds of FuzzClientBytes")

// clientBytesConfig is the client every FuzzClientBytes input talks to.
// Its handshake is lenient so that mutated S2s still reach the chunk
// stream, its seed is fixed so that the recorded servers' answers verify,
// and its limits are small so that inputs reach them.
func clientBytesConfig(encrypted bool) clientconn.Config {
	return clientconn.Config{
		Decoder:     clientFuzzDecoder,
		Handshake:   handshake.ClientConfig{Random: []byte("fuzz client"), Lenient: true, Encryption: encrypted},
		ReportEvery: 1024,
		MaxOutput:   256 << 10,
	}
}

// FuzzClientBytes feeds server bytes through the whole client pipeline of
// clientconn, as the client driver does with a socket's reads: handshake,
// chunk decoder, session, encoder. encrypted makes the client offer RTMPE.
// reads cuts the input into reads (big-endian uint16 lengths; what they
// leave is one last read); between reads the application reacts to the
// events (createStream twice, publish on the first stream, play on the
// second, a video message to every publishing stream) and the clock moves
// on 50 ms. It must never panic, never hold more than its limits, end
// terminal after a Disconnect, send only what a server can decode, and
// give a passive application the same events whether the input comes
// whole or cut at points derived from it.
func FuzzClientBytes(f *testing.F) {
	f.Fuzz(func(t *testing.T, encrypted bool, in, reads []byte) {
		checkClientBytes(t, encrypted, in, reads)
	})
}

// clientApp is the application of a fuzzed client: it reacts to the
// session's events as a publisher and a player on one connection would.
type clientApp struct {
	c          *clientconn.Conn
	publishing []uint32
	events     []string
}

// handle checks the effects of one call and reacts to them.
func (a *clientApp) handle(t testing.TB, fx []client.Effect) {
	for len(fx) > 0 {
		e := fx[0]
		fx = fx[1:]
		a.events = append(a.events, client.DescribeEffect(e))
		var next client.Input
		switch e := e.(type) {
		case client.Disconnect:
			if len(fx) > 0 || a.c.State() != clientconn.Closed {
				t.Fatalf("Disconnect followed by %d effects, state %v", len(fx), a.c.State())
			}
		case client.CallerError:
			t.Fatalf("caller error: %v", e.Err)
		case client.Connected:
			fx = append(fx, a.c.Step(client.CreateStream{Request: 1})...)
			next = client.CreateStream{Request: 2}
		case client.StreamCreated:
			if e.Request == 1 {
				next = client.Publish{StreamID: e.StreamID, Name: "fuzz"}
			} else {
				next = client.Play{StreamID: e.StreamID, Name: "fuzz", Start: -2}
			}
		case client.PublishStarted:
			a.publishing = append(a.publishing, e.StreamID)
			next = client.SendMetaData{StreamID: e.StreamID, MetaData: amf0.ECMAArray{{Key: "width", Value: 320.0}}}
		case client.PublishFinished:
			a.publishing = removeID(a.publishing, e.StreamID)
		}
		if next != nil {
			fx = append(fx, a.c.Step(next)...)
		}
	}
	b, l := a.c.Buffered(), a.c.Limits()
	if b.DecoderBuffered > l.DecoderBuffered || b.Output > l.Output {
		t.Fatalf("holding %+v beyond %+v", b, l)
	}
}

func removeID(ids []uint32, id uint32) []uint32 {
	var out []uint32
	for _, x := range ids {
		if x != id {
			out = append(out, x)
		}
	}
	return out
}

func checkClientBytes(t testing.TB, encrypted bool, in, reads []byte) {
	c := clientconn.New(clientBytesConfig(encrypted))
	app := &clientApp{c: c}
	out := &clientOutputChecker{encrypted: encrypted, dec: chunk.NewDecoder(chunk.DecoderConfig{MaxChunkSize: chunk.MaxChunkSize})}
	var pending []byte
	take := func() {
		pending = c.TakeOutput(pending[:0])
		if err := out.feed(pending); err != nil {
			t.Fatal(err)
		}
	}
	app.handle(t, c.Step(client.Connect{App: "live", TCURL: "rtmp://127.0.0.1/live"}))
	take()
	var now time.Duration
	rest, cuts := in, reads
	for len(rest) > 0 {
		n := len(rest)
		if len(cuts) >= 2 {
			n = min(int(binary.BigEndian.Uint16(cuts)), n)
			cuts = cuts[2:]
		}
		app.handle(t, c.Feed(rest[:n]))
		rest = rest[n:]
		now += 50 * time.Millisecond
		app.handle(t, c.Tick(now))
		for _, id := range app.publishing {
			app.handle(t, c.Step(client.SendMessage{StreamID: id, Timestamp: uint32(now / time.Millisecond), Body: message.Video{Payload: keyframeNALU}}))
		}
		take()
	}
	wasClosed := c.State() == clientconn.Closed
	fx := c.Step(client.Close{})
	if wasClosed != (fx == nil) {
		t.Fatalf("Close on a conn closed=%v gave %v", wasClosed, fx)
	}
	app.handle(t, fx)
	take()
	if c.State() != clientconn.Closed || c.Feed([]byte{3}) != nil || c.Tick(time.Hour) != nil || c.Step(client.Close{}) != nil {
		t.Fatalf("not terminal after Close: %v", c.State())
	}
	if out.dec.Buffered() != 0 {
		t.Fatalf("output ends inside a message (%d bytes buffered)", out.dec.Buffered())
	}

	// A passive application (connect, then nothing) sees the same events
	// whatever the cut of the input.
	whole := passiveClient(encrypted, [][]byte{in})
	cut := passiveClient(encrypted, cutAtInput(in))
	if diff := cmp.Diff(whole, cut); diff != "" {
		t.Fatalf("events differ when the input is cut (-whole +cut):\n%s", diff)
	}
}

// passiveClient feeds the pieces to a client that connects and does
// nothing else, and returns its events.
func passiveClient(encrypted bool, pieces [][]byte) []string {
	c := clientconn.New(clientBytesConfig(encrypted))
	var events []string
	note := func(fx []client.Effect) {
		for _, e := range fx {
			events = append(events, client.DescribeEffect(e))
		}
	}
	note(c.Step(client.Connect{App: "live", TCURL: "rtmp://127.0.0.1/live"}))
	for _, p := range pieces {
		note(c.Feed(p))
		c.TakeOutput(nil)
	}
	return events
}

// cutAtInput cuts in into pieces whose lengths its own bytes give (1 to
// 256), so that every input is also tried in small reads.
func cutAtInput(in []byte) [][]byte {
	var pieces [][]byte
	for i := 0; len(in) > 0; i++ {
		n := min(int(in[i%len(in)])+1, len(in))
		pieces = append(pieces, in[:n])
		in = in[n:]
	}
	return pieces
}

// clientOutputChecker is a server reading the client: C0+C1 and C2, then
// chunks, which must decode (unless RTMPE encrypts them).
type clientOutputChecker struct {
	encrypted bool
	hs        int // handshake bytes seen
	dec       *chunk.Decoder
	raw       []chunk.Message
}

func (o *clientOutputChecker) feed(p []byte) error {
	const hsLen = clientconn.HelloLen + handshake.PacketSize
	if o.hs < hsLen {
		n := min(hsLen-o.hs, len(p))
		if o.hs == 0 && n > 0 && p[0] != handshake.Version && p[0] != handshake.VersionEncrypted {
			return fmt.Errorf("C0 is %d", p[0])
		}
		o.hs += n
		p = p[n:]
	}
	if o.encrypted {
		return nil
	}
	var err error
	o.raw, err = o.dec.Feed(o.raw[:0], p)
	if err != nil {
		return fmt.Errorf("a server's decoder refuses the client's chunks: %w", err)
	}
	for _, r := range o.raw {
		if _, err := message.Decode(r); err != nil {
			return fmt.Errorf("client sent message type %d that does not decode: %w", r.TypeID, err)
		}
	}
	clear(o.raw)
	return nil
}

// bytesSeed is one recorded server: its reads and the events the fuzzed
// client must reach replaying them.
type bytesSeed struct {
	encrypted bool
	in, reads []byte
	wants     []string
}

// recordServer runs the fuzz harness's client against a serverconn that
// accepts everything and records what the server sends, one read per
// answer. After a play starts the server sends it media a few times.
func recordServer(encrypted bool) ([]byte, []byte, error) {
	srv := serverconn.New(serverconn.Config{Handshake: handshake.ServerConfig{Random: []byte("fuzz server"), Encryption: true}})
	c := clientconn.New(clientBytesConfig(encrypted))
	app := &clientApp{c: c}
	var failed error
	tb := &recordTB{fail: func(s string) { failed = fmt.Errorf("%s", s) }}
	var playing []uint32
	var seal *serverconn.OutputCipher
	handleServer := func(fx []core.Effect) {
		for len(fx) > 0 {
			e := fx[0]
			fx = fx[1:]
			switch e := e.(type) {
			case core.ConnectionRequested:
				fx = append(fx, srv.Step(core.Accept{Request: e.Request})...)
			case core.PublishStreamRequested:
				fx = append(fx, srv.Step(core.Accept{Request: e.Request})...)
			case core.PlayStreamRequested:
				fx = append(fx, srv.Step(core.Accept{Request: e.Request})...)
			case core.PlayStreamStarted:
				playing = append(playing, e.StreamID)
			case serverconn.OutputCipher:
				seal = &e
			}
		}
	}
	app.handle(tb, c.Step(client.Connect{App: "live", TCURL: "rtmp://127.0.0.1/live"}))
	var writes [][]byte
	var now time.Duration
	for round := 0; round < 50 && failed == nil; round++ {
		handleServer(srv.Feed(c.TakeOutput(nil)))
		if round > 2 {
			for _, id := range playing {
				handleServer(srv.Step(core.SendMessage{StreamID: id, Timestamp: uint32(round * 40), ForceTimestamp: true, Body: message.Video{Payload: keyframeNALU}}))
			}
		}
		start := srv.Sent()
		w := srv.TakeOutput(nil)
		if seal != nil {
			k := 0
			if start < seal.From {
				k = min(int(seal.From-start), len(w))
			}
			seal.Cipher.XORKeyStream(w[k:], w[k:])
		}
		if len(w) == 0 {
			break
		}
		writes = append(writes, w)
		// The harness's steps, in its order: feed, tick, media.
		app.handle(tb, c.Feed(w))
		now += 50 * time.Millisecond
		app.handle(tb, c.Tick(now))
		for _, id := range app.publishing {
			app.handle(tb, c.Step(client.SendMessage{StreamID: id, Timestamp: uint32(now / time.Millisecond), Body: message.Video{Payload: keyframeNALU}}))
		}
	}
	in, reads := joinWrites(writes)
	return in, reads, failed
}

// recordTB fails a recording instead of a test.
type recordTB struct {
	testing.TB
	fail func(string)
}

func (r *recordTB) Fatalf(format string, args ...any) { r.fail(fmt.Sprintf(format, args...)) }

func recordedClientSeeds() (map[string]bytesSeed, error) {
	seeds := map[string]bytesSeed{}
	wants := []string{"Connected", "StreamCreated", "PublishStarted", "PlayStarted", "MediaReceived"}
	for name, encrypted := range map[string]bool{"recorded-publish-and-play": false, "recorded-rtmpe-publish-and-play": true} {
		in, reads, err := recordServer(encrypted)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		seeds[name] = bytesSeed{encrypted: encrypted, in: in, reads: reads, wants: wants}
	}
	return seeds, nil
}

// TestClientBytesSeeds checks that the corpus holds the recorded seeds
// (writing them under -rewrite-client-corpus), that each replays through
// the fuzz function, and that the replay reaches publishing, playing and
// media.
func TestClientBytesSeeds(t *testing.T) {
	seeds, err := recordedClientSeeds()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzClientBytes")
	for name, s := range seeds {
		body := fmt.Sprintf("go test fuzz v1\nbool(%v)\n[]byte(%q)\n[]byte(%q)\n", s.encrypted, s.in, s.reads)
		if *rewriteClientCorpus {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Run(name, func(t *testing.T) {
			got, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil || !bytes.Equal(got, []byte(body)) {
				t.Errorf("corpus file %s is missing or stale (run with -rewrite-client-corpus): %v", name, err)
			}
			checkClientBytes(t, s.encrypted, s.in, s.reads)
			c := clientconn.New(clientBytesConfig(s.encrypted))
			app := &clientApp{c: c}
			app.handle(t, c.Step(client.Connect{App: "live", TCURL: "rtmp://127.0.0.1/live"}))
			in, reads := s.in, s.reads
			var now time.Duration
			for len(reads) >= 2 {
				n := int(binary.BigEndian.Uint16(reads))
				app.handle(t, c.Feed(in[:n]))
				in, reads = in[n:], reads[2:]
				now += 50 * time.Millisecond
				app.handle(t, c.Tick(now))
				for _, id := range app.publishing {
					app.handle(t, c.Step(client.SendMessage{StreamID: id, Timestamp: uint32(now / time.Millisecond), Body: message.Video{Payload: keyframeNALU}}))
				}
			}
			seen := strings.Join(app.events, "\n")
			for _, w := range s.wants {
				if !strings.Contains(seen, w+"{") {
					t.Errorf("the seed never reaches %s; events:\n%s", w, seen)
				}
			}
		})
	}
}
