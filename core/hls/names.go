package hls

import (
	"strconv"
	"strings"
)

// The names of a stream's files, relative to its playlist: init-N.mp4,
// seg-MSN.m4s and part-MSN.P.m4s.

// InitName names initialization section n.
func InitName(n int) string { return "init-" + strconv.Itoa(n) + ".mp4" }

// SegmentName names segment msn.
func SegmentName(msn uint64) string { return "seg-" + strconv.FormatUint(msn, 10) + ".m4s" }

// PartName names a part.
func PartName(a Address) string {
	return "part-" + strconv.FormatUint(a.MSN, 10) + "." + strconv.Itoa(a.Part) + ".m4s"
}

// Kind is what a name names.
type Kind int

const (
	NotMedia Kind = iota
	InitFile
	SegmentFile
	PartFile
)

// ParseName reads a name InitName, SegmentName or PartName made: its kind,
// the init section's number (InitFile) or the address (SegmentFile: the
// MSN; PartFile: the MSN and part).
func ParseName(name string) (Kind, int, Address) {
	if rest, ok := cut(name, "init-", ".mp4"); ok {
		if n, err := strconv.Atoi(rest); err == nil && n >= 0 && strconv.Itoa(n) == rest {
			return InitFile, n, Address{}
		}
	}
	if rest, ok := cut(name, "seg-", ".m4s"); ok {
		if msn, ok := number(rest); ok {
			return SegmentFile, 0, Address{MSN: msn}
		}
	}
	if rest, ok := cut(name, "part-", ".m4s"); ok {
		m, p, found := strings.Cut(rest, ".")
		msn, ok1 := number(m)
		part, ok2 := number(p)
		if found && ok1 && ok2 && part < 1<<20 {
			return PartFile, 0, Address{MSN: msn, Part: int(part)}
		}
	}
	return NotMedia, 0, Address{}
}

func cut(s, prefix, suffix string) (string, bool) {
	s, ok1 := strings.CutPrefix(s, prefix)
	s, ok2 := strings.CutSuffix(s, suffix)
	return s, ok1 && ok2
}

// number reads a decimal without sign or leading zeros.
func number(s string) (uint64, bool) {
	n, err := strconv.ParseUint(s, 10, 64)
	return n, err == nil && strconv.FormatUint(n, 10) == s
}
