package message

import (
	"encoding/binary"
	"fmt"
)

// Protocol control messages (types 1, 2, 3, 5 and 6): fixed-size
// big-endian fields.

var be = binary.BigEndian

func decode32(t TypeID, what string, p []byte) (uint32, error) {
	if len(p) < 4 {
		return 0, short(t, what, 4, len(p))
	}
	return be.Uint32(p), nil
}

// decodeSetChunkSize enforces what the specification says of the field:
// the top bit is zero and the size is at least 1.
func decodeSetChunkSize(p []byte) (Body, error) {
	v, err := decode32(TypeSetChunkSize, "Set Chunk Size", p)
	if err != nil {
		return nil, err
	}
	if v == 0 || v>>31 != 0 {
		return nil, &FormatError{Type: TypeSetChunkSize, Reason: fmt.Sprintf("chunk size %#x outside 1..2^31-1", v)}
	}
	return SetChunkSize{Size: v}, nil
}

func appendSetChunkSize(dst []byte, b SetChunkSize) ([]byte, error) {
	if b.Size == 0 || b.Size>>31 != 0 {
		return dst, &FormatError{Type: TypeSetChunkSize, Reason: fmt.Sprintf("chunk size %#x outside 1..2^31-1", b.Size)}
	}
	return be.AppendUint32(dst, b.Size), nil
}

// decodeSetPeerBandwidth keeps a limit type beyond the three defined ones
// as it is: what to do with it is the session's call.
func decodeSetPeerBandwidth(p []byte) (Body, error) {
	if len(p) < 5 {
		return nil, short(TypeSetPeerBandwidth, "Set Peer Bandwidth", 5, len(p))
	}
	return SetPeerBandwidth{Size: be.Uint32(p), Limit: LimitType(p[4])}, nil
}
