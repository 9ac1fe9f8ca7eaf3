package hls

import (
	"strconv"
	"time"
)

// holdBackParts is PART-HOLD-BACK in part targets: RFC 8216bis asks for
// at least two and recommends three.
const holdBackParts = 3

// skipTargets is CAN-SKIP-UNTIL in target durations, the least RFC
// 8216bis allows.
const skipTargets = 6

// TargetDuration is the playlist's EXT-X-TARGETDURATION: the configured
// target, or the longest segment so far when keyframes came further
// apart, rounded up to whole seconds.
func (t *Timeline) TargetDuration() time.Duration {
	d := max(t.cfg.TargetDuration, t.longest)
	return (d + second - 1) / second * second
}

// AppendMedia appends the media playlist of the window to dst. query, if
// not empty, follows every URI after a '?' (a play key, say). With skip
// (a request's _HLS_skip=YES) and Config.Delta, the segments more than
// CAN-SKIP-UNTIL from the end are replaced by EXT-X-SKIP.
func (t *Timeline) AppendMedia(dst []byte, query string, skip bool) []byte {
	target := t.TargetDuration()
	segs := t.segs
	skipped := 0
	if skip && t.cfg.Delta {
		skipped = t.skippable(skipTargets * target)
	}
	version := 6
	if skipped > 0 {
		version = 9
	}
	dst = append(dst, "#EXTM3U\n#EXT-X-VERSION:"...)
	dst = strconv.AppendInt(dst, int64(version), 10)
	dst = append(dst, "\n#EXT-X-TARGETDURATION:"...)
	dst = strconv.AppendInt(dst, int64(target/second), 10)
	dst = append(dst, "\n#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK="...)
	dst = seconds(dst, holdBackParts*t.cfg.PartTarget)
	if t.cfg.Delta {
		dst = append(dst, ",CAN-SKIP-UNTIL="...)
		dst = seconds(dst, skipTargets*target)
	}
	dst = append(dst, "\n#EXT-X-PART-INF:PART-TARGET="...)
	dst = seconds(dst, t.cfg.PartTarget)
	dst = append(dst, "\n#EXT-X-MEDIA-SEQUENCE:"...)
	first := t.nextMSN
	if len(segs) > 0 {
		first = segs[0].MSN
	}
	dst = strconv.AppendUint(dst, first, 10)
	if t.discSeq > 0 {
		dst = append(dst, "\n#EXT-X-DISCONTINUITY-SEQUENCE:"...)
		dst = strconv.AppendUint(dst, t.discSeq, 10)
	}
	dst = append(dst, '\n')
	if skipped > 0 {
		dst = append(dst, "#EXT-X-SKIP:SKIPPED-SEGMENTS="...)
		dst = strconv.AppendInt(dst, int64(skipped), 10)
		dst = append(dst, '\n')
	}
	partsFrom := t.partsFrom(holdBackWindow(target))
	for i := skipped; i < len(segs); i++ {
		s := segs[i]
		if i == skipped || s.Init != segs[i-1].Init {
			if i > 0 && s.Init != segs[i-1].Init {
				dst = append(dst, "#EXT-X-DISCONTINUITY\n"...)
			}
			dst = append(dst, "#EXT-X-MAP:URI=\""...)
			dst = uri(dst, InitName(s.Init), query)
			dst = append(dst, "\"\n"...)
		}
		if i >= partsFrom {
			for p, part := range s.Parts {
				dst = append(dst, "#EXT-X-PART:DURATION="...)
				dst = seconds(dst, part.Duration)
				dst = append(dst, ",URI=\""...)
				dst = uri(dst, PartName(Address{s.MSN, p}), query)
				dst = append(dst, '"')
				if part.Independent {
					dst = append(dst, ",INDEPENDENT=YES"...)
				}
				dst = append(dst, '\n')
			}
		}
		if s.Complete {
			dst = append(dst, "#EXTINF:"...)
			dst = seconds(dst, s.Duration)
			dst = append(dst, ",\n"...)
			dst = uri(dst, SegmentName(s.MSN), query)
			dst = append(dst, '\n')
		}
	}
	if t.ended {
		return append(dst, "#EXT-X-ENDLIST\n"...)
	}
	if len(segs) > 0 {
		dst = append(dst, "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\""...)
		dst = uri(dst, PartName(t.Next()), query)
		dst = append(dst, "\"\n"...)
	}
	return dst
}

// holdBackWindow is how far from the end parts stay listed: RFC 8216bis
// lets them go after three target durations.
func holdBackWindow(target time.Duration) time.Duration { return 3 * target }

// partsFrom is the index of the first segment whose parts are listed: those
// ending less than within from the end of the playlist.
func (t *Timeline) partsFrom(within time.Duration) int {
	var fromEnd time.Duration
	for i := len(t.segs) - 1; i >= 0; i-- {
		if fromEnd >= within {
			return i + 1
		}
		fromEnd += t.segs[i].listed()
	}
	return 0
}

// skippable counts the segments at the start of the window that end more
// than until before the end of the playlist.
func (t *Timeline) skippable(until time.Duration) int {
	var total time.Duration
	for _, s := range t.segs {
		total += s.listed()
	}
	n := 0
	var end time.Duration
	for _, s := range t.segs {
		if !s.Complete {
			break
		}
		end += s.Duration
		if total-end < until {
			break
		}
		n++
	}
	return n
}

// listed is how much of the stream a segment covers in the playlist so
// far: its duration, or its complete parts' while it is open.
func (s Segment) listed() time.Duration {
	if s.Complete {
		return s.Duration
	}
	var d time.Duration
	for _, p := range s.Parts {
		d += p.Duration
	}
	return d
}

// seconds writes d in seconds with three decimals, rounded to the
// nearest millisecond.
func seconds(dst []byte, d time.Duration) []byte {
	ms := (max(d, 0) + millisecond/2) / millisecond
	dst = strconv.AppendInt(dst, int64(ms/1000), 10)
	frac := int64(ms % 1000)
	return append(dst, '.', byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
}

func uri(dst []byte, name, query string) []byte {
	dst = append(dst, name...)
	if query != "" {
		dst = append(dst, '?')
		dst = append(dst, query...)
	}
	return dst
}
