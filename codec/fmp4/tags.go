package fmp4

import (
	"bytes"
	"fmt"

	"github.com/gortmp/rtmp/codec/flv"
)

// RTMP message type ids of the two media messages Tags reads.
const (
	TypeAudio uint8 = 8
	TypeVideo uint8 = 9
)

// Timescales of the tracks Tags makes: video in the 90 kHz clock MPEG
// systems use (a millisecond is exactly 90 ticks); audio in its own
// sampling rate, as players expect.
const VideoTimescale = 90000

// Tags turns the audio and video messages a relay carries (FLV tag
// bodies: legacy, Enhanced RTMP with FourCC, ModEx and multitrack) into
// fragmented MP4 tracks and samples. It keeps one track per media kind and
// FLV track id, numbered from 1 in the order their configuration first
// came. The zero value is ready to use.
type Tags struct {
	tracks  []tagTrack
	set     []Track
	samples []TrackSample
	// last and epochs extend the 32-bit millisecond timestamps across
	// their wrap (about every 49.7 days).
	last    uint32
	epochs  uint64
	started bool
}

type tagTrack struct {
	video bool
	flvID uint8
	track Track
}

// Event is what one message meant. Samples is reused by the next Push.
type Event struct {
	// TracksChanged says the track set (Tracks) is new: a track appeared
	// or its configuration changed, so a new init segment is needed
	// before the samples.
	TracksChanged bool
	// Samples are the coded frames the message carried, one per track
	// (several for a multitrack message).
	Samples []TrackSample
}

// TrackSample is one frame for a track. Sample.Duration is zero: it is
// known only when the track's next sample comes (Muxer fills it).
type TrackSample struct {
	TrackID uint32
	// DTS is the decode time in the track's timescale.
	DTS uint64
	// Keyframe marks a video random access point; Sample.Sync says the
	// same, and is set for every audio frame.
	Keyframe bool
	Sample   Sample
}

// Tracks is the current track set, ordered by id. The caller must not
// modify it; it is replaced, not changed, when the set changes.
func (t *Tags) Tracks() []Track { return t.set }

// Push reads one message: typeID 8 (audio) or 9 (video), its timestamp in
// milliseconds, and its body. Other message types, codecs without a
// standard sample entry (VP6, Speex, AC-3, ...), frames before their
// track's configuration, commands and metadata mean nothing. Sample data
// points into body. A malformed header or configuration is an error and
// changes nothing.
func (t *Tags) Push(typeID uint8, timestampMs uint32, body []byte) (Event, error) {
	t.samples = t.samples[:0]
	switch typeID {
	case TypeVideo:
		return t.pushVideo(t.extend(timestampMs), body)
	case TypeAudio:
		return t.pushAudio(t.extend(timestampMs), body)
	}
	return Event{}, nil
}

// extend turns a 32-bit timestamp into a 64-bit one, counting wraps: a
// step back by more than half the range is a step forward over the wrap.
func (t *Tags) extend(ms uint32) uint64 {
	if t.started && ms < t.last && t.last-ms > 1<<31 {
		t.epochs++
	} else if t.started && ms > t.last && ms-t.last > 1<<31 && t.epochs > 0 {
		t.epochs-- // a late message from before the wrap
	}
	t.started, t.last = true, ms
	return t.epochs<<32 | uint64(ms)
}

func (t *Tags) pushVideo(ms uint64, body []byte) (Event, error) {
	info, err := flv.ClassifyVideo(body)
	if err != nil {
		return Event{}, fmt.Errorf("fmp4: video message: %w", err)
	}
	switch info.Kind {
	case flv.KindSequenceStart, flv.KindFrame, flv.KindKeyframe:
	default:
		return Event{}, nil
	}
	var ev Event
	it := flv.VideoTracks(body)
	for it.Next() {
		vt := it.Track()
		codec := videoCodecs[vt.FourCC]
		if codec == 0 {
			continue
		}
		if info.Kind == flv.KindSequenceStart {
			if vt.PacketType != flv.VideoSequenceStart {
				continue // an MPEG-2 TS descriptor, not the ISO BMFF record
			}
			changed, err := t.configure(true, vt.ID, codec, vt.Data, nil)
			if err != nil {
				return Event{}, err
			}
			ev.TracksChanged = ev.TracksChanged || changed
			continue
		}
		tr := t.find(true, vt.ID)
		if tr == nil || tr.track.Codec != codec || len(vt.Data) == 0 {
			continue
		}
		data := vt.Data
		if codec == AV1 && len(data) > 2 && data[0] == temporalDelimiter[0] && data[1] == temporalDelimiter[1] {
			// The AV1 binding leaves temporal delimiters out of samples:
			// a sample is one temporal unit already.
			data = data[2:]
		}
		key := info.Kind == flv.KindKeyframe
		t.samples = append(t.samples, TrackSample{
			TrackID: tr.track.ID, DTS: decodeTime(ms, info.TimestampNanoOffset, VideoTimescale), Keyframe: key,
			Sample: Sample{Sync: key, CompositionOffset: vt.CompositionTime * (VideoTimescale / 1000), Data: data},
		})
	}
	if err := it.Err(); err != nil {
		return Event{}, fmt.Errorf("fmp4: video message: %w", err)
	}
	if ev.TracksChanged {
		t.rebuild()
	}
	ev.Samples = t.samples
	return ev, nil
}

// temporalDelimiter is the AV1 temporal delimiter OBU with its size
// field: type 2, has-size, payload size 0.
var temporalDelimiter = [2]byte{0x12, 0x00}

var videoCodecs = map[flv.FourCC]Codec{flv.FourCCAVC: H264, flv.FourCCHEVC: H265, flv.FourCCAV1: AV1, flv.FourCCVP9: VP9}

var audioCodecs = map[flv.FourCC]Codec{flv.FourCCAAC: AAC, flv.FourCCOpus: Opus, flv.FourCCFLAC: FLAC, flv.FourCCMP3: MP3, flv.FourCCAC3: AC3, flv.FourCCEAC3: EAC3}

// selfDescribing reports whether c's frames carry their configuration,
// with no sequence start before them.
func selfDescribing(c Codec) bool { return c == MP3 || c == AC3 || c == EAC3 }

func (t *Tags) pushAudio(ms uint64, body []byte) (Event, error) {
	info, err := flv.ClassifyAudio(body)
	if err != nil {
		return Event{}, fmt.Errorf("fmp4: audio message: %w", err)
	}
	switch info.Kind {
	case flv.KindSequenceStart, flv.KindFrame:
	default:
		return Event{}, nil
	}
	var ev Event
	it := flv.AudioTracks(body)
	for it.Next() {
		at := it.Track()
		codec := audioCodecs[at.FourCC]
		if !info.Enhanced && (info.Format == flv.SoundMP3 || info.Format == flv.SoundMP38k) {
			codec = MP3
		}
		if codec == 0 {
			continue
		}
		if info.Kind == flv.KindSequenceStart {
			changed, err := t.configure(false, at.ID, codec, at.Data, nil)
			if err != nil {
				return Event{}, err
			}
			ev.TracksChanged = ev.TracksChanged || changed
			continue
		}
		if len(at.Data) == 0 {
			continue
		}
		tr := t.find(false, at.ID)
		if selfDescribing(codec) && (tr == nil || tr.track.Codec != codec) {
			// No configuration message comes: the first frame describes
			// the stream.
			changed, err := t.configure(false, at.ID, codec, nil, at.Data)
			if err != nil {
				return Event{}, err
			}
			ev.TracksChanged = ev.TracksChanged || changed
			tr = t.find(false, at.ID)
		}
		if tr == nil || tr.track.Codec != codec {
			continue
		}
		t.samples = append(t.samples, TrackSample{
			TrackID: tr.track.ID, DTS: decodeTime(ms, info.TimestampNanoOffset, tr.track.Timescale),
			Sample: Sample{Sync: true, Data: at.Data},
		})
	}
	if err := it.Err(); err != nil {
		return Event{}, fmt.Errorf("fmp4: audio message: %w", err)
	}
	if ev.TracksChanged {
		t.rebuild()
	}
	ev.Samples = t.samples
	return ev, nil
}

// decodeTime converts a timestamp in milliseconds, with the ModEx
// nanosecond offset (under a millisecond), to a timescale's units,
// rounding down. The milliseconds' remainder is carried apart so that no
// product overflows.
func decodeTime(ms uint64, nano uint32, timescale uint32) uint64 {
	whole := ms * uint64(timescale)
	return whole/1000 + (whole%1000*1_000_000+uint64(nano)*uint64(timescale))/1_000_000_000
}

func (t *Tags) find(video bool, id uint8) *tagTrack {
	for i := range t.tracks {
		if t.tracks[i].video == video && t.tracks[i].flvID == id {
			return &t.tracks[i]
		}
	}
	return nil
}

// configure sets the codec and configuration of a track, adding it if
// new, and reports whether anything changed. frame is an MP3 frame to
// take the rate from.
func (t *Tags) configure(video bool, id uint8, codec Codec, cfg, frame []byte) (bool, error) {
	nt := Track{Codec: codec}
	var err error
	switch codec {
	case H264, H265, AV1, VP9:
		nt.Timescale = VideoTimescale
		nt.Config = cfg
		nt.Width, nt.Height = videoSize(codec, cfg)
	case AAC:
		nt.SampleRate, nt.Channels, err = parseASC(cfg)
		nt.Config = cfg
	case Opus:
		if len(cfg) < opusHeadMin || string(cfg[:8]) != "OpusHead" {
			return false, errorf("Opus configuration is not an OpusHead packet")
		}
		nt.SampleRate, nt.Channels, nt.Config = opusRate, opusHeadChannels(cfg), cfg
	case FLAC:
		nt.Config, nt.SampleRate, nt.Channels, err = flacConfig(cfg)
	case MP3:
		var ok bool
		if nt.SampleRate, nt.Channels, ok = parseMP3Header(frame); !ok {
			return false, errorf("MP3 frame without a frame header")
		}
	case AC3:
		var ok bool
		if nt.Config, nt.SampleRate, nt.Channels, ok = ac3Config(frame); !ok {
			return false, errorf("AC-3 frame without a syncframe header")
		}
	case EAC3:
		var ok bool
		if nt.Config, nt.SampleRate, nt.Channels, ok = eac3Config(frame); !ok {
			return false, errorf("E-AC-3 frame without a syncframe header")
		}
	}
	if err != nil {
		return false, err
	}
	if nt.Timescale == 0 {
		nt.Timescale = nt.SampleRate
	}
	if err := (&Track{ID: 1, Codec: nt.Codec, Timescale: nt.Timescale, Config: nt.Config}).validate(); err != nil {
		return false, err
	}
	tr := t.find(video, id)
	if tr == nil {
		if len(t.tracks) == maxTracks {
			return false, errorf("more than %d tracks", maxTracks)
		}
		t.tracks = append(t.tracks, tagTrack{video: video, flvID: id})
		tr = &t.tracks[len(t.tracks)-1]
		nt.ID = uint32(len(t.tracks))
	} else {
		nt.ID = tr.track.ID
		old := tr.track
		if old.Codec == nt.Codec && old.Timescale == nt.Timescale && old.Width == nt.Width && old.Height == nt.Height &&
			old.SampleRate == nt.SampleRate && old.Channels == nt.Channels && bytes.Equal(old.Config, nt.Config) {
			return false, nil // a repeated configuration, as publishers and relays send
		}
	}
	nt.Config = bytes.Clone(nt.Config) // the message body is the caller's
	tr.track = nt
	return true, nil
}

// rebuild makes a new Tracks slice, so one handed out earlier stays as it
// was.
func (t *Tags) rebuild() {
	set := make([]Track, len(t.tracks))
	for i := range t.tracks {
		set[i] = t.tracks[i].track
	}
	t.set = set
}
