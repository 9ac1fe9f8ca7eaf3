package hls

// PlaylistKind is what a playlist request is answered with.
type PlaylistKind int

const (
	// NoPlaylist: the request names a rendition the stream does not have.
	NoPlaylist PlaylistKind = iota
	// MediaPlaylist: the segments and parts of one rendition.
	MediaPlaylist
	// MultivariantPlaylist: the variant and its alternate renditions.
	MultivariantPlaylist
)

// IndexKind decides, once, whether a stream's index.m3u8 is its media
// playlist or its multivariant one, and keeps that for as long as it
// lives (one per timeline: the segmenter's life). A player that loaded
// index.m3u8 as a media playlist reloads it as one; were it to turn
// multivariant when a second audio track appears, the player would read
// a playlist with no segments. So renditions that appear later are only
// listed where the stream already was multivariant, or from the next
// timeline on; each rendition's own index.m3u8?r=N is a media playlist
// throughout. The zero value has not decided yet.
type IndexKind struct {
	kind PlaylistKind
}

// Choose returns what a playlist request is answered with while the
// stream has renditions renditions (the first one the video and default
// audio). named says the request names rendition r (index.m3u8?r=N);
// else it asks for index.m3u8, whose kind the first such request decides:
// multivariant if the stream has more than one rendition then, else
// media. A blocking reload (block) asks for a media playlist: it is
// answered with one, and decides index.m3u8 as media if nothing did.
// Choose never returns MediaPlaylist for a rendition out of range.
func (k *IndexKind) Choose(named bool, r, renditions int, block bool) PlaylistKind {
	if !named {
		r = 0
	}
	if r < 0 || r >= renditions {
		return NoPlaylist
	}
	if named || block {
		if k.kind == NoPlaylist && !named {
			k.kind = MediaPlaylist
		}
		return MediaPlaylist
	}
	if k.kind == NoPlaylist {
		k.kind = MediaPlaylist
		if renditions > 1 {
			k.kind = MultivariantPlaylist
		}
	}
	return k.kind
}

// Decided returns the kind index.m3u8 was given, or NoPlaylist before its
// first request.
func (k *IndexKind) Decided() PlaylistKind { return k.kind }
