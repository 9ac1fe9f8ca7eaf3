package chunk

import "encoding/binary"

// Wire constants of the chunk stream (RTMP specification, section 5.3).
const (
	// DefaultChunkSize is the chunk size both directions start with.
	DefaultChunkSize = 128
	// MaxChunkSize is the largest chunk size Set Chunk Size can carry: 31
	// bits, the top bit of the field must be zero.
	MaxChunkSize = 1<<31 - 1
	// MinChunkStreamID and MaxChunkStreamID bound the chunk stream ids the
	// three basic-header forms can carry (0 and 1 are form markers).
	MinChunkStreamID = 2
	MaxChunkStreamID = 65599
	// MaxMessageLength is the largest message the 24-bit length field of a
	// message header can describe.
	MaxMessageLength = 0xFFFFFF

	// extendedMarker in a 24-bit timestamp field says the real value follows
	// in a 4-byte extended timestamp.
	extendedMarker = 0xFFFFFF
	// maxHeaderLen is the longest chunk header: a 3-byte basic header, an
	// 11-byte type-0 message header and a 4-byte extended timestamp.
	maxHeaderLen = 3 + 11 + 4
)

// The four chunk header formats ("fmt" in the specification).
const (
	format0 byte = 0 // full message header
	format1 byte = 1 // delta, length and type; same message stream
	format2 byte = 2 // delta only
	format3 byte = 3 // nothing: continuation, or a new message like the last
)

// messageHeaderLen is the message header length of each format.
var messageHeaderLen = [4]int{11, 7, 3, 0}

// basicHeaderLen is the length of the basic header that carries csid.
func basicHeaderLen(csid uint32) int {
	switch {
	case csid < 64:
		return 1
	case csid < 320:
		return 2
	default:
		return 3
	}
}

// appendBasicHeader writes the shortest basic header that holds csid.
func appendBasicHeader(dst []byte, format byte, csid uint32) []byte {
	switch {
	case csid < 64:
		return append(dst, format<<6|byte(csid))
	case csid < 320:
		return append(dst, format<<6, byte(csid-64))
	default:
		v := csid - 64
		// The 3-byte form stores csid-64 little-endian.
		return append(dst, format<<6|1, byte(v), byte(v>>8))
	}
}

// readBasicHeader parses a basic header from b. n is 0 when b is too short.
func readBasicHeader(b []byte) (format byte, csid uint32, n int) {
	if len(b) == 0 {
		return 0, 0, 0
	}
	format = b[0] >> 6
	switch low := b[0] & 0x3f; low {
	case 0:
		if len(b) < 2 {
			return 0, 0, 0
		}
		return format, uint32(b[1]) + 64, 2
	case 1:
		if len(b) < 3 {
			return 0, 0, 0
		}
		return format, uint32(b[1]) + uint32(b[2])<<8 + 64, 3
	default:
		return format, uint32(low), 1
	}
}

func get24(b []byte) uint32 { return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]) }

func append24(dst []byte, v uint32) []byte { return append(dst, byte(v>>16), byte(v>>8), byte(v)) }

// appendField writes a 24-bit timestamp or delta field, or the marker that
// says an extended timestamp follows.
func appendField(dst []byte, v uint32) []byte { return append24(dst, min(v, extendedMarker)) }

// needsExtended reports whether a timestamp or delta needs the extended
// field: the specification reserves 0xFFFFFF itself as the marker.
func needsExtended(v uint32) bool { return v >= extendedMarker }

var (
	be = binary.BigEndian
	le = binary.LittleEndian
)
