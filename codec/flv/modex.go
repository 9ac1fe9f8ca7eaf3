package flv

// modExTimestampOffsetNano is the ModEx type (the same value for audio and
// video) whose data is a 24-bit nanosecond offset added to the message
// timestamp.
const modExTimestampOffsetNano = 0

// readModEx consumes the Enhanced RTMP v2 ModEx chain that follows a packet
// type of modExType. Each link is a size (UI8 + 1, or UI16 + 1 when the UI8
// form reads 256), that many data bytes, then a byte holding the ModEx type
// (high nibble) and the next packet type (low nibble). Every link consumes
// at least two bytes, so the loop ends on any input.
func readModEx(rest []byte, packetType, modExType uint8) (uint8, uint32, []byte, error) {
	var nano uint32
	for packetType == modExType {
		if len(rest) < 1 {
			return 0, 0, nil, ErrTruncated
		}
		size := int(rest[0]) + 1
		rest = rest[1:]
		if size == 256 {
			if len(rest) < 2 {
				return 0, 0, nil, ErrTruncated
			}
			size = int(be16(rest)) + 1
			rest = rest[2:]
		}
		if len(rest) < size+1 {
			return 0, 0, nil, ErrTruncated
		}
		data := rest[:size]
		kind := rest[size] >> 4
		packetType = rest[size] & 0x0f
		rest = rest[size+1:]
		if kind == modExTimestampOffsetNano {
			if len(data) < 3 {
				return 0, 0, nil, ErrTruncated
			}
			nano = be24(data)
		}
	}
	return packetType, nano, rest, nil
}
