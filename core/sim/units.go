package sim

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// The simulation's units of time. Package time's own constants are not
// used here so that the package stays within what the purity test allows
// of package time: the Duration type alone.
const (
	nanosecond  time.Duration = 1
	microsecond               = 1000 * nanosecond
	millisecond               = 1000 * microsecond
	second                    = 1000 * millisecond
)

// durationUnits are the suffixes parseDuration reads, two-letter ones
// first so that "ms" is not taken for "s".
var durationUnits = []struct {
	suffix string
	unit   time.Duration
}{{"ns", nanosecond}, {"us", microsecond}, {"µs", microsecond}, {"ms", millisecond}, {"s", second}}

var errDuration = errors.New("want a whole number of ns, us, ms or s")

// parseDuration reads a whole number followed by a unit (ns, us, µs, ms
// or s): the form exactDuration writes and case scripts are typed in.
func parseDuration(s string) (time.Duration, error) {
	for _, u := range durationUnits {
		n, ok := strings.CutSuffix(s, u.suffix)
		if !ok {
			continue
		}
		v, err := strconv.ParseUint(n, 10, 63)
		if err != nil || v > uint64(1<<63-1)/uint64(u.unit) {
			return 0, errDuration
		}
		return time.Duration(v) * u.unit, nil
	}
	return 0, errDuration
}

// escapeKey writes a stream key so that it holds no byte a case script
// uses as a separator: every byte outside letters, digits and "-._~"
// becomes %XX.
func escapeKey(key string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		if isUnreserved(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// unescapeKey reads what escapeKey wrote, and any other %XX escapes.
func unescapeKey(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+3 > len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return "", errors.New("bad %XX escape")
		}
		v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
		b.WriteByte(byte(v))
		i += 2
	}
	return b.String(), nil
}

func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
