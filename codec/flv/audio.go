package flv

// SoundFormat is the 4-bit format of every audio tag.
type SoundFormat uint8

// Sound formats of the FLV specification; 9 now marks the Enhanced RTMP
// audio header.
const (
	SoundLinearPCM     SoundFormat = 0 // platform endian
	SoundADPCM         SoundFormat = 1
	SoundMP3           SoundFormat = 2
	SoundLinearPCMLE   SoundFormat = 3
	SoundNellymoser16k SoundFormat = 4
	SoundNellymoser8k  SoundFormat = 5
	SoundNellymoser    SoundFormat = 6
	SoundG711ALaw      SoundFormat = 7
	SoundG711MuLaw     SoundFormat = 8
	SoundExHeader      SoundFormat = 9 // Enhanced RTMP: the low nibble is a packet type
	SoundAAC           SoundFormat = 10
	SoundSpeex         SoundFormat = 11
	SoundMP38k         SoundFormat = 14
	SoundDevice        SoundFormat = 15
)

// AudioPacketType is the Enhanced RTMP audio packet type. Legacy AAC packet
// types map onto the first two (sequence header, raw).
type AudioPacketType uint8

// Enhanced RTMP v1 and v2 audio packet types; 3 and 6 are reserved.
const (
	AudioSequenceStart      AudioPacketType = 0
	AudioCodedFrames        AudioPacketType = 1
	AudioSequenceEnd        AudioPacketType = 2
	AudioMultichannelConfig AudioPacketType = 4
	AudioMultitrack         AudioPacketType = 5
	AudioModEx              AudioPacketType = 7
)

// AudioInfo describes an audio message payload. Every slice points into the
// payload that was classified.
type AudioInfo struct {
	// Kind is what a relay does with the message.
	Kind Kind
	// Format is the legacy sound format, SoundExHeader when Enhanced.
	Format SoundFormat
	// Enhanced is set for Enhanced RTMP (SoundFormat 9) payloads.
	Enhanced bool
	// Rate (0 5.5 kHz, 1 11 kHz, 2 22 kHz, 3 44 kHz), Bits16 and Stereo
	// are the legacy header fields; zero when Enhanced.
	Rate   uint8
	Bits16 bool
	Stereo bool
	// FourCC is the codec of the first track: the Enhanced RTMP FourCC,
	// or mp4a for legacy AAC, zero for other legacy formats.
	FourCC FourCC
	// PacketType is the packet type after ModEx and multitrack wrapping
	// are removed; legacy AAC packet types map onto the first two.
	PacketType AudioPacketType
	// Multitrack is set for Enhanced RTMP v2 multitrack messages, whose
	// mode is MultitrackMode.
	Multitrack     bool
	MultitrackMode MultitrackType
	// TrackID is the id of the first track (0 without multitrack) and
	// Tracks the number of tracks (1 without multitrack).
	TrackID uint8
	Tracks  int
	// TimestampNanoOffset is the ModEx nanosecond offset, 0 to 999999.
	TimestampNanoOffset uint32
	// Data is the first track's codec data: the configuration
	// (AudioSpecificConfig, OpusHead, ...), the channel configuration, or
	// the frames.
	Data []byte
}

// ClassifyAudio reads the header of an audio message payload (an FLV audio
// tag body) and says what it is. It validates the whole header, including
// every track of a multitrack message and each MultichannelConfig body,
// and never allocates.
func ClassifyAudio(payload []byte) (AudioInfo, error) {
	info, s, err := parseAudio(payload)
	if err != nil {
		return info, err
	}
	var n int
	for s.next() {
		if info.PacketType == AudioMultichannelConfig && !validChannelConfig(s.cur.data) {
			return AudioInfo{}, ErrTruncated
		}
		if n == 0 {
			info.FourCC, info.TrackID, info.Data = s.cur.fourCC, s.cur.id, s.cur.data
		}
		n++
	}
	if s.err != nil {
		return AudioInfo{}, s.err
	}
	info.Tracks = n
	return info, nil
}

func parseAudio(p []byte) (AudioInfo, trackScanner, error) {
	var info AudioInfo
	if len(p) < 1 {
		return info, trackScanner{}, ErrTruncated
	}
	info.Format = SoundFormat(p[0] >> 4)
	if info.Format != SoundExHeader {
		return parseLegacyAudio(p, info)
	}
	info.Enhanced = true
	pt, nano, rest, err := readModEx(p[1:], p[0]&0x0f, uint8(AudioModEx))
	if err != nil {
		return AudioInfo{}, trackScanner{}, err
	}
	info.TimestampNanoOffset = nano
	h, rest, err := readTrackHeader(rest, pt, uint8(AudioMultitrack), uint8(AudioModEx))
	if err != nil {
		return AudioInfo{}, trackScanner{}, err
	}
	info.PacketType = AudioPacketType(h.packetType)
	info.Multitrack, info.MultitrackMode = h.multitrack, h.mode
	switch info.PacketType {
	case AudioSequenceStart:
		info.Kind = KindSequenceStart
	case AudioSequenceEnd:
		info.Kind = KindSequenceEnd
	case AudioMultichannelConfig:
		info.Kind = KindChannelConfig
	case AudioCodedFrames:
		info.Kind = KindFrame
	default:
		return AudioInfo{}, trackScanner{}, ErrReserved
	}
	return info, trackScanner{hdr: h, rest: rest}, nil
}

func parseLegacyAudio(p []byte, info AudioInfo) (AudioInfo, trackScanner, error) {
	switch info.Format {
	case 12, 13:
		return AudioInfo{}, trackScanner{}, ErrReserved
	}
	info.Rate = p[0] >> 2 & 0x03
	info.Bits16 = p[0]&0x02 != 0
	info.Stereo = p[0]&0x01 != 0
	info.Kind, info.PacketType = KindFrame, AudioCodedFrames
	t := rawTrack{body: p[1:], data: p[1:]}
	if info.Format == SoundAAC {
		if len(p) < 2 {
			return AudioInfo{}, trackScanner{}, ErrTruncated
		}
		t.fourCC, t.data = FourCCAAC, p[2:]
		switch p[1] {
		case 0:
			info.Kind, info.PacketType = KindSequenceStart, AudioSequenceStart
		case 1:
		default:
			return AudioInfo{}, trackScanner{}, ErrReserved
		}
	}
	return info, single(t), nil
}

// validChannelConfig checks a MultichannelConfig body: channel order,
// channel count, then 32 flag bits for the native order or one mapping
// byte per channel for a custom order.
func validChannelConfig(b []byte) bool {
	if len(b) < 2 {
		return false
	}
	switch b[0] {
	case 1:
		return len(b) >= 6
	case 2:
		return len(b) >= 2+int(b[1])
	}
	return true
}
