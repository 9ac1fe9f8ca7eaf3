package fmp4

// Codec is the coding of one track's samples. It decides the sample entry
// written into the init segment and the handler (video or audio).
type Codec int

// The codecs the relay carries whose ISO BMFF sample entry is standard.
const (
	H264 Codec = iota + 1 // avc1 with avcC
	H265                  // hvc1 with hvcC
	AV1                   // av01 with av1C
	VP9                   // vp09 with vpcC
	AAC                   // mp4a with esds (MPEG-4 audio)
	Opus                  // Opus with dOps
	MP3                   // mp4a with esds (MPEG-1/2 layer III)
	FLAC                  // fLaC with dfLa
	AC3                   // ac-3 with dac3
	EAC3                  // ec-3 with dec3
)

var codecNames = [...]string{"", "h264", "h265", "av1", "vp9", "aac", "opus", "mp3", "flac", "ac3", "eac3"}

func (c Codec) String() string {
	if c > 0 && int(c) < len(codecNames) {
		return codecNames[c]
	}
	return "codec?"
}

// IsVideo reports whether c codes pictures.
func (c Codec) IsVideo() bool { return c >= H264 && c <= VP9 }

// IsAudio reports whether c codes sound.
func (c Codec) IsAudio() bool { return c >= AAC && c <= EAC3 }

// sampleEntry is the four-character type of c's sample entry box.
func (c Codec) sampleEntry() boxType {
	switch c {
	case H264:
		return typeAvc1
	case H265:
		return typeHvc1
	case AV1:
		return typeAv01
	case VP9:
		return typeVp09
	case AAC, MP3:
		return typeMp4a
	case Opus:
		return typeOpus
	case FLAC:
		return typeFLaC
	case AC3:
		return typeAc3
	case EAC3:
		return typeEc3
	}
	return 0
}

// configBox is the type of the box inside the sample entry that carries
// Track.Config.
func (c Codec) configBox() boxType {
	switch c {
	case H264:
		return typeAvcC
	case H265:
		return typeHvcC
	case AV1:
		return typeAv1C
	case VP9:
		return typeVpcC
	case AAC, MP3:
		return typeEsds
	case Opus:
		return typeDOps
	case FLAC:
		return typeDfLa
	case AC3:
		return typeDac3
	case EAC3:
		return typeDec3
	}
	return 0
}
