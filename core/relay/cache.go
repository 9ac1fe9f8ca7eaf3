package relay

import (
	"cmp"
	"slices"

	"github.com/gortmp/rtmp/codec/flv"
)

// cache is the fast-start state of a stream: the latest metadata, the
// decoder configuration of every track, and every message since the last
// keyframe, so a player joining late starts decoding at once instead of
// waiting a whole group of pictures.
type cache struct {
	meta *Media
	// configs holds, per audio or video track, the message that last
	// configured it (sequence start, or audio channel configuration). One
	// multitrack message may configure several tracks, so entries may
	// share a message; seq orders them by arrival.
	configs []trackConfig
	seq     uint64
	// gop holds the messages from the last keyframe on, audio included,
	// in arrival order; it is only valid once a keyframe started it and
	// while it stays within Config.MaxCacheBytes.
	gop      []Media
	gopBytes int
	gopValid bool
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
	c.dropGOP()
}

func (c *cache) dropGOP() {
	clear(c.gop) // let the payloads go
	c.gop, c.gopBytes, c.gopValid = c.gop[:0], 0, false
}

func (c *cache) update(m Media, class Class, limit int) {
	switch class {
	case Meta:
		c.meta = pointerTo(m)
	case AudioHeader:
		c.configure(m)
	case VideoHeader:
		// Frames coded against the previous configuration would confuse
		// a new player's decoder.
		c.configure(m)
		c.dropGOP()
	case Control:
		c.forgetEnded(m)
	case Keyframe:
		c.dropGOP()
		if m.Cost() > limit {
			return
		}
		c.gop, c.gopBytes, c.gopValid = append(c.gop, m), m.Cost(), true
	case Frame:
		if !c.gopValid {
			return
		}
		if c.gopBytes+m.Cost() > limit {
			c.dropGOP()
			return
		}
		c.gop, c.gopBytes = append(c.gop, m), c.gopBytes+m.Cost()
	}
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
// has ended. The group of pictures goes too: without the configuration it
// was coded against, a new player could not decode it, so it waits for
// the next keyframe (and the configuration that comes before it).
func (c *cache) forgetEnded(m Media) {
	if !sequenceEnd(m) {
		return
	}
	c.dropGOP()
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
