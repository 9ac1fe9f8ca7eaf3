package relay

import (
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/gortmp/rtmp/codec/flv"
	"pgregory.net/rapid"
)

// The stream of these properties is multitrack as OBS 31 and other
// libraries publish it: video track 0 as legacy AVC, tracks 1 and 2 as
// hvc1 in multitrack messages, one track per message or both together,
// sometimes with the reserved frame type 0 (read from the bitstream), and
// AAC audio. Each coded frame carries its number in its NAL unit, so a
// player's frames trace back to the publisher's.

const propTracks = 3

// frameData is one length-prefixed NAL unit numbered n: an IDR (AVC,
// track 0) or IRAP (HEVC) picture when key, with size bytes of padding.
func frameData(track uint8, n uint16, key bool, size int) []byte {
	var nal []byte
	switch {
	case track == 0 && key:
		nal = []byte{0x65}
	case track == 0:
		nal = []byte{0x41}
	case key:
		nal = []byte{19 << 1, 1}
	default:
		nal = []byte{1 << 1, 1}
	}
	nal = append(nal, byte(n>>8), byte(n))
	nal = append(nal, make([]byte, size)...)
	return append(binary.BigEndian.AppendUint32(nil, uint32(len(nal))), nal...)
}

// frameNumber reads back the number frameData put in a track's data.
func frameNumber(track uint8, data []byte) (uint16, bool) {
	at := 5
	if track != 0 {
		at = 6
	}
	if len(data) < at+2 {
		return 0, false
	}
	return binary.BigEndian.Uint16(data[at:]), true
}

// propFrame is a published coded frame of one track.
type propFrame struct {
	track uint8
	n     uint16
	key   bool
}

// propStream publishes the messages a generated scenario asks for.
type propStream struct {
	ts      uint32
	n       uint16
	needKey [propTracks]bool
	// order lists each track's frames as published, and index finds a
	// frame's place in it.
	order [propTracks][]uint16
	index map[propFrame]int
	keys  map[propFrame]bool
}

func (p *propStream) frame(t *rapid.T, tracks []uint8) Media {
	p.ts += uint32(rapid.IntRange(0, 50).Draw(t, "dt"))
	key := rapid.IntRange(0, 4).Draw(t, "key") == 0
	for _, tr := range tracks {
		key = key || p.needKey[tr]
	}
	size := rapid.IntRange(0, 600).Draw(t, "size")
	var mt []flv.VideoTrack
	for _, tr := range tracks {
		p.n++
		f := propFrame{tr, p.n, key}
		p.index[f] = len(p.order[tr])
		p.keys[f] = key
		p.order[tr] = append(p.order[tr], p.n)
		p.needKey[tr] = false
		mt = append(mt, flv.VideoTrack{ID: tr, FourCC: flv.FourCCHEVC, Data: frameData(tr, p.n, key, size)})
	}
	ft := flv.FrameInter
	if key {
		ft = flv.FrameKey
	}
	if tracks[0] == 0 {
		return video(p.ts, append([]byte{byte(ft)<<4 | 7, 1, 0, 0, 0}, mt[0].Data...))
	}
	payload := flv.AppendVideoMultitrack(nil, ft, flv.VideoCodedFramesX, mt)
	if rapid.Bool().Draw(t, "frameTypeZero") {
		payload[0] &^= 0x70
	}
	return video(p.ts, payload)
}

func (p *propStream) header(track uint8) Media {
	p.needKey[track] = true
	if track == 0 {
		return video(p.ts, avcHeader.Payload)
	}
	return video(p.ts, flv.AppendVideoMultitrack(nil, flv.FrameKey, flv.VideoSequenceStart, []flv.VideoTrack{
		{ID: track, FourCC: flv.FourCCHEVC, Data: hvcC}}))
}

// propPlayer is what one player received.
type propPlayer struct {
	view View
	got  []Media
	// fastStart is how many of got came with the join.
	fastStart int
	// expect lists the tracks whose latest keyframe the fast start must
	// hold.
	expect []uint8
}

// TestPerTrackFastStartProperty: in random interleavings of tracks,
// keyframes, configurations and audio, every player, early or late, of
// every view, starts each track it gets on a keyframe of that track and
// then gets that track's frames without a gap, or restarts it on a
// keyframe; a late player's fast start holds every track whose latest
// keyframe the cache could keep; a player gets no track and no tag form
// its view cannot read; and the cache stays within its bound.
func TestPerTrackFastStartProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cacheLimit := rapid.IntRange(200, 6000).Draw(t, "cacheLimit")
		s := NewStream(Config{MaxCacheBytes: cacheLimit, MaxQueueBytes: 1 << 30})
		if _, err := s.Publish(1); err != nil {
			t.Fatal(err)
		}
		p := &propStream{index: map[propFrame]int{}, keys: map[propFrame]bool{}}
		players := map[ClientID]*propPlayer{}
		next := ClientID(2)
		join := func() {
			v := View(rapid.IntRange(0, int(viewCount)-1).Draw(t, "view"))
			fx, err := s.PlayView(next, v)
			if err != nil {
				t.Fatal(err)
			}
			pl := &propPlayer{view: v, expect: keptKeys(s, v)}
			for _, e := range fx {
				pl.got = append(pl.got, e.(Send).Media)
			}
			pl.fastStart = len(pl.got)
			players[next] = pl
			next++
		}
		var f Fanout
		publish := func(m Media) {
			s.Media(m, &f)
			for i, id := range f.To {
				players[id].got = append(players[id].got, f.Payload(f.Views[i]))
			}
			checkCacheBound(t, s, cacheLimit)
		}
		for range rapid.IntRange(0, 2).Draw(t, "early") {
			join()
		}
		publish(aacHeader)
		for tr := range uint8(propTracks) {
			publish(p.header(tr))
		}
		steps := rapid.IntRange(1, 120).Draw(t, "steps")
		for range steps {
			switch rapid.IntRange(0, 9).Draw(t, "op") {
			case 0:
				join()
			case 1:
				publish(p.header(uint8(rapid.IntRange(0, propTracks-1).Draw(t, "headerTrack"))))
			case 2:
				p.ts += 10
				publish(aac(p.ts, rapid.IntRange(0, 300).Draw(t, "aacSize")))
			case 3:
				publish(p.frame(t, []uint8{1, 2}))
			default:
				publish(p.frame(t, []uint8{uint8(rapid.IntRange(0, propTracks-1).Draw(t, "track"))}))
			}
		}
		for id, pl := range players {
			checkPlayer(t, p, id, pl)
		}
	})
}

// keptKeys lists the tracks of view v whose latest keyframe the cache
// holds and may start them on: a single-track keyframe, with the frames
// since within the cache's bound (the cache itself is checked against
// that bound by checkCacheBound).
func keptKeys(s *Stream, v View) []uint8 {
	var out []uint8
	for _, k := range s.cache.keys {
		if !v.tracks().has(k.track) {
			continue
		}
		for _, e := range s.cache.log {
			if e.at == k.last && e.tracks == (trackSet{}).with(k.track) {
				out = append(out, k.track)
			}
		}
	}
	return out
}

func checkCacheBound(t *rapid.T, s *Stream, limit int) {
	sum := 0
	for _, e := range s.cache.log {
		sum += e.m.Cost()
	}
	if sum != s.cache.logBytes || sum > limit {
		t.Fatalf("cache holds %d bytes (counted %d), bound %d", sum, s.cache.logBytes, limit)
	}
}

func checkPlayer(t *rapid.T, p *propStream, id ClientID, pl *propPlayer) {
	last := map[uint8]int{} // place in p.order of the track's last frame
	startedInFastStart := map[uint8]bool{}
	for i, m := range pl.got {
		where := fmt.Sprintf("player %d (%v), message %d of %d (fast start %d)", id, pl.view, i, len(pl.got), pl.fastStart)
		if m.Kind != Video {
			continue
		}
		info, err := flv.ClassifyVideo(m.Payload)
		if err != nil {
			t.Fatalf("%s: unreadable % x: %v", where, m.Payload, err)
		}
		if pl.view != ViewAll && info.Multitrack {
			t.Fatalf("%s: multitrack message for a player without multitrack", where)
		}
		if pl.view == ViewLegacy && info.Enhanced {
			t.Fatalf("%s: Enhanced RTMP tag for a legacy player", where)
		}
		if info.Kind != flv.KindKeyframe && info.Kind != flv.KindFrame {
			continue
		}
		it := flv.VideoTracks(m.Payload)
		for it.Next() {
			tr := it.Track()
			n, ok := frameNumber(tr.ID, tr.Data)
			f := propFrame{tr.ID, n, p.keys[propFrame{tr.ID, n, true}]}
			place, known := p.index[f]
			if !ok || !known {
				t.Fatalf("%s: track %d frame % x was never published", where, tr.ID, tr.Data)
			}
			if pl.view != ViewAll && tr.ID != 0 {
				t.Fatalf("%s: track %d for a player of the default track", where, tr.ID)
			}
			prev, playing := last[tr.ID]
			if !f.key && (!playing || place != prev+1) {
				t.Fatalf("%s: track %d frame %d follows place %d (playing %v) and is no keyframe", where, tr.ID, n, prev, playing)
			}
			last[tr.ID] = place
			if i < pl.fastStart {
				startedInFastStart[tr.ID] = true
			}
		}
	}
	for _, tr := range pl.expect {
		if !startedInFastStart[tr] {
			t.Fatalf("player %d (%v): track %d had a cached keyframe and is not in the fast start", id, pl.view, tr)
		}
	}
}
