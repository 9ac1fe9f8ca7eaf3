package fmp4

// AppendInit appends an init segment for tracks to dst: an ftyp box and a
// moov box with one trak per track (no samples: they all come in
// fragments) and an mvex announcing the fragments. Track ids must be
// distinct and every track valid; otherwise dst is returned unchanged with
// an error wrapping ErrInvalid.
func AppendInit(dst []byte, tracks []Track) ([]byte, error) {
	if len(tracks) == 0 || len(tracks) > maxTracks {
		return dst, errorf("%d tracks", len(tracks))
	}
	next := uint32(0)
	for i := range tracks {
		if err := tracks[i].validate(); err != nil {
			return dst, err
		}
		for j := range i {
			if tracks[j].ID == tracks[i].ID {
				return dst, errorf("track id %d twice", tracks[i].ID)
			}
		}
		next = max(next, tracks[i].ID)
	}
	if next == ^uint32(0) {
		return dst, errorf("track id %d leaves no next id", next)
	}
	orig := len(dst)
	dst = appendFtyp(dst)
	dst, moov := begin(dst, typeMoov)
	dst = appendMvhd(dst, next+1)
	for i := range tracks {
		var err error
		if dst, err = appendTrak(dst, &tracks[i]); err != nil {
			return dst[:orig], err
		}
	}
	dst, mvex := begin(dst, typeMvex)
	for i := range tracks {
		var trex int
		dst, trex = beginFull(dst, typeTrex, 0, 0)
		dst = be32(dst, tracks[i].ID)
		dst = be32(dst, 1)   // sample description index
		dst = zeros(dst, 12) // default duration, size and flags: every trun says its own
		dst = end(dst, trex)
	}
	dst = end(dst, mvex)
	return end(dst, moov), nil
}

// brands: ISO BMFF with fragments and tfdt (iso6), the general brand and
// MP4 version 1, which players look for.
var brands = []boxType{fourCC("iso6"), fourCC("isom"), fourCC("mp41")}

func appendFtyp(dst []byte) []byte {
	dst, at := begin(dst, typeFtyp)
	dst = be32(dst, uint32(brands[0]))
	dst = be32(dst, 0) // minor version
	for _, b := range brands {
		dst = be32(dst, uint32(b))
	}
	return end(dst, at)
}

// unityMatrix is the identity transform of mvhd and tkhd.
var unityMatrix = [9]uint32{0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000}

func appendMatrix(dst []byte) []byte {
	for _, v := range unityMatrix {
		dst = be32(dst, v)
	}
	return dst
}

// movieTimescale is mvhd's: the presentation has no duration of its own,
// so any value does; milliseconds read well.
const movieTimescale = 1000

func appendMvhd(dst []byte, nextTrackID uint32) []byte {
	dst, at := beginFull(dst, typeMvhd, 0, 0)
	dst = zeros(dst, 8) // creation and modification time
	dst = be32(dst, movieTimescale)
	dst = be32(dst, 0)          // duration: unknown, the fragments have it
	dst = be32(dst, 0x00010000) // rate 1.0
	dst = be16(dst, 0x0100)     // volume 1.0
	dst = zeros(dst, 10)
	dst = appendMatrix(dst)
	dst = zeros(dst, 24) // pre_defined
	dst = be32(dst, nextTrackID)
	return end(dst, at)
}

func appendTrak(dst []byte, t *Track) ([]byte, error) {
	dst, trak := begin(dst, typeTrak)
	dst = appendTkhd(dst, t)
	dst, mdia := begin(dst, typeMdia)

	var mdhd int
	dst, mdhd = beginFull(dst, typeMdhd, 0, 0)
	dst = zeros(dst, 8)
	dst = be32(dst, t.Timescale)
	dst = be32(dst, 0)
	dst = be16(dst, undetermined)
	dst = be16(dst, 0)
	dst = end(dst, mdhd)

	var hdlr int
	dst, hdlr = beginFull(dst, typeHdlr, 0, 0)
	dst = be32(dst, 0)
	handler, name := handlerAudio, "SoundHandler"
	if t.Codec.IsVideo() {
		handler, name = handlerVideo, "VideoHandler"
	}
	dst = be32(dst, uint32(handler))
	dst = zeros(dst, 12)
	dst = append(append(dst, name...), 0)
	dst = end(dst, hdlr)

	var minf int
	dst, minf = begin(dst, typeMinf)
	if t.Codec.IsVideo() {
		var vmhd int
		dst, vmhd = beginFull(dst, typeVmhd, 0, 1)
		dst = zeros(dst, 8) // graphics mode copy, no colour
		dst = end(dst, vmhd)
	} else {
		var smhd int
		dst, smhd = beginFull(dst, typeSmhd, 0, 0)
		dst = zeros(dst, 4) // centred balance
		dst = end(dst, smhd)
	}
	dst = appendDinf(dst)
	var err error
	if dst, err = appendStbl(dst, t); err != nil {
		return dst, err
	}
	dst = end(dst, minf)
	dst = end(dst, mdia)
	return end(dst, trak), nil
}

// undetermined is the language code "und" packed as three 5-bit letters.
const undetermined = ('u'-0x60)<<10 | ('n'-0x60)<<5 | ('d' - 0x60)

func appendTkhd(dst []byte, t *Track) []byte {
	const enabledInMovie = 0x3
	dst, at := beginFull(dst, typeTkhd, 0, enabledInMovie)
	dst = zeros(dst, 8)
	dst = be32(dst, t.ID)
	dst = zeros(dst, 4)
	dst = be32(dst, 0) // duration: unknown
	dst = zeros(dst, 8)
	dst = be16(dst, 0) // layer
	volume := uint16(0)
	group := uint16(0)
	if t.Codec.IsAudio() {
		volume, group = 0x0100, 1 // audio tracks are alternatives of each other
	}
	dst = be16(dst, group)
	dst = be16(dst, volume)
	dst = be16(dst, 0)
	dst = appendMatrix(dst)
	dst = be32(dst, uint32(t.Width)<<16)
	dst = be32(dst, uint32(t.Height)<<16)
	return end(dst, at)
}

func appendDinf(dst []byte) []byte {
	dst, dinf := begin(dst, typeDinf)
	dst, dref := beginFull(dst, typeDref, 0, 0)
	dst = be32(dst, 1)
	dst, url := beginFull(dst, typeURL, 0, 1) // flag 1: the media is in this file
	dst = end(dst, url)
	dst = end(dst, dref)
	return end(dst, dinf)
}

// appendStbl writes the sample table: the sample description, and empty
// tables of times, chunks, sizes and offsets, as a fragmented file has.
func appendStbl(dst []byte, t *Track) ([]byte, error) {
	dst, stbl := begin(dst, typeStbl)
	dst, stsd := beginFull(dst, typeStsd, 0, 0)
	dst = be32(dst, 1)
	var err error
	if dst, err = appendSampleEntry(dst, t); err != nil {
		return dst, err
	}
	dst = end(dst, stsd)
	for _, empty := range []boxType{typeStts, typeStsc, typeStco} {
		var at int
		dst, at = beginFull(dst, empty, 0, 0)
		dst = be32(dst, 0)
		dst = end(dst, at)
	}
	dst, stsz := beginFull(dst, typeStsz, 0, 0)
	dst = be32(dst, 0) // sizes vary
	dst = be32(dst, 0)
	dst = end(dst, stsz)
	return end(dst, stbl), nil
}
