package driver

import (
	"bytes"
	"crypto/rc4"
	"testing"

	"pgregory.net/rapid"
)

// On an RTMPE connection the writer gets, over any split into items and
// takes, the plain bytes of the handshake's answer and then the RC4
// stream of everything after, in queue order; the queued slices, which
// relayed media shares with other connections, stay as they were.
func TestQueueSealsAfterPlainBytes(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		key := rapid.SliceOfN(rapid.Byte(), 1, 32).Draw(t, "key")
		plain := rapid.IntRange(0, 64).Draw(t, "plain")
		parts := rapid.SliceOfN(rapid.SliceOfN(rapid.Byte(), 0, 50), 1, 12).Draw(t, "items")
		takeAfter := rapid.SliceOfN(rapid.Bool(), len(parts), len(parts)).Draw(t, "take after")

		c, _ := rc4.NewCipher(key)
		q := newSendQueue(1 << 20)
		q.encryptAfter(plain, c)
		var queued, got [][]byte
		var all []byte
		for i, p := range parts {
			q.pushMediaAt(p, 0, len(p), nil)
			queued = append(queued, bytes.Clone(p))
			all = append(all, p...)
			if takeAfter[i] {
				// As the writer: a batch is written before the next
				// take, which may reuse its buffer.
				items, _ := q.take(nil)
				for _, it := range items {
					got = append(got, bytes.Clone(it.b))
				}
				q.written()
			}
		}
		items, _ := q.take(nil)
		for _, it := range items {
			got = append(got, it.b)
		}

		want := bytes.Clone(all)
		ref, _ := rc4.NewCipher(key)
		if plain < len(want) {
			ref.XORKeyStream(want[plain:], want[plain:])
		}
		if g := bytes.Join(got, nil); !bytes.Equal(g, want) {
			t.Fatalf("writer got %x, want %x", g, want)
		}
		for i, p := range parts {
			if !bytes.Equal(p, queued[i]) {
				t.Fatalf("queued item %d changed: %x, was %x", i, p, queued[i])
			}
		}
	})
}
