package relay

import "testing"

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
