package relay

import "github.com/gortmp/rtmp/codec/flv"

// View is how much of a stream a player can take, from what it declared
// in its connect (see core.Capabilities): every track, or only the
// default track (track 0) as a plain single-track stream.
type View uint8

const (
	// ViewAll passes every message as published: the player declared
	// Enhanced RTMP multitrack. It is the view of Stream.Play.
	ViewAll View = iota
	// ViewDefaultTrack gives an Enhanced RTMP player without multitrack
	// track 0 of each multitrack message as a single-track message;
	// single-track messages pass untouched.
	ViewDefaultTrack
	// ViewLegacy is ViewDefaultTrack for a player that declared nothing
	// of Enhanced RTMP: avc1 and mp4a in addition go out in their legacy
	// form (codec id 7, sound format 10), which every player reads. Other
	// codecs keep their Enhanced form, the only one they have; legacy
	// H.264/AAC streams pass untouched.
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
// message without track 0). The payload is m.Payload itself whenever the
// view changes nothing, so a legacy stream costs no copy; otherwise it is
// new. Payloads codec/flv cannot read pass untouched, as the relay
// forwards them to every player.
func (v View) Payload(m Media) ([]byte, bool) {
	if v == ViewAll || v >= viewCount {
		return m.Payload, true
	}
	p, ok := defaultTrack(m)
	if ok && v == ViewLegacy {
		p = legacyForm(m.Kind, p)
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
		if cerr == nil && info.Multitrack {
			// One allocation: a track is never longer than its message.
			if p, err = flv.ExtractVideoTrack(make([]byte, 0, len(p)), p, 0); err != nil {
				return nil, false
			}
		}
	case Audio:
		info, cerr := flv.ClassifyAudio(p)
		if cerr == nil && info.Multitrack {
			if p, err = flv.ExtractAudioTrack(make([]byte, 0, len(p)), p, 0); err != nil {
				return nil, false
			}
		}
	}
	return p, true
}

// legacyForm turns a single-track avc1 or mp4a payload into its legacy
// form and returns any other payload as it is.
func legacyForm(k Kind, p []byte) []byte {
	switch k {
	case Video:
		if info, err := flv.ClassifyVideo(p); err == nil && info.Enhanced && info.FourCC == flv.FourCCAVC {
			if legacy, ok, _ := flv.AppendLegacyVideo(make([]byte, 0, len(p)), p); ok {
				return legacy
			}
		}
	case Audio:
		if info, err := flv.ClassifyAudio(p); err == nil && info.Enhanced && info.FourCC == flv.FourCCAAC {
			if legacy, ok, _ := flv.AppendLegacyAudio(make([]byte, 0, len(p)), p); ok {
				return legacy
			}
		}
	}
	return p
}
