package flv

// VideoFrameType is the 3-bit frame type of every video tag.
type VideoFrameType uint8

// Frame types of the FLV specification, kept by Enhanced RTMP.
const (
	FrameKey            VideoFrameType = 1 // seekable frame (IDR)
	FrameInter          VideoFrameType = 2
	FrameDisposable     VideoFrameType = 3 // disposable inter frame (H.263 only)
	FrameGeneratedKey   VideoFrameType = 4 // keyframe made by a server for seeking
	FrameCommand        VideoFrameType = 5 // video info / command frame, not media
	videoFrameTypeLimit                = 6
)

// VideoCodec is the legacy 4-bit codec id of a video tag without the
// Enhanced RTMP header bit.
type VideoCodec uint8

// Legacy codec ids.
const (
	CodecJPEG          VideoCodec = 1
	CodecSorensonH263  VideoCodec = 2
	CodecScreenVideo   VideoCodec = 3
	CodecVP6           VideoCodec = 4
	CodecVP6Alpha      VideoCodec = 5
	CodecScreenVideoV2 VideoCodec = 6
	CodecAVC           VideoCodec = 7
	// CodecHEVCLegacy is the unofficial HEVC id many Chinese servers and
	// encoders used before Enhanced RTMP; its layout is the AVC one.
	CodecHEVCLegacy VideoCodec = 12
)

// VideoPacketType is the Enhanced RTMP video packet type. Legacy AVC packet
// types map onto the first three (sequence header, NALU, end of sequence).
type VideoPacketType uint8

// Enhanced RTMP v1 and v2 video packet types.
const (
	VideoSequenceStart        VideoPacketType = 0
	VideoCodedFrames          VideoPacketType = 1 // with a composition time for avc1 and hvc1
	VideoSequenceEnd          VideoPacketType = 2
	VideoCodedFramesX         VideoPacketType = 3 // composition time zero, not carried
	VideoMetadata             VideoPacketType = 4
	VideoMPEG2TSSequenceStart VideoPacketType = 5
	VideoMultitrack           VideoPacketType = 6
	VideoModEx                VideoPacketType = 7
)

// VideoCommand is the one-byte body of a command frame.
type VideoCommand uint8

// Video commands.
const (
	CommandStartSeek VideoCommand = 0
	CommandEndSeek   VideoCommand = 1
)

// VideoInfo describes a video message payload. Every slice points into the
// payload that was classified.
type VideoInfo struct {
	// Kind is what a relay does with the message.
	Kind Kind
	// FrameType is the frame type of the message (all tracks share it).
	FrameType VideoFrameType
	// Enhanced is set for Enhanced RTMP (IsExHeader) payloads.
	Enhanced bool
	// Codec is the legacy codec id; zero when Enhanced.
	Codec VideoCodec
	// FourCC is the codec of the first track: the Enhanced RTMP FourCC, or
	// avc1/hvc1 for legacy AVC and legacy HEVC, zero for other legacy codecs.
	FourCC FourCC
	// PacketType is the packet type after ModEx and multitrack wrapping
	// are removed; legacy AVC packet types map onto the first three.
	PacketType VideoPacketType
	// Multitrack is set for Enhanced RTMP v2 multitrack messages, whose
	// mode is MultitrackMode.
	Multitrack     bool
	MultitrackMode MultitrackType
	// TrackID is the id of the first track (0 without multitrack) and
	// Tracks the number of tracks (1 without multitrack).
	TrackID uint8
	Tracks  int
	// CompositionTime is the first track's composition time offset in
	// milliseconds (AVC and HEVC CodedFrames only).
	CompositionTime int32
	// TimestampNanoOffset is the ModEx nanosecond offset, 0 to 999999.
	TimestampNanoOffset uint32
	// Command is the command of a KindCommand message.
	Command VideoCommand
	// Data is the first track's codec data: the decoder configuration
	// record, the frames after any composition time, or the metadata.
	Data []byte
}

// ClassifyVideo reads the header of a video message payload (an FLV video
// tag body) and says what it is. It validates the whole header, including
// every track of a multitrack message, and never allocates. Truncated or
// inconsistent headers give ErrTruncated, ErrReserved or ErrMultitrack.
func ClassifyVideo(payload []byte) (VideoInfo, error) {
	info, s, err := parseVideo(payload)
	if err != nil || info.Kind == KindCommand {
		return info, err
	}
	first, n, err := s.count()
	if err != nil {
		return VideoInfo{}, err
	}
	info.FourCC, info.TrackID, info.Tracks = first.fourCC, first.id, n
	info.CompositionTime, info.Data = first.cto, first.data
	return info, nil
}

// parseVideo reads the header fields shared by all tracks and returns a
// scanner positioned on the first track.
func parseVideo(p []byte) (VideoInfo, trackScanner, error) {
	var info VideoInfo
	if len(p) < 1 {
		return info, trackScanner{}, ErrTruncated
	}
	info.FrameType = VideoFrameType(p[0] >> 4 & 0x07)
	if info.FrameType == 0 || info.FrameType >= videoFrameTypeLimit {
		return VideoInfo{}, trackScanner{}, ErrReserved
	}
	if p[0]&0x80 == 0 {
		return parseLegacyVideo(p, info)
	}
	info.Enhanced = true
	pt, nano, rest, err := readModEx(p[1:], p[0]&0x0f, uint8(VideoModEx))
	if err != nil {
		return VideoInfo{}, trackScanner{}, err
	}
	info.TimestampNanoOffset = nano
	info.PacketType = VideoPacketType(pt)
	if info.FrameType == FrameCommand && info.PacketType != VideoMetadata {
		if len(rest) < 1 {
			return VideoInfo{}, trackScanner{}, ErrTruncated
		}
		info.Kind, info.Command, info.Tracks = KindCommand, VideoCommand(rest[0]), 1
		return info, trackScanner{}, nil
	}
	h, rest, err := readTrackHeader(rest, pt, uint8(VideoMultitrack), uint8(VideoModEx))
	if err != nil {
		return VideoInfo{}, trackScanner{}, err
	}
	info.PacketType = VideoPacketType(h.packetType)
	info.Multitrack, info.MultitrackMode = h.multitrack, h.mode
	switch info.PacketType {
	case VideoSequenceStart, VideoMPEG2TSSequenceStart:
		info.Kind = KindSequenceStart
	case VideoSequenceEnd:
		info.Kind = KindSequenceEnd
	case VideoMetadata:
		info.Kind = KindMetadata
	case VideoCodedFrames, VideoCodedFramesX:
		info.Kind = frameKind(info.FrameType)
	default:
		return VideoInfo{}, trackScanner{}, ErrReserved
	}
	s := trackScanner{hdr: h, rest: rest, ctoPacket: info.PacketType == VideoCodedFrames}
	return info, s, nil
}

// parseLegacyVideo reads a tag without the Enhanced RTMP bit. AVC (and the
// unofficial HEVC id) carry a packet type and a composition time; other
// codecs are opaque after the first byte.
func parseLegacyVideo(p []byte, info VideoInfo) (VideoInfo, trackScanner, error) {
	info.Codec = VideoCodec(p[0] & 0x0f)
	info.Kind = frameKind(info.FrameType)
	info.PacketType = VideoCodedFrames
	t := rawTrack{body: p[1:], data: p[1:]}
	switch info.Codec {
	case CodecAVC, CodecHEVCLegacy:
		t.fourCC = FourCCAVC
		if info.Codec == CodecHEVCLegacy {
			t.fourCC = FourCCHEVC
		}
		if len(p) < 5 {
			return VideoInfo{}, trackScanner{}, ErrTruncated
		}
		t.cto, t.data = si24(p[2:5]), p[5:]
		switch p[1] {
		case 0:
			info.PacketType = VideoSequenceStart
		case 1:
			info.PacketType = VideoCodedFrames
		case 2:
			info.PacketType = VideoSequenceEnd
		default:
			return VideoInfo{}, trackScanner{}, ErrReserved
		}
		if info.FrameType != FrameCommand {
			info.Kind = [...]Kind{KindSequenceStart, info.Kind, KindSequenceEnd}[p[1]]
		}
	case 0, 8, 9, 10, 11, 13, 14, 15:
		return VideoInfo{}, trackScanner{}, ErrReserved
	}
	if info.FrameType == FrameCommand {
		// The command byte follows the whole legacy tag header.
		if len(t.data) < 1 {
			return VideoInfo{}, trackScanner{}, ErrTruncated
		}
		info.Kind, info.Command, info.Tracks = KindCommand, VideoCommand(t.data[0]), 1
		info.FourCC = t.fourCC
		return info, trackScanner{}, nil
	}
	return info, single(t), nil
}

func frameKind(ft VideoFrameType) Kind {
	if ft == FrameKey || ft == FrameGeneratedKey {
		return KindKeyframe
	}
	return KindFrame
}
