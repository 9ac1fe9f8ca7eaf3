package hls

import (
	"strconv"

	"github.com/gortmp/rtmp/core/hls"
)

// audioGroup names the group of a stream's audio renditions.
const audioGroup = "audio"

// multivariant renders the playlist of a stream with alternate audio
// renditions: one variant, the first rendition (video and the first audio
// track, index.m3u8?r=0), and an EXT-X-MEDIA for each audio track, the
// first carried by the variant, each other one its own rendition
// (index.m3u8?r=N); st.mu is held.
func (st *stream) multivariant(query string) []byte {
	with := func(r int) string {
		u := "index.m3u8?r=" + strconv.Itoa(r)
		if query != "" {
			u += "&" + query
		}
		return u
	}
	main := st.renditions[0]
	v := hls.Variant{URI: with(0), Bandwidth: st.bandwidth(), Audio: audioGroup}
	var media []hls.Rendition
	for _, t := range main.tracks {
		if name := CodecName(t); name != "" {
			v.Codecs = append(v.Codecs, name)
		}
		if t.Codec.IsVideo() && v.Width == 0 {
			v.Width, v.Height = int(t.Width), int(t.Height)
		}
		if !t.Codec.IsVideo() {
			media = append(media, hls.Rendition{Group: audioGroup, Name: "audio 1", Default: true, Channels: int(t.Channels)})
		}
	}
	for i, r := range st.renditions[1:] {
		for _, t := range r.tracks {
			media = append(media, hls.Rendition{Group: audioGroup, Name: "audio " + strconv.Itoa(i+2), URI: with(i + 1), Channels: int(t.Channels)})
			if name := CodecName(t); name != "" && !contains(v.Codecs, name) {
				v.Codecs = append(v.Codecs, name)
			}
		}
	}
	// A stream that was multivariant when first asked for stays so when
	// it is down to its video: no audio group is named then, as it would
	// have no member.
	if len(media) == 0 {
		v.Audio = ""
	}
	// The multivariant playlist's URIs carry their own queries.
	return hls.AppendMultivariant(nil, []hls.Variant{v}, media, "")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// bandwidth estimates the peak bit rate of the first rendition: its
// largest complete segment of the window over that segment's duration,
// at least 1 bit/s.
func (st *stream) bandwidth() int {
	peak := 1
	for _, s := range st.tl.Segments() {
		if !s.Complete || s.Duration <= 0 {
			continue
		}
		size := 0
		for p := range s.Parts {
			size += len(st.renditions[0].parts[hls.Address{MSN: s.MSN, Part: p}])
		}
		peak = max(peak, int(float64(size*8)/s.Duration.Seconds()))
	}
	return peak
}
