package relay

import (
	"crypto/sha256"
	"crypto/subtle"
	"strings"
)

// KeyOK reports whether a shared secret want is given as ?key= in a
// stream name's query or in the connect query, compared in constant time
// (see sameSecret). An empty want lets everyone in. A query that is not
// well formed (a bad escape, a ';') gives no key, as net/url's ParseQuery
// would have it.
func KeyOK(want, query, connectQuery string) bool {
	if want == "" {
		return true
	}
	ok := false
	for _, q := range []string{query, connectQuery} {
		if v, found := queryKey(q); found {
			ok = sameSecret(v, want) || ok
		}
	}
	return ok
}

// queryKey returns the first value of "key" in a URL query, if the query
// is well formed and has one.
func queryKey(q string) (string, bool) {
	var value string
	found := false
	for part := range strings.SplitSeq(q, "&") {
		if strings.Contains(part, ";") {
			return "", false
		}
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k, okK := unescape(k)
		v, okV := unescape(v)
		if !okK || !okV {
			return "", false
		}
		if k == "key" && !found {
			value, found = v, true
		}
	}
	return value, found
}

// unescape decodes a query component: %XX escapes, and '+' for a space.
func unescape(s string) (string, bool) {
	if !strings.ContainsAny(s, "%+") {
		return s, true
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '+':
			b.WriteByte(' ')
		case '%':
			if i+2 >= len(s) {
				return "", false
			}
			hi, okH := unhex(s[i+1])
			lo, okL := unhex(s[i+2])
			if !okH || !okL {
				return "", false
			}
			b.WriteByte(hi<<4 | lo)
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// sameSecret compares a secret given by a client with the one wanted,
// taking the same time whatever the two hold: ConstantTimeCompare alone
// returns at once when the lengths differ, which tells a prober the
// secret's length, so both sides are hashed to the same length first.
func sameSecret(given, want string) bool {
	g, w := sha256.Sum256([]byte(given)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}
