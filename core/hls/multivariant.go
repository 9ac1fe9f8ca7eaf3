package hls

import (
	"strconv"
	"strings"
)

// Variant is a multivariant playlist's stream: the media playlist of the
// video (with the default audio), and what a player must support to play
// it.
type Variant struct {
	URI string
	// Bandwidth is the peak bit rate in bits per second; it must not be 0.
	Bandwidth int
	// Codecs are RFC 6381 names, such as "avc1.64001f" and "mp4a.40.2".
	Codecs        []string
	Width, Height int
	// Audio names the group of alternate audio renditions, if any.
	Audio string
}

// Rendition is an alternate audio rendition (EXT-X-MEDIA TYPE=AUDIO).
type Rendition struct {
	Group, Name string
	Language    string
	// URI is its media playlist; empty for the audio the variant's own
	// playlist carries.
	URI     string
	Default bool
	// Channels, if not 0, is its channel count.
	Channels int
}

// AppendMultivariant appends a multivariant playlist to dst. query, if not
// empty, follows every URI after a '?'.
func AppendMultivariant(dst []byte, variants []Variant, renditions []Rendition, query string) []byte {
	dst = append(dst, "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-INDEPENDENT-SEGMENTS\n"...)
	for _, r := range renditions {
		dst = append(dst, "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="...)
		dst = quoted(dst, r.Group)
		dst = append(dst, ",NAME="...)
		dst = quoted(dst, r.Name)
		if r.Language != "" {
			dst = append(dst, ",LANGUAGE="...)
			dst = quoted(dst, r.Language)
		}
		dst = append(dst, ",DEFAULT="...)
		dst = append(dst, yesNo(r.Default)...)
		dst = append(dst, ",AUTOSELECT=YES"...)
		if r.Channels > 0 {
			dst = append(dst, ",CHANNELS=\""...)
			dst = strconv.AppendInt(dst, int64(r.Channels), 10)
			dst = append(dst, '"')
		}
		if r.URI != "" {
			dst = append(dst, ",URI=\""...)
			dst = uri(dst, r.URI, query)
			dst = append(dst, '"')
		}
		dst = append(dst, '\n')
	}
	for _, v := range variants {
		dst = append(dst, "#EXT-X-STREAM-INF:BANDWIDTH="...)
		dst = strconv.AppendInt(dst, int64(max(v.Bandwidth, 1)), 10)
		if len(v.Codecs) > 0 {
			dst = append(dst, ",CODECS="...)
			dst = quoted(dst, strings.Join(v.Codecs, ","))
		}
		if v.Width > 0 && v.Height > 0 {
			dst = append(dst, ",RESOLUTION="...)
			dst = strconv.AppendInt(dst, int64(v.Width), 10)
			dst = append(dst, 'x')
			dst = strconv.AppendInt(dst, int64(v.Height), 10)
		}
		if v.Audio != "" {
			dst = append(dst, ",AUDIO="...)
			dst = quoted(dst, v.Audio)
		}
		dst = append(dst, '\n')
		dst = uri(dst, v.URI, query)
		dst = append(dst, '\n')
	}
	return dst
}

// quoted writes a quoted-string; the characters it may not hold (a
// double quote, CR, LF) become spaces.
func quoted(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' || c == '\r' || c == '\n' {
			c = ' '
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}

func yesNo(b bool) string {
	if b {
		return "YES"
	}
	return "NO"
}
