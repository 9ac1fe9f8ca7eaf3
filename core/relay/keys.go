package relay

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/url"
)

// KeyOK reports whether a shared secret want is given as ?key= in a
// stream name's query or in the connect query, compared in constant time
// (see sameSecret). An empty want lets everyone in.
func KeyOK(want, query, connectQuery string) bool {
	if want == "" {
		return true
	}
	ok := false
	for _, q := range []string{query, connectQuery} {
		if v, err := url.ParseQuery(q); err == nil && v.Has("key") {
			ok = sameSecret(v.Get("key"), want) || ok
		}
	}
	return ok
}

// sameSecret compares a secret given by a client with the one wanted,
// taking the same time whatever the two hold: ConstantTimeCompare alone
// returns at once when the lengths differ, which tells a prober the
// secret's length, so both sides are hashed to the same length first.
func sameSecret(given, want string) bool {
	g, w := sha256.Sum256([]byte(given)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}
