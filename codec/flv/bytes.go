package flv

// Big-endian helpers for the 16-, 24- and 32-bit fields of FLV. Callers
// check lengths first; these never see short slices.

func be16(b []byte) uint32 { return uint32(b[0])<<8 | uint32(b[1]) }

func be24(b []byte) uint32 { return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]) }

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// si24 reads a signed 24-bit two's complement number (composition times).
func si24(b []byte) int32 { return int32(be24(b)<<8) >> 8 }

func append24(dst []byte, v uint32) []byte {
	return append(dst, byte(v>>16), byte(v>>8), byte(v))
}

func append32(dst []byte, v uint32) []byte {
	return append(dst, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}
