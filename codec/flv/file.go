package flv

// TagType is the type of an FLV tag (the low five bits of its first byte).
type TagType uint8

// Tag types of the FLV specification.
const (
	TagAudio  TagType = 8
	TagVideo  TagType = 9
	TagScript TagType = 18 // AMF0 data such as onMetaData
)

// Header is the FLV file header.
type Header struct {
	// Version is 1 in every file written so far.
	Version  uint8
	HasAudio bool
	HasVideo bool
	// DataOffset is the header length, 9 unless a later version grows it.
	// The writer uses 9 when it is zero.
	DataOffset uint32
}

// Tag is one FLV tag. Its Data is an audio or video message payload or an
// AMF0 script body, exactly as RTMP carries it.
type Tag struct {
	Type TagType
	// Filter marks pre-processed (encrypted) data.
	Filter bool
	// Timestamp is in milliseconds; files store 24 bits plus 8 extended
	// bits, which together are all 32.
	Timestamp uint32
	// StreamID is always 0 in files that follow the specification.
	StreamID uint32
	Data     []byte
}

// Size is how many bytes the tag takes in a file or stream: its header,
// its data and the previous-tag-size trailer after it (what AppendTag
// appends).
func (t Tag) Size() int { return tagHeaderLen + len(t.Data) + 4 }

const (
	headerLen    = 9
	tagHeaderLen = 11
	// maxTagData is the largest data size the 24-bit field can hold.
	maxTagData = 1<<24 - 1
)
