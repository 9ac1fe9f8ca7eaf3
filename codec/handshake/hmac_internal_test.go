package handshake

import (
	"crypto/hmac"
	"crypto/sha256"
	"testing"

	"pgregory.net/rapid"
)

// Our allocation-free HMAC must agree with the standard library's for keys
// shorter and longer than the SHA-256 block, and for any split of the
// message.
func TestHMACMatchesStandardLibrary(t *testing.T) {
	m := newHMAC()
	rapid.Check(t, func(t *rapid.T) {
		key := rapid.SliceOfN(rapid.Byte(), 0, 100).Draw(t, "key")
		msg := rapid.SliceOfN(rapid.Byte(), 0, 300).Draw(t, "msg")
		cut := rapid.IntRange(0, len(msg)).Draw(t, "cut")

		std := hmac.New(sha256.New, key)
		std.Write(msg)
		want := std.Sum(nil)

		var got [digestLen]byte
		m.sum(&got, key, msg[:cut], msg[cut:])
		if string(got[:]) != string(want) {
			t.Fatalf("HMAC(%x, %x) = %x, want %x", key, msg, got, want)
		}
	})
}

// Both schemes keep the 32 digest bytes inside the packet and clear of the
// four bytes that choose the offset.
func TestDigestOffsetBounds(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		p := make([]byte, PacketSize)
		for i, b := range rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "s1") {
			p[8+i] = b
		}
		for i, b := range rapid.SliceOfN(rapid.Byte(), 4, 4).Draw(t, "s2") {
			p[772+i] = b
		}
		if off := digestOffset(p, Scheme1); off < 12 || off+digestLen > 772 {
			t.Fatalf("scheme 1 offset %d outside [12, 740]", off)
		}
		if off := digestOffset(p, Scheme2); off < 776 || off+digestLen > PacketSize {
			t.Fatalf("scheme 2 offset %d outside [776, 1504]", off)
		}
	})
	// The extremes: all four bytes 0xff sum to 1020, 1020 mod 728 = 292.
	p := make([]byte, PacketSize)
	copy(p[8:], []byte{0xff, 0xff, 0xff, 0xff})
	copy(p[772:], []byte{0xff, 0xff, 0xff, 0xff})
	if got := digestOffset(p, Scheme1); got != 292+12 {
		t.Errorf("scheme 1 offset = %d, want %d", got, 292+12)
	}
	if got := digestOffset(p, Scheme2); got != 292+776 {
		t.Errorf("scheme 2 offset = %d, want %d", got, 292+776)
	}
}
