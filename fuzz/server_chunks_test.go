package fuzz

import (
	"sync"
	"testing"

	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/core/sim"
)

// serverPreamble is a simple-form C0+C1+C2 that the server of
// serverFuzzConfig accepts, computed once: the simple form costs the
// server no HMACs, which keeps it cheap to replay before every input.
var serverPreamble = sync.OnceValues(func() ([]byte, error) {
	writes, err := sim.ClientReads(serverFuzzConfig, handshake.ClientConfig{Form: handshake.FormSimple, Random: []byte("preamble")}, nil)
	if err != nil {
		return nil, err
	}
	var b []byte
	for _, w := range writes {
		b = append(b, w...)
	}
	return b, nil
})

// FuzzServerChunks is FuzzServerBytes started after the handshake: a
// fixed C0+C1+C2 opens the connection, and in (cut by reads, as there) is
// the client's chunk stream. The handshake's 3073 bytes would otherwise
// be most of every input, soaking up mutations and minimization time that
// the chunk decoder and the session should get. The checks are those of
// FuzzServerBytes.
func FuzzServerChunks(f *testing.F) {
	preamble, err := serverPreamble()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, in, reads []byte) {
		checkServer(t, preamble, in, reads)
	})
}

// TestServerChunksSeeds is TestServerBytesSeeds for FuzzServerChunks.
func TestServerChunksSeeds(t *testing.T) {
	preamble, err := serverPreamble()
	if err != nil {
		t.Fatal(err)
	}
	if len(preamble) != 1+2*handshake.PacketSize {
		t.Fatalf("preamble is %d bytes", len(preamble))
	}
	_, seeds, err := serverSeeds()
	if err != nil {
		t.Fatal(err)
	}
	testServerSeeds(t, "FuzzServerChunks", preamble, seeds)
}

// BenchmarkServerSeeds runs the seeds of both server targets through
// their fuzz functions, which is most of what one fuzzing exec costs.
func BenchmarkServerSeeds(b *testing.B) {
	preamble, err := serverPreamble()
	if err != nil {
		b.Fatal(err)
	}
	whole, chunks, err := serverSeeds()
	if err != nil {
		b.Fatal(err)
	}
	for _, target := range []struct {
		name     string
		preamble []byte
		seeds    map[string]serverSeed
	}{{"Bytes", nil, whole}, {"Chunks", preamble, chunks}} {
		b.Run(target.name, func(b *testing.B) {
			size := 0
			for _, s := range target.seeds {
				size += len(target.preamble) + len(s.in) + len(s.reads)
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, s := range target.seeds {
					checkServer(b, target.preamble, s.in, s.reads)
				}
			}
		})
	}
}
