package handshake_test

import (
	"github.com/gortmp/rtmp/codec/handshake"
	"pgregory.net/rapid"
)

// machine is what Server and Client have in common.
type machine interface {
	Feed([]byte) (handshake.Output, error)
}

// fed is everything a machine produced over a sequence of Feeds.
type fed struct {
	Sent  []byte // every Output.Send, concatenated
	Rest  []byte // every Output.Rest, concatenated
	State handshake.State
	Err   error
}

// feed hands data to m in pieces of the given sizes (cycled; a size below
// one means one byte), stopping at the first error.
func feed(m machine, data []byte, sizes []int) fed {
	var r fed
	for i := 0; len(data) > 0; i++ {
		n := 1
		if len(sizes) > 0 {
			n = max(1, sizes[i%len(sizes)])
		}
		n = min(n, len(data))
		out, err := m.Feed(data[:n])
		data = data[n:]
		r.Sent = append(r.Sent, out.Send...)
		r.Rest = append(r.Rest, out.Rest...)
		r.State, r.Err = out.State, err
		if err != nil {
			break
		}
	}
	return r
}

// splits draws how a stream is cut into reads: one byte at a time, whole,
// or pieces of random sizes.
func splits(t *rapid.T, label string) []int {
	switch rapid.IntRange(0, 3).Draw(t, label+"Mode") {
	case 0:
		return []int{1}
	case 1:
		return []int{1 << 20}
	}
	return rapid.SliceOfN(rapid.IntRange(1, 2000), 1, 8).Draw(t, label+"Sizes")
}

// concat joins byte slices into a new one.
func concat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}
