package flv

// FourCC is an Enhanced RTMP codec identifier: four ASCII bytes read as one
// big-endian number, so a FourCC compares with == and costs no allocation.
type FourCC uint32

// The codec identifiers Enhanced RTMP v1 and v2 define.
const (
	FourCCAVC  FourCC = 'a'<<24 | 'v'<<16 | 'c'<<8 | '1' // H.264
	FourCCHEVC FourCC = 'h'<<24 | 'v'<<16 | 'c'<<8 | '1' // H.265
	FourCCAV1  FourCC = 'a'<<24 | 'v'<<16 | '0'<<8 | '1'
	FourCCVP9  FourCC = 'v'<<24 | 'p'<<16 | '0'<<8 | '9'
	FourCCVP8  FourCC = 'v'<<24 | 'p'<<16 | '0'<<8 | '8'

	FourCCOpus FourCC = 'O'<<24 | 'p'<<16 | 'u'<<8 | 's'
	FourCCFLAC FourCC = 'f'<<24 | 'L'<<16 | 'a'<<8 | 'C'
	FourCCAC3  FourCC = 'a'<<24 | 'c'<<16 | '-'<<8 | '3'
	FourCCEAC3 FourCC = 'e'<<24 | 'c'<<16 | '-'<<8 | '3'
	FourCCAAC  FourCC = 'm'<<24 | 'p'<<16 | '4'<<8 | 'a'
	FourCCMP3  FourCC = '.'<<24 | 'm'<<16 | 'p'<<8 | '3'
)

// String returns the four characters, or a hex form when any byte is not
// printable ASCII.
func (f FourCC) String() string {
	b := [4]byte{byte(f >> 24), byte(f >> 16), byte(f >> 8), byte(f)}
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			const hex = "0123456789abcdef"
			out := []byte("0x00000000")
			for i := 0; i < 8; i++ {
				out[9-i] = hex[(f>>(4*i))&0xf]
			}
			return string(out)
		}
	}
	return string(b[:])
}

// hasCompositionTime reports whether CodedFrames of this codec start with a
// signed 24-bit composition time offset. Only the codecs with B-frame
// reordering in their FLV mapping carry one.
func (f FourCC) hasCompositionTime() bool {
	return f == FourCCAVC || f == FourCCHEVC
}

func readFourCC(b []byte) FourCC {
	return FourCC(uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]))
}

func appendFourCC(dst []byte, f FourCC) []byte {
	return append(dst, byte(f>>24), byte(f>>16), byte(f>>8), byte(f))
}
