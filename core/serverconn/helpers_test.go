package serverconn_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/gortmp/rtmp/codec/flv"
	"github.com/gortmp/rtmp/codec/handshake"
	"github.com/gortmp/rtmp/core"
	"github.com/gortmp/rtmp/core/serverconn"
	"github.com/gortmp/rtmp/core/sim"
)

// captureConfig is the server the captures were recorded against.
var captureConfig = serverconn.Config{
	Handshake: handshake.ServerConfig{Random: []byte("testdata/captures"), Lenient: true},
}

// run is one connection's transcript: the effects in order (the accepts
// the application answered with included) and every output byte.
type run struct {
	Effects []core.Effect
	Output  []byte
}

// feedAll feeds the pieces one by one, accepting every request at once as
// an application that says yes to everything would.
func feedAll(c *serverconn.Conn, pieces [][]byte) run {
	var r run
	handle := func(fx []core.Effect) {
		for len(fx) > 0 {
			e := fx[0]
			fx = fx[1:]
			r.Effects = append(r.Effects, e)
			if id, ok := sim.RequestOf(e); ok {
				fx = append(fx, c.Step(core.Accept{Request: id})...)
			}
		}
	}
	for _, p := range pieces {
		handle(c.Feed(p))
		r.Output = c.TakeOutput(r.Output)
	}
	return r
}

// split cuts b at the given offsets (taken modulo len(b), sorted by the caller or not).
func split(b []byte, cuts []int) [][]byte {
	var pieces [][]byte
	last := 0
	for _, c := range cuts {
		if len(b) == 0 {
			break
		}
		c %= len(b)
		if c > last {
			pieces = append(pieces, b[last:c])
			last = c
		}
	}
	return append(pieces, b[last:])
}

func mustFLV(t testing.TB) []flv.Tag {
	t.Helper()
	m, err := readFLVFile("../../testdata/media/h264-aac-320x240.flv")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func typeString(e core.Effect) string { return fmt.Sprintf("%T", e) }

// readFLVFile returns every tag of the FLV file at path, in order.
func readFLVFile(path string) ([]flv.Tag, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return flv.ReadAll(f)
}
