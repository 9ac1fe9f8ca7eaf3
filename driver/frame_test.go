package driver_test

import (
	"bytes"
	"io"
	"net/http/httputil"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/gortmp/rtmp/codec/chunk"
	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/message"
	"github.com/gortmp/rtmp/driver"
	"pgregory.net/rapid"
)

// TestFrameBytes checks that a frame's shared bytes decode, on a fresh
// decoder at that chunk size, to the message itself, and that each
// (chunk size, stream id) is encoded once.
func TestFrameBytes(t *testing.T) {
	payload := make([]byte, 10000)
	for i := range payload {
		payload[i] = byte(i)
	}
	f := driver.NewFrame(message.TypeVideo, 0x1000000, payload) // extended timestamp
	for _, size := range []uint32{128, 4096, 60000} {
		for _, sid := range []uint32{1, 7} {
			b, err := f.Bytes(size, sid)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := f.Bytes(size, sid)
			if &again[0] != &b[0] {
				t.Errorf("size %d stream %d encoded twice", size, sid)
			}
			dec := chunk.NewDecoder(chunk.DecoderConfig{})
			if size != 128 {
				// Tell the decoder the chunk size as the session would.
				scs, _ := message.Encode(message.Message{Body: message.SetChunkSize{Size: size}})
				var enc chunk.Encoder
				pre, _ := enc.Append(nil, 2, scs)
				if _, err := dec.Feed(nil, pre); err != nil {
					t.Fatal(err)
				}
			}
			msgs, err := dec.Feed(nil, b)
			if err != nil {
				t.Fatal(err)
			}
			want := []chunk.Message{{Timestamp: 0x1000000, TypeID: 9, StreamID: sid, Payload: payload}}
			if diff := cmp.Diff(want, msgs); diff != "" {
				t.Errorf("size %d stream %d: %s", size, sid, diff)
			}
		}
	}
}

func BenchmarkFrameBytes(b *testing.B) {
	payload := make([]byte, 12000) // a 3 Mbit/s frame at 30 fps
	b.ReportAllocs()
	b.SetBytes(int64(len(payload)))
	for b.Loop() {
		f := driver.NewFrame(message.TypeVideo, 40, payload)
		// One encoding serves any number of players with this key.
		for range 100 {
			if _, err := f.Bytes(4096, 1); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// A frame's HTTP chunk is one chunk of chunked transfer coding whose data
// is the message as an FLV tag with its trailer, made once.
func TestFrameHTTPChunk(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		typ := rapid.SampledFrom([]message.TypeID{message.TypeAudio, message.TypeVideo, message.TypeDataAMF0}).Draw(rt, "type")
		ts := rapid.Uint32().Draw(rt, "timestamp")
		payload := rapid.SliceOfN(rapid.Byte(), 0, 5000).Draw(rt, "payload")
		f := driver.NewFrame(typ, ts, payload)
		b := f.HTTPChunk()
		if again := f.HTTPChunk(); &again[0] != &b[0] {
			rt.Fatal("made twice")
		}
		// The chunk, then the end of the body, read as a chunked body.
		body, err := io.ReadAll(httputil.NewChunkedReader(bytes.NewReader(append(append([]byte(nil), b...), "0\r\n\r\n"...))))
		if err != nil {
			rt.Fatalf("not a chunk: %v (%q)", err, b)
		}
		tag := flv.Tag{Type: flv.TagType(typ), Timestamp: ts, Data: payload}
		want, _ := flv.AppendTag(nil, tag)
		if !bytes.Equal(body, want) {
			rt.Fatalf("chunk data %x, want the tag %x", body, want)
		}
		var file bytes.Buffer
		flv.NewWriter(&file, flv.Header{Version: 1, HasAudio: true, HasVideo: true})
		file.Write(body)
		tags, err := flv.ReadAll(&file)
		if err != nil || len(tags) != 1 {
			rt.Fatalf("the file of that tag reads %v, %v", tags, err)
		}
		if diff := cmp.Diff(tag, tags[0], cmpopts.EquateEmpty()); diff != "" {
			rt.Fatalf("tag (-want +got):\n%s", diff)
		}
	})
}
