package relay

import "github.com/gortmp/rtmp/codec/flv"

// trackSet is a set of video track ids. Enhanced RTMP ids are one byte,
// so the set is a fixed 256-bit value: copying it allocates nothing.
type trackSet [4]uint64

// defaultTrackOnly is what every view but ViewAll reads: track 0.
var defaultTrackOnly = trackSet{1}

// everyTrack is what ViewAll reads.
var everyTrack = trackSet{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}

func (s *trackSet) add(t uint8)     { s[t>>6] |= 1 << (t & 63) }
func (s trackSet) has(t uint8) bool { return s[t>>6]&(1<<(t&63)) != 0 }

// and is the tracks in both s and o.
func (s trackSet) and(o trackSet) trackSet {
	for i := range s {
		s[i] &= o[i]
	}
	return s
}

// or is the tracks in s or o.
func (s trackSet) or(o trackSet) trackSet {
	for i := range s {
		s[i] |= o[i]
	}
	return s
}

// without is the tracks of s not in o.
func (s trackSet) without(o trackSet) trackSet {
	for i := range s {
		s[i] &^= o[i]
	}
	return s
}

// covers reports whether every track of o is in s. It is on every
// player's path for every frame, so it takes pointers and is unrolled.
func (s *trackSet) covers(o *trackSet) bool {
	return o[0]&^s[0]|o[1]&^s[1]|o[2]&^s[2]|o[3]&^s[3] == 0
}

// addAll adds the tracks of o to s.
func (s *trackSet) addAll(o *trackSet) {
	s[0], s[1], s[2], s[3] = s[0]|o[0], s[1]|o[1], s[2]|o[2], s[3]|o[3]
}

// removeAll removes the tracks of o from s.
func (s *trackSet) removeAll(o *trackSet) {
	s[0], s[1], s[2], s[3] = s[0]&^o[0], s[1]&^o[1], s[2]&^o[2], s[3]&^o[3]
}

// videoTracks is the set of tracks a video message carries (track 0 for
// one without multitrack); empty for anything else.
func videoTracks(m Media) trackSet {
	var s trackSet
	if m.Kind != Video {
		return s
	}
	it := flv.VideoTracks(m.Payload)
	for it.Next() {
		s.add(it.Track().ID)
	}
	return s
}

// tracks is the set of video tracks a player of view v can read.
func (v View) tracks() trackSet {
	if v == ViewAll {
		return everyTrack
	}
	return defaultTrackOnly
}

// with is s and track t.
func (s trackSet) with(t uint8) trackSet {
	s.add(t)
	return s
}
