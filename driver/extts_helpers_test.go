package driver_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gortmp/rtmp/driver/dial"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/flv"
)

// shiftTags returns the tags with base added to every timestamp, modulo
// 2^32 as RTMP and FLV timestamps wrap.
func shiftTags(tags []flv.Tag, base uint32) []flv.Tag {
	out := make([]flv.Tag, len(tags))
	for i, tag := range tags {
		tag.Timestamp += base
		out[i] = tag
	}
	return out
}

// writeTags writes tags to a new FLV file with audio and video.
func writeTags(t *testing.T, file string, tags []flv.Tag) {
	t.Helper()
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w, err := flv.NewWriter(f, flv.Header{Version: 1, HasAudio: true, HasVideo: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range tags {
		if err := w.WriteTag(tag); err != nil {
			t.Fatal(err)
		}
	}
}

// extCounts is what a wireTap saw in one direction of its connections:
// where the 4-byte extended timestamp field appeared.
type extCounts struct {
	Chunks int
	// Headers counts type 0, 1 and 2 headers whose timestamp field said
	// 0xFFFFFF and so carried the extended field.
	Headers int
	// Continuations counts type-3 chunks in the middle of a message that
	// repeated the field, NewMessages type-3 chunks that started a new
	// message with it.
	Continuations, NewMessages int
	// Mismatches counts type-3 chunks whose field differs from the one
	// of the chunk stream's last header.
	Mismatches int
	// Err is the first framing error, if the bytes stopped making sense.
	Err error
}

// wireTap is a TCP proxy in front of target that reads the chunk headers
// of both directions as they pass. Its scanner is written straight from
// the specification, independent of codec/chunk, so a wrong encoder and
// a wrong decoder in our codec cannot agree behind a test's back: when a
// chunk-3 extended timestamp is missing or extra, the scanner loses the
// framing and reports it.
type wireTap struct {
	addr string
	ln   net.Listener
	wg   sync.WaitGroup

	mu        sync.Mutex
	conns     []net.Conn
	up, down  extCounts // client to server, server to client
	closed    bool
	closeOnce sync.Once

	// playStarts counts the NetStream.Play.Start statuses the server
	// sent: players it has taken, which a server that cannot say who
	// plays (nginx-rtmp) reveals this way.
	playStarts atomic.Int64
}

// startTap proxies a loopback port to target until the test ends.
func startTap(t *testing.T, target string) *wireTap {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w := &wireTap{addr: ln.Addr().String(), ln: ln}
	w.wg.Add(1)
	go w.accept(target)
	t.Cleanup(w.close)
	return w
}

func (w *wireTap) accept(target string) {
	defer w.wg.Done()
	for {
		c, err := w.ln.Accept()
		if err != nil {
			return
		}
		s, err := net.DialTimeout("tcp", target, 5*time.Second)
		if err != nil {
			c.Close()
			continue
		}
		w.mu.Lock()
		if w.closed {
			w.mu.Unlock()
			c.Close()
			s.Close()
			return
		}
		w.conns = append(w.conns, c, s)
		w.mu.Unlock()
		w.wg.Add(2)
		go w.pipe(s, c, &w.up, nil)
		go w.pipe(c, s, &w.down, &markCounter{mark: []byte("NetStream.Play.Start"), n: &w.playStarts})
	}
}

// pipe copies src to dst while scanning the bytes into counts, and
// counting a mark in them if marks is not nil; when either side ends it
// closes both.
func (w *wireTap) pipe(dst, src net.Conn, counts *extCounts, marks *markCounter) {
	defer w.wg.Done()
	pr, pw := io.Pipe()
	scanned := make(chan extCounts, 1)
	go func() {
		scanned <- scanChunks(pr)
		io.Copy(io.Discard, pr) // keep the copy flowing after an error
	}()
	var in io.Reader = src
	if marks != nil {
		in = io.TeeReader(src, marks)
	}
	io.Copy(dst, io.TeeReader(in, pw))
	pw.Close()
	got := <-scanned
	dst.Close()
	src.Close()
	w.mu.Lock()
	counts.add(got)
	w.mu.Unlock()
}

// markCounter counts the occurrences of mark in the bytes written to it,
// those that straddle two writes included.
type markCounter struct {
	mark []byte
	tail []byte // the last len(mark)-1 bytes seen
	n    *atomic.Int64
}

func (m *markCounter) Write(p []byte) (int, error) {
	buf := append(m.tail, p...)
	m.n.Add(int64(bytes.Count(buf, m.mark)))
	keep := min(len(buf), len(m.mark)-1)
	m.tail = append(m.tail[:0:0], buf[len(buf)-keep:]...)
	return len(p), nil
}

func (c *extCounts) add(o extCounts) {
	c.Chunks += o.Chunks
	c.Headers += o.Headers
	c.Continuations += o.Continuations
	c.NewMessages += o.NewMessages
	c.Mismatches += o.Mismatches
	if c.Err == nil {
		c.Err = o.Err
	}
}

// close stops the tap, closes every proxied connection and waits until
// their bytes are scanned; counts are final afterwards.
func (w *wireTap) close() {
	w.closeOnce.Do(func() {
		w.ln.Close()
		w.mu.Lock()
		w.closed = true
		for _, c := range w.conns {
			c.Close()
		}
		w.mu.Unlock()
		w.wg.Wait()
	})
}

// counts closes the tap and returns what each direction carried.
func (w *wireTap) counts() (up, down extCounts) {
	w.close()
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.up, w.down
}

// handshakeLen is C0+C1+C2 one way, S0+S1+S2 the other.
const handshakeLen = 1 + 1536 + 1536

// messageHeaderLens are the message header lengths of chunk types 0-3.
var messageHeaderLens = [4]int{11, 7, 3, 0}

// scanStream is what a reader knows about one chunk stream.
type scanStream struct {
	length, remaining uint32
	typeID            uint8
	extended          bool
	ext               uint32
	payload           []byte // of a Set Chunk Size being read
}

// scanChunks reads one direction of an RTMP connection after the
// handshake and counts extended timestamp fields (RTMP specification
// 5.3.1: a type-3 chunk carries the field whenever the last type 0, 1 or
// 2 header of its chunk stream did). It follows Set Chunk Size. The end
// of the bytes, anywhere, is not an error: connections are cut mid-chunk.
func scanChunks(r io.Reader) (c extCounts) {
	br := bufio.NewReaderSize(r, 64<<10)
	if _, err := io.CopyN(io.Discard, br, handshakeLen); err != nil {
		return c
	}
	chunkSize := uint32(128)
	streams := map[uint32]*scanStream{}
	var buf [11]byte
	for {
		b0, err := br.ReadByte()
		if err != nil {
			return c
		}
		format, csid := b0>>6, uint32(b0&0x3f)
		switch csid {
		case 0:
			if _, err := io.ReadFull(br, buf[:1]); err != nil {
				return c
			}
			csid = 64 + uint32(buf[0])
		case 1:
			if _, err := io.ReadFull(br, buf[:2]); err != nil {
				return c
			}
			csid = 64 + uint32(buf[0]) + uint32(buf[1])<<8
		}
		s := streams[csid]
		if s == nil {
			if format != 0 {
				c.Err = fmt.Errorf("chunk %d: type-%d header on new chunk stream %d", c.Chunks, format, csid)
				return c
			}
			s = &scanStream{}
			streams[csid] = s
		}
		hdr := buf[:messageHeaderLens[format]]
		if _, err := io.ReadFull(br, hdr); err != nil {
			return c
		}
		newMessage := format < 3 || s.remaining == 0
		if format < 3 {
			if s.remaining != 0 {
				c.Err = fmt.Errorf("chunk %d: type-%d header on chunk stream %d with %d bytes of a message left", c.Chunks, format, csid, s.remaining)
				return c
			}
			if format <= 1 {
				s.length = uint32(hdr[3])<<16 | uint32(hdr[4])<<8 | uint32(hdr[5])
				s.typeID = hdr[6]
			}
			s.extended = hdr[0] == 0xff && hdr[1] == 0xff && hdr[2] == 0xff
		}
		if s.extended {
			if _, err := io.ReadFull(br, buf[:4]); err != nil {
				return c
			}
			v := binary.BigEndian.Uint32(buf[:4])
			switch {
			case format < 3:
				s.ext = v
				c.Headers++
			case v != s.ext:
				c.Mismatches++
			}
			if format == 3 && newMessage {
				c.NewMessages++
			} else if format == 3 {
				c.Continuations++
			}
		}
		if newMessage {
			s.remaining = s.length
		}
		n := min(s.remaining, chunkSize)
		if s.typeID == 1 {
			start := len(s.payload)
			s.payload = append(s.payload, make([]byte, n)...)
			if _, err := io.ReadFull(br, s.payload[start:]); err != nil {
				return c
			}
		} else if _, err := io.CopyN(io.Discard, br, int64(n)); err != nil {
			return c
		}
		s.remaining -= n
		c.Chunks++
		if s.typeID == 1 && s.remaining == 0 {
			if len(s.payload) != 4 {
				c.Err = fmt.Errorf("chunk %d: Set Chunk Size of %d bytes", c.Chunks, len(s.payload))
				return c
			}
			chunkSize = binary.BigEndian.Uint32(s.payload) & 0x7fffffff
			s.payload = s.payload[:0]
			if chunkSize == 0 {
				c.Err = fmt.Errorf("chunk %d: Set Chunk Size 0", c.Chunks)
				return c
			}
		}
	}
}

// publishTags publishes tags at speed times real time, paced by each
// tag's distance from the first (modulo 2^32, so a stream that wraps
// keeps its pace), and returns the number written.
func publishTags(ctx context.Context, pub *dial.Publication, tags []flv.Tag, speed float64) (int, error) {
	start := time.Now()
	for i, tag := range tags {
		since := tag.Timestamp - tags[0].Timestamp
		due := start.Add(time.Duration(float64(since) / speed * float64(time.Millisecond)))
		select {
		case <-time.After(time.Until(due)):
		case <-ctx.Done():
			return i, ctx.Err()
		}
		if err := pub.WriteTag(tag); err != nil {
			return i, err
		}
	}
	return len(tags), nil
}

// extBoundary is the first timestamp that no longer fits the 24-bit
// field of a chunk header (4 h 39 min 37.215 s of stream time).
const extBoundary = 0xFFFFFF

// withCuePoint inserts an onCuePoint script tag of about size bytes right
// before the first tag whose timestamp needs the extended field. Our
// publisher sends data messages on their own chunk stream, where the last
// message (the metadata) is stamped 0, so the cue point's header carries
// a delta of at least 0xFFFFFF: the extended field on a type-1 header and
// on every type-3 continuation of a message split into several chunks,
// which the compressed audio and video headers never need.
func withCuePoint(t *testing.T, tags []flv.Tag, size int) []flv.Tag {
	t.Helper()
	i := slices.IndexFunc(tags, func(tag flv.Tag) bool { return tag.Type != flv.TagScript && tag.Timestamp >= extBoundary })
	if i < 0 {
		t.Fatal("no tag past the 24-bit boundary")
	}
	data, err := amf0.Append(nil, "onCuePoint", amf0.Object{
		{Key: "name", Value: "extended timestamp"},
		{Key: "type", Value: "event"},
		{Key: "padding", Value: strings.Repeat("x", size)},
	})
	if err != nil {
		t.Fatal(err)
	}
	cue := flv.Tag{Type: flv.TagScript, Timestamp: tags[i].Timestamp, Data: data}
	return slices.Insert(slices.Clone(tags), i, cue)
}

// waitStatus waits for the peer to exit and fails the test unless its
// exit status is 0 or allowed, returning the status.
func (p *peer) waitStatus(t *testing.T, allowed int) int {
	t.Helper()
	err := <-p.done
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit) && exit.ExitCode() == allowed:
		return allowed
	}
	t.Fatalf("%s %v: %v\n%s", p.name, p.cmd.Args[1:], err, p.stderr.String())
	return -1
}

// checkTags compares the audio and the video tags of a player's FLV file
// with the published ones: per media type the same order and bytes, and
// one timestamp offset for all, modulo 2^32, which it returns. (Servers
// may interleave audio and video differently: nginx-rtmp sends its cached
// sequence headers audio first.) A player may lose up to maxMissing tags
// of each type at the end, because it was stopped while writing them.
func checkTags(t *testing.T, who, file string, published []flv.Tag, maxMissing int) uint32 {
	t.Helper()
	played := readTags(t, file)
	var offset uint32
	first := true
	for _, typ := range []flv.TagType{flv.TagAudio, flv.TagVideo} {
		ofType := func(tags []flv.Tag) []flv.Tag {
			return slices.DeleteFunc(slices.Clone(tags), func(tag flv.Tag) bool { return tag.Type != typ })
		}
		got, want := ofType(played), ofType(published)
		if len(got) == 0 || len(got) > len(want) || len(got) < len(want)-maxMissing {
			t.Errorf("%s: %d tags of type %d, published %d", who, len(got), typ, len(want))
			return offset
		}
		if first {
			offset, first = got[0].Timestamp-want[0].Timestamp, false
		}
		for i, g := range got {
			w := want[i]
			if !bytes.Equal(g.Data, w.Data) {
				t.Errorf("%s: tag %d of type %d (%d bytes) is not the published one (%d bytes)", who, i, typ, len(g.Data), len(w.Data))
				return offset
			}
			if g.Timestamp-w.Timestamp != offset {
				t.Errorf("%s: tag %d of type %d at %#x, published at %#x: offset %#x, first was %#x", who, i, typ, g.Timestamp, w.Timestamp, g.Timestamp-w.Timestamp, offset)
				return offset
			}
		}
		t.Logf("%s: %d of %d tags of type %d, timestamps %#x..%#x, offset %#x", who, len(got), len(want), typ, got[0].Timestamp, got[len(got)-1].Timestamp, offset)
	}
	return offset
}
