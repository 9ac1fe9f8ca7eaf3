package fmp4

// boxType is a box's four-character code read as a big-endian number.
type boxType uint32

func fourCC(s string) boxType {
	return boxType(uint32(s[0])<<24 | uint32(s[1])<<16 | uint32(s[2])<<8 | uint32(s[3]))
}

func (t boxType) String() string {
	b := []byte{byte(t >> 24), byte(t >> 16), byte(t >> 8), byte(t)}
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return "????"
		}
	}
	return string(b)
}

// The boxes this package writes and reads.
var (
	typeFtyp = fourCC("ftyp")
	typeMoov = fourCC("moov")
	typeMvhd = fourCC("mvhd")
	typeTrak = fourCC("trak")
	typeTkhd = fourCC("tkhd")
	typeMdia = fourCC("mdia")
	typeMdhd = fourCC("mdhd")
	typeHdlr = fourCC("hdlr")
	typeMinf = fourCC("minf")
	typeVmhd = fourCC("vmhd")
	typeSmhd = fourCC("smhd")
	typeDinf = fourCC("dinf")
	typeDref = fourCC("dref")
	typeURL  = fourCC("url ")
	typeStbl = fourCC("stbl")
	typeStsd = fourCC("stsd")
	typeStts = fourCC("stts")
	typeStsc = fourCC("stsc")
	typeStsz = fourCC("stsz")
	typeStco = fourCC("stco")
	typeMvex = fourCC("mvex")
	typeTrex = fourCC("trex")
	typeMoof = fourCC("moof")
	typeMfhd = fourCC("mfhd")
	typeTraf = fourCC("traf")
	typeTfhd = fourCC("tfhd")
	typeTfdt = fourCC("tfdt")
	typeTrun = fourCC("trun")
	typeMdat = fourCC("mdat")

	typeAvc1 = fourCC("avc1")
	typeHvc1 = fourCC("hvc1")
	typeAv01 = fourCC("av01")
	typeVp09 = fourCC("vp09")
	typeMp4a = fourCC("mp4a")
	typeOpus = fourCC("Opus")
	typeFLaC = fourCC("fLaC")
	typeAc3  = fourCC("ac-3")
	typeEc3  = fourCC("ec-3")
	typeAvcC = fourCC("avcC")
	typeHvcC = fourCC("hvcC")
	typeAv1C = fourCC("av1C")
	typeVpcC = fourCC("vpcC")
	typeEsds = fourCC("esds")
	typeDOps = fourCC("dOps")
	typeDfLa = fourCC("dfLa")
	typeDac3 = fourCC("dac3")
	typeDec3 = fourCC("dec3")

	handlerVideo = fourCC("vide")
	handlerAudio = fourCC("soun")
)

// begin appends a box header with a size to be filled by end, and returns
// where the box starts.
func begin(dst []byte, t boxType) ([]byte, int) {
	at := len(dst)
	return be32(be32(dst, 0), uint32(t)), at
}

// beginFull is begin for a FullBox: the header, then version and flags.
func beginFull(dst []byte, t boxType, version uint8, flags uint32) ([]byte, int) {
	dst, at := begin(dst, t)
	return be32(dst, uint32(version)<<24|flags&0xffffff), at
}

// end writes the size of the box begun at at.
func end(dst []byte, at int) []byte {
	putBE32(dst[at:], uint32(len(dst)-at))
	return dst
}

func be16(dst []byte, v uint16) []byte { return append(dst, byte(v>>8), byte(v)) }

func be24(dst []byte, v uint32) []byte { return append(dst, byte(v>>16), byte(v>>8), byte(v)) }

func be32(dst []byte, v uint32) []byte {
	return append(dst, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

func be64(dst []byte, v uint64) []byte { return be32(be32(dst, uint32(v>>32)), uint32(v)) }

func putBE32(b []byte, v uint32) {
	_ = b[3]
	b[0], b[1], b[2], b[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
}

func zeros(dst []byte, n int) []byte {
	for range n {
		dst = append(dst, 0)
	}
	return dst
}

func getBE16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

func getBE32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func getBE64(b []byte) uint64 { return uint64(getBE32(b))<<32 | uint64(getBE32(b[4:])) }
