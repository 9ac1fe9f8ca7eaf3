package relay

import "github.com/gortmp/rtmp/codec/flv"

// View is how much of a stream a player can take, from what it declared
// in its connect (see core.Capabilities). A player never gets what its
// view cannot read: a message that is not for it is held back.
type View uint8

const (
	// ViewAll passes every message as published: the player declared
	// Enhanced RTMP multitrack. It is the view of Stream.Play, and the
	// only one that gets Unreadable messages.
	ViewAll View = iota
	// ViewDefaultTrack gives an Enhanced RTMP player without multitrack
	// the default track (track 0) only: track 0 of each multitrack
	// message as a single-track message, single-track messages as they
	// are, and nothing of other tracks.
	ViewDefaultTrack
	// ViewLegacy is ViewDefaultTrack for a player that declared nothing
	// of Enhanced RTMP, which reads no Enhanced RTMP tag at all: avc1 and
	// mp4a go out in their legacy form (codec id 7, sound format 10),
	// legacy tags pass untouched, and the other Enhanced RTMP codecs,
	// which have no legacy form, are held back.
	ViewLegacy
	viewCount
)

// NumViews is the number of views, so a caller can keep one encoding per
// view in an array.
const NumViews = int(viewCount)

// String names the view for logs and test output.
func (v View) String() string {
	switch v {
	case ViewAll:
		return "all-tracks"
	case ViewDefaultTrack:
		return "default-track"
	case ViewLegacy:
		return "legacy"
	}
	return "unknown"
}

// Payload returns a message's payload as a player with this view receives
// it, and false when the message holds nothing for it (a multitrack
// message without track 0, an Enhanced RTMP codec for a legacy player, a
// payload codec/flv cannot read). The payload is m.Payload itself whenever
// the view changes nothing, so a legacy stream costs no copy; otherwise it
// is new.
func (v View) Payload(m Media) ([]byte, bool) {
	if v == ViewAll || v >= viewCount {
		return m.Payload, true
	}
	p, ok := defaultTrack(m)
	if ok && v == ViewLegacy {
		return legacyForm(m.Kind, p)
	}
	return p, ok
}

// defaultTrack is the ViewDefaultTrack payload of m.
func defaultTrack(m Media) ([]byte, bool) {
	p := m.Payload
	var err error
	switch m.Kind {
	case Video:
		info, cerr := flv.ClassifyVideo(p)
		if cerr != nil {
			return nil, false
		}
		if info.Multitrack {
			// One allocation: a track is never longer than its message.
			if p, err = flv.ExtractVideoTrack(make([]byte, 0, len(p)), p, 0); err != nil {
				return nil, false
			}
		}
	case Audio:
		info, cerr := flv.ClassifyAudio(p)
		if cerr != nil {
			return nil, false
		}
		if info.Multitrack {
			if p, err = flv.ExtractAudioTrack(make([]byte, 0, len(p)), p, 0); err != nil {
				return nil, false
			}
		}
	}
	return p, true
}

// legacyForm turns a single-track avc1 or mp4a payload into its legacy
// form, passes a legacy payload as it is, and holds back any other
// Enhanced RTMP payload.
func legacyForm(k Kind, p []byte) ([]byte, bool) {
	switch k {
	case Video:
		info, err := flv.ClassifyVideo(p)
		if err != nil {
			return nil, false
		}
		if !info.Enhanced {
			return p, true
		}
		if info.FourCC != flv.FourCCAVC {
			return nil, false
		}
		legacy, ok, _ := flv.AppendLegacyVideo(make([]byte, 0, len(p)), p)
		return legacy, ok
	case Audio:
		info, err := flv.ClassifyAudio(p)
		if err != nil {
			return nil, false
		}
		if !info.Enhanced {
			return p, true
		}
		if info.FourCC != flv.FourCCAAC {
			return nil, false
		}
		legacy, ok, _ := flv.AppendLegacyAudio(make([]byte, 0, len(p)), p)
		return legacy, ok
	}
	return p, true
}
