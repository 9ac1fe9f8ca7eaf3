package chunk_test

import (
	"encoding/binary"
	"fmt"
	"os"
	"testing"

	"github.com/gortmp/rtmp/codec/chunk"
)

// mediaMix is a realistic 3 Mbit/s H.264+AAC publish: the tag sizes and
// timestamps of the 640x360 sample (25 fps, keyframe every second, stereo
// AAC), with video payloads scaled up so the whole runs at 3 Mbit/s.
type mediaMix struct {
	csids []uint32
	msgs  []chunk.Message
	bytes int
}

func loadMediaMix(b *testing.B) mediaMix {
	b.Helper()
	flv, err := os.ReadFile("../../testdata/media/h264-aac-640x360.flv")
	if err != nil {
		b.Fatal(err)
	}
	type tag struct {
		typ  uint8
		size int
		ts   uint32
	}
	var tags []tag
	var audioBytes, videoBytes int
	var last uint32
	for off := int(binary.BigEndian.Uint32(flv[5:9])) + 4; off+11 <= len(flv); {
		tg := tag{typ: flv[off], size: int(flv[off+1])<<16 | int(flv[off+2])<<8 | int(flv[off+3])}
		tg.ts = uint32(flv[off+4])<<16 | uint32(flv[off+5])<<8 | uint32(flv[off+6]) | uint32(flv[off+7])<<24
		off += 11 + tg.size + 4
		switch tg.typ {
		case 8:
			audioBytes += tg.size
		case 9:
			videoBytes += tg.size
		default:
			continue
		}
		tags = append(tags, tg)
		last = max(last, tg.ts)
	}
	const bitrate = 3_000_000
	target := int(float64(bitrate) / 8 * float64(last+40) / 1000)
	scale := float64(target-audioBytes) / float64(videoBytes)
	var mix mediaMix
	for i, tg := range tags {
		size, csid := tg.size, uint32(4)
		if tg.typ == 9 {
			size, csid = int(float64(size)*scale), 6
		}
		mix.csids = append(mix.csids, csid)
		mix.msgs = append(mix.msgs, chunk.Message{Timestamp: tg.ts, TypeID: tg.typ, StreamID: 1, Payload: pattern(size, byte(i))})
		mix.bytes += size
	}
	return mix
}

// encodeMix writes the mix at chunkSize, starting with Set Chunk Size when
// it is not the default.
func encodeMix(b *testing.B, enc *chunk.Encoder, dst []byte, mix mediaMix, chunkSize uint32) []byte {
	var err error
	if chunkSize != chunk.DefaultChunkSize {
		if dst, err = enc.Append(dst, 2, setChunkSize(chunkSize)); err != nil {
			b.Fatal(err)
		}
	}
	for i, m := range mix.msgs {
		if dst, err = enc.Append(dst, mix.csids[i], m); err != nil {
			b.Fatal(err)
		}
	}
	return dst
}

// BenchmarkChunkDecode decodes the whole mix per operation, fed in 64 KiB
// reads as a socket would deliver it, with a decoder that lives across
// operations as it would across a connection.
func BenchmarkChunkDecode(b *testing.B) {
	mix := loadMediaMix(b)
	for _, size := range []uint32{128, 4096} {
		b.Run(fmt.Sprintf("chunk%d", size), func(b *testing.B) {
			wire := encodeMix(b, chunk.NewEncoder(), nil, mix, size)
			dec := chunk.NewDecoder(chunk.DecoderConfig{})
			msgs := make([]chunk.Message, 0, 64)
			b.SetBytes(int64(len(wire)))
			b.ReportAllocs()
			b.ResetTimer()
			count := 0
			for b.Loop() {
				for rest := wire; len(rest) > 0; {
					n := min(len(rest), 64<<10)
					var err error
					if msgs, err = dec.Feed(msgs[:0], rest[:n]); err != nil {
						b.Fatal(err)
					}
					count += len(msgs)
					rest = rest[n:]
				}
			}
			b.ReportMetric(float64(count)/float64(b.N), "msgs/op")
		})
	}
}

// BenchmarkChunkEncode encodes the whole mix per operation into a reused
// buffer, with an encoder that lives across operations.
func BenchmarkChunkEncode(b *testing.B) {
	mix := loadMediaMix(b)
	for _, size := range []uint32{128, 4096} {
		b.Run(fmt.Sprintf("chunk%d", size), func(b *testing.B) {
			enc := chunk.NewEncoder()
			out := encodeMix(b, enc, nil, mix, size)
			b.SetBytes(int64(len(out)))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				out = encodeMix(b, enc, out[:0], mix, size)
			}
			b.ReportMetric(float64(len(mix.msgs)), "msgs/op")
		})
	}
}
