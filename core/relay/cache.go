package relay

import (
	"cmp"
	"slices"

	"github.com/gortmp/rtmp/codec/flv"
)

// cache is the fast-start state of a stream: the latest metadata, the
// decoder configuration of every track, and for every video track the
// messages since its last keyframe, so a player joining late starts
// decoding each track at once instead of waiting a group of pictures.
type cache struct {
	meta *Media
	// configs holds, per audio or video track, the message that last
	// configured it (sequence start, or audio channel configuration). One
	// multitrack message may configure several tracks, so entries may
	// share a message; seq orders them by arrival.
	configs []trackConfig
	seq     uint64
	// log holds every audio and video message from the oldest of the
	// tracks' latest keyframes on, in arrival order; next numbers the
	// message logged next. It is empty while no track has a keyframe.
	log      []logged
	logBytes int
	next     uint64
	// keys says where each video track may start, for the tracks that
	// have a keyframe under their current configuration within
	// Config.MaxCacheBytes.
	keys []trackKey
}

// logged is a cached message with what the fast start needs of it.
type logged struct {
	m      Media
	class  Class
	tracks trackSet
	at     uint64
}

// trackKey is where one video track's fast start may begin: at any of its
// keyframes from first on, the latest at last. bytes is the cost logged
// from last on, which the cache bounds per track.
type trackKey struct {
	track       uint8
	first, last uint64
	bytes       int
}

// configKey names what a cached configuration configures.
type configKey struct {
	kind  Kind
	track uint8
	// channels marks an audio MultichannelConfig, kept beside the
	// track's sequence start.
	channels bool
}

type trackConfig struct {
	key configKey
	seq uint64
	m   *Media
}

func (c *cache) reset() {
	c.meta = nil
	clear(c.configs)
	c.configs = c.configs[:0]
	c.keys = c.keys[:0]
	c.dropLog()
}

func (c *cache) dropLog() {
	clear(c.log) // let the payloads go
	c.log, c.logBytes = c.log[:0], 0
}

func (c *cache) update(m Media, class Class, tracks trackSet, limit int) {
	switch class {
	case Meta:
		c.meta = pointerTo(m)
	case AudioHeader:
		c.configure(m)
	case VideoHeader:
		// Frames coded against the previous configuration would confuse
		// a new player's decoder: the tracks start again at their next
		// keyframe.
		c.configure(m)
		c.forgetKeys(tracks)
	case Control:
		c.forgetEnded(m, tracks)
	case Keyframe:
		fresh := tracks // the tracks without a key yet
		for t := range c.keys {
			if k := &c.keys[t]; tracks.has(k.track) {
				k.last, k.bytes = c.next, 0
				fresh = fresh.without(trackSet{}.with(k.track))
			}
		}
		for t := range 256 {
			if fresh.has(uint8(t)) {
				c.keys = append(c.keys, trackKey{track: uint8(t), first: c.next, last: c.next})
			}
		}
		c.append(m, class, tracks, limit)
	case Frame:
		if len(c.keys) > 0 {
			c.append(m, class, tracks, limit)
		}
	}
}

// append logs m, forgets the tracks whose messages since their last
// keyframe then pass limit, and drops what no track needs any more.
func (c *cache) append(m Media, class Class, tracks trackSet, limit int) {
	cost := m.Cost()
	c.log = append(c.log, logged{m: m, class: class, tracks: tracks, at: c.next})
	c.logBytes += cost
	c.next++
	c.keys = slices.DeleteFunc(c.keys, func(k trackKey) bool {
		k.bytes += cost
		return k.bytes > limit
	})
	for i := range c.keys {
		c.keys[i].bytes += cost
	}
	c.trim()
}

// forgetKeys makes tracks wait for their next keyframe.
func (c *cache) forgetKeys(tracks trackSet) {
	c.keys = slices.DeleteFunc(c.keys, func(k trackKey) bool { return tracks.has(k.track) })
	c.trim()
}

// trim drops the logged messages before the oldest of the tracks' latest
// keyframes: every track has a start at or after it.
func (c *cache) trim() {
	if len(c.keys) == 0 {
		c.dropLog()
		return
	}
	from := c.keys[0].last
	for _, k := range c.keys[1:] {
		from = min(from, k.last)
	}
	n := 0
	for n < len(c.log) && c.log[n].at < from {
		c.logBytes -= c.log[n].m.Cost()
		n++
	}
	if n > 0 {
		rest := copy(c.log, c.log[n:])
		clear(c.log[rest:])
		c.log = c.log[:rest]
	}
}

// startsAt reports whether a keyframe logged at index at may start every
// track of tracks.
func (c *cache) startsAt(tracks trackSet, at uint64) bool {
	for _, k := range c.keys {
		if tracks.has(k.track) {
			if at < k.first {
				return false
			}
			tracks = tracks.without(trackSet{}.with(k.track))
		}
	}
	return tracks == trackSet{}
}

// fastStart returns the logged messages a player of view v starts with:
// audio, and each video track's from a keyframe of it, with a frame held
// back (and the tracks it carries until their next keyframe) whenever one
// of its tracks has not started. started is the tracks that did.
func (c *cache) fastStart(v View) (out []*logged, started trackSet) {
	reads := v.tracks()
	for i := range c.log {
		e := &c.log[i]
		tracks := e.tracks.and(reads)
		switch {
		case e.class == Keyframe && c.startsAt(tracks, e.at):
			started = started.or(tracks)
		case e.m.Kind == Video && !started.covers(&tracks):
			started = started.without(tracks)
			continue
		}
		out = append(out, e)
	}
	return out, started
}

// configure records m as the configuration of each track it carries.
func (c *cache) configure(m Media) {
	p := pointerTo(m)
	c.seq++
	channels := false
	if m.Kind == Audio {
		info, _ := flv.ClassifyAudio(m.Payload)
		channels = info.Kind == flv.KindChannelConfig
	}
	eachTrack(m, func(track uint8) {
		k := configKey{kind: m.Kind, track: track, channels: channels}
		i := slices.IndexFunc(c.configs, func(tc trackConfig) bool { return tc.key == k })
		if i < 0 {
			c.configs = append(c.configs, trackConfig{key: k})
			i = len(c.configs) - 1
		}
		c.configs[i].seq, c.configs[i].m = c.seq, p
	})
}

// forgetEnded drops the configuration of every track a sequence end names:
// a player joining later must not be handed a configuration the publisher
// has ended. The track's frames go too: without the configuration they
// were coded against, a new player could not decode them, so the track
// waits for its next keyframe (and the configuration that comes before it).
func (c *cache) forgetEnded(m Media, tracks trackSet) {
	if !sequenceEnd(m) {
		return
	}
	c.forgetKeys(tracks)
	eachTrack(m, func(track uint8) {
		c.configs = slices.DeleteFunc(c.configs, func(tc trackConfig) bool {
			return tc.key.kind == m.Kind && tc.key.track == track
		})
	})
}

// sequenceEnd reports whether a Control message ends a coded sequence.
func sequenceEnd(m Media) bool {
	switch m.Kind {
	case Video:
		info, err := flv.ClassifyVideo(m.Payload)
		return err == nil && info.Kind == flv.KindSequenceEnd
	case Audio:
		info, err := flv.ClassifyAudio(m.Payload)
		return err == nil && info.Kind == flv.KindSequenceEnd
	}
	return false
}

// eachTrack calls f with the id of every track of an audio or video
// message (0 for a message without multitrack).
func eachTrack(m Media, f func(track uint8)) {
	if m.Kind == Video {
		it := flv.VideoTracks(m.Payload)
		for it.Next() {
			f(it.Track().ID)
		}
		return
	}
	it := flv.AudioTracks(m.Payload)
	for it.Next() {
		f(it.Track().ID)
	}
}

// configMessages returns the cached configurations in the order a new
// player needs them: audio before video, as they arrived within each, and
// a message that configures several tracks once.
func (c *cache) configMessages() []*Media {
	cs := slices.Clone(c.configs)
	slices.SortFunc(cs, func(a, b trackConfig) int {
		return cmp.Or(cmp.Compare(a.key.kind, b.key.kind), cmp.Compare(a.seq, b.seq))
	})
	var out []*Media
	for _, tc := range cs {
		if !slices.Contains(out, tc.m) {
			out = append(out, tc.m)
		}
	}
	return out
}

// pointerTo copies m to the heap, so the media path's m stays on the stack.
func pointerTo(m Media) *Media { return &m }
