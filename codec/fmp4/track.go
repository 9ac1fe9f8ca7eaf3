package fmp4

import "fmt"

// Track is one track of an init segment: its codec, the units of its
// timestamps and its decoder configuration.
type Track struct {
	// ID is the track_ID, from 1; fragments name their track by it.
	ID uint32
	// Codec says how the samples are coded.
	Codec Codec
	// Timescale is the number of timestamp units per second.
	Timescale uint32
	// Config is the decoder configuration as the relay carries it in a
	// sequence start: the AVCDecoderConfigurationRecord (H264),
	// HEVCDecoderConfigurationRecord (H265), AV1CodecConfigurationRecord
	// (AV1), VPCodecConfigurationRecord (VP9), AudioSpecificConfig (AAC),
	// the OpusHead packet (Opus), the FLAC metadata blocks after "fLaC"
	// (FLAC), or the body of the dac3 (AC3) or dec3 (EAC3) box, which Tags
	// makes from the first frame. MP3 needs none.
	Config []byte
	// Width and Height are the picture size in pixels (video).
	Width, Height uint16
	// SampleRate and Channels describe the sound (audio).
	SampleRate uint32
	Channels   uint16
}

// Sample is one coded frame of a run.
type Sample struct {
	// Duration is the time to the next sample, in the track's timescale.
	Duration uint32
	// CompositionOffset is presentation time minus decode time.
	CompositionOffset int32
	// Sync marks a random access point (a keyframe; every audio frame).
	Sync bool
	// Data is the coded frame: length-prefixed NAL units for H264 and
	// H265, OBUs for AV1, the frame for the others.
	Data []byte
}

// Run is a track's consecutive samples in one fragment.
type Run struct {
	TrackID uint32
	// BaseDecodeTime is the decode time of the first sample, in the
	// track's timescale, counted from the start of the presentation.
	BaseDecodeTime uint64
	Samples        []Sample
}

// maxTracks bounds the tracks of an init segment and the runs of a
// fragment, so a parse of hostile input stays small.
const maxTracks = 64

func (t *Track) validate() error {
	switch {
	case t.ID == 0:
		return errorf("track id 0")
	case t.Timescale == 0:
		return errorf("track %d: timescale 0", t.ID)
	case !t.Codec.IsVideo() && !t.Codec.IsAudio():
		return errorf("track %d: unknown codec %d", t.ID, int(t.Codec))
	case t.Codec != MP3 && len(t.Config) == 0:
		return errorf("track %d: no %v configuration", t.ID, t.Codec)
	case len(t.Config) > maxConfig:
		return errorf("track %d: configuration of %d bytes", t.ID, len(t.Config))
	}
	if t.Codec == Opus {
		if _, err := opusMapping(t.Config); err != nil {
			return fmt.Errorf("track %d: %w", t.ID, err)
		}
	}
	return nil
}

// maxConfig bounds a decoder configuration: real ones are a few hundred
// bytes, and esds sizes must fit its descriptors.
const maxConfig = 1 << 16
