package relay

import (
	"net/url"
	"strings"
	"testing"

	"pgregory.net/rapid"
)

func TestKeyOK(t *testing.T) {
	for _, tc := range []struct {
		want, query, connectQuery string
		ok                        bool
	}{
		{"", "", "", true},
		{"s3cret", "key=s3cret", "", true},
		{"s3cret", "", "key=s3cret", true},
		{"s3cret", "key=wrong", "key=s3cret", true},
		{"s3cret", "key=s3cret", "key=wrong", true},
		{"s3cret", "", "", false},
		{"s3cret", "key=s3cre", "", false},
		{"s3cret", "key=s3cret0", "", false},
		{"s3cret", "key=S3CRET", "", false},
		{"s3cret", "other=s3cret", "", false},
		{"s3cret", "key=", "", false},
		{"s3cret", "%zz", "key=wrong", false},
	} {
		if got := KeyOK(tc.want, tc.query, tc.connectQuery); got != tc.ok {
			t.Errorf("KeyOK(%q, %q, %q) = %v, want %v", tc.want, tc.query, tc.connectQuery, got, tc.ok)
		}
	}
}

// TestSameSecretHashesFirst: secrets of any lengths compare, equal only
// when equal, so the comparison never stops at a length mismatch.
func TestSameSecretHashesFirst(t *testing.T) {
	for _, tc := range []struct {
		given, want string
		same        bool
	}{
		{"a", "a", true},
		{"", "", true},
		{"a", "", false},
		{"", "a", false},
		{"ab", "a", false},
		{"a long secret of many bytes", "a long secret of many bytes", true},
		{"a long secret of many bytes", "a long secret of many byteS", false},
	} {
		if got := sameSecret(tc.given, tc.want); got != tc.same {
			t.Errorf("sameSecret(%q, %q) = %v, want %v", tc.given, tc.want, got, tc.same)
		}
	}
}

// TestQueryKeyAsNetURL: queryKey finds the key net/url's ParseQuery finds,
// and none where ParseQuery fails.
func TestQueryKeyAsNetURL(t *testing.T) {
	parts := []string{"key", "k", "=", "&", ";", "%", "%4", "%41", "%zz", "+", "a", "s3cret", "%6B", "ey"}
	rapid.Check(t, func(t *rapid.T) {
		q := strings.Join(rapid.SliceOfN(rapid.SampledFrom(parts), 0, 10).Draw(t, "parts"), "")
		got, found := queryKey(q)
		v, err := url.ParseQuery(q)
		wantFound := err == nil && v.Has("key")
		if found != wantFound || found && got != v.Get("key") {
			t.Fatalf("queryKey(%q) = %q, %v; net/url: %q, %v (err %v)", q, got, found, v.Get("key"), wantFound, err)
		}
	})
}
