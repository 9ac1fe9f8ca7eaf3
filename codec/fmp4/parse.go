package fmp4

// File is what Parse finds in a fragmented MP4 stream: the tracks of its
// moov and its fragments in order.
type File struct {
	Tracks    []Track
	Fragments []Fragment
}

// Fragment is one moof and the sample data it points at.
type Fragment struct {
	Sequence uint32
	Runs     []Run
}

// trackDefaults are a trex's sample defaults.
type trackDefaults struct {
	duration, size, flags uint32
}

// Parse reads an init segment, fragments, or both (a whole fragmented
// file, or an HLS init segment followed by media segments). Sample data
// points into b. Boxes it does not need (ftyp, styp, sidx, free, ...) are
// skipped; a moof needs a moov before it (for trex defaults) only when its
// runs leave fields to them. Bad input gives an error wrapping
// ErrMalformed, never a panic, and memory in proportion to len(b).
func Parse(b []byte) (*File, error) {
	f := &File{}
	defaults := map[uint32]trackDefaults{}
	budget := len(b) // samples left: none costs less than a byte of input
	var pendingMoof []byte
	moofAt := 0
	err := walk(b, func(t boxType, at int, p []byte) error {
		switch t {
		case typeMoov:
			tracks, err := parseMoov(p, defaults)
			if err != nil {
				return err
			}
			f.Tracks = append(f.Tracks, tracks...)
			if len(f.Tracks) > maxTracks {
				return malformed("%d tracks", len(f.Tracks))
			}
		case typeMoof:
			if pendingMoof != nil {
				return malformed("moof at %d follows a moof without mdat", at)
			}
			pendingMoof, moofAt = p, at
		case typeMdat:
			if pendingMoof == nil {
				return nil // media of a non-fragmented file, or stray: not ours to read
			}
			fr, err := parseMoof(pendingMoof, b, moofAt, defaults, &budget)
			if err != nil {
				return err
			}
			f.Fragments = append(f.Fragments, fr)
			pendingMoof = nil
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if pendingMoof != nil {
		return nil, malformed("moof at %d without mdat", moofAt)
	}
	return f, nil
}

func parseMoov(p []byte, defaults map[uint32]trackDefaults) ([]Track, error) {
	var tracks []Track
	err := walk(p, func(t boxType, _ int, c []byte) error {
		switch t {
		case typeTrak:
			if len(tracks) == maxTracks {
				return malformed("more than %d traks", maxTracks)
			}
			tr, err := parseTrak(c)
			if err != nil {
				return err
			}
			tracks = append(tracks, tr)
		case typeMvex:
			return walk(c, func(t boxType, _ int, c []byte) error {
				if t != typeTrex {
					return nil
				}
				_, _, r, err := fullBox(c, t)
				if err != nil {
					return err
				}
				if len(r) < 20 {
					return malformed("trex of %d bytes", len(c))
				}
				defaults[getBE32(r)] = trackDefaults{getBE32(r[8:]), getBE32(r[12:]), getBE32(r[16:])}
				return nil
			})
		}
		return nil
	})
	return tracks, err
}

func parseTrak(p []byte) (Track, error) {
	var tr Track
	tkhd, err := need(p, typeTkhd, "trak")
	if err != nil {
		return tr, err
	}
	v, _, r, err := fullBox(tkhd, typeTkhd)
	if err != nil {
		return tr, err
	}
	idAt, sizeAt := 8, 72
	if v == 1 {
		idAt, sizeAt = 16, 84
	}
	if len(r) < sizeAt+8 {
		return tr, malformed("tkhd of %d bytes", len(tkhd))
	}
	tr.ID = getBE32(r[idAt:])
	tr.Width, tr.Height = uint16(getBE32(r[sizeAt:])>>16), uint16(getBE32(r[sizeAt+4:])>>16)

	mdia, err := need(p, typeMdia, "trak")
	if err != nil {
		return tr, err
	}
	mdhd, err := need(mdia, typeMdhd, "mdia")
	if err != nil {
		return tr, err
	}
	v, _, r, err = fullBox(mdhd, typeMdhd)
	if err != nil {
		return tr, err
	}
	scaleAt := 8
	if v == 1 {
		scaleAt = 16
	}
	if len(r) < scaleAt+4 {
		return tr, malformed("mdhd of %d bytes", len(mdhd))
	}
	tr.Timescale = getBE32(r[scaleAt:])

	minf, err := need(mdia, typeMinf, "mdia")
	if err != nil {
		return tr, err
	}
	stbl, err := need(minf, typeStbl, "minf")
	if err != nil {
		return tr, err
	}
	stsd, err := need(stbl, typeStsd, "stbl")
	if err != nil {
		return tr, err
	}
	_, _, r, err = fullBox(stsd, typeStsd)
	if err != nil {
		return tr, err
	}
	if len(r) < 4 {
		return tr, malformed("stsd of %d bytes", len(stsd))
	}
	first := true
	err = walk(r[4:], func(t boxType, _ int, entry []byte) error {
		if first {
			first = false
			return parseSampleEntry(&tr, t, entry)
		}
		return nil
	})
	if err == nil && first {
		err = malformed("track %d: stsd without entries", tr.ID)
	}
	return tr, err
}

// sampleEntryCodecs are the sample entries this package knows; mp4a is
// AAC or MP3 by its esds.
var sampleEntryCodecs = map[boxType]Codec{
	typeAvc1: H264, fourCC("avc3"): H264, typeHvc1: H265, fourCC("hev1"): H265,
	typeAv01: AV1, typeVp09: VP9, typeMp4a: AAC, typeOpus: Opus, typeFLaC: FLAC,
	typeAc3: AC3, typeEc3: EAC3,
}

// Sizes of the fields a visual or audio sample entry has before its boxes
// (the 8 bytes of SampleEntry included).
const (
	visualEntryFields = 78
	audioEntryFields  = 28
)

// parseSampleEntry fills tr's codec, sizes and configuration. An unknown
// entry leaves the codec zero.
func parseSampleEntry(tr *Track, t boxType, p []byte) error {
	codec, ok := sampleEntryCodecs[t]
	if !ok {
		return nil
	}
	tr.Codec = codec
	var boxes []byte
	if codec.IsVideo() {
		if len(p) < visualEntryFields {
			return malformed("%v entry of %d bytes", t, len(p))
		}
		tr.Width, tr.Height = getBE16(p[24:]), getBE16(p[26:])
		boxes = p[visualEntryFields:]
	} else {
		if len(p) < audioEntryFields {
			return malformed("%v entry of %d bytes", t, len(p))
		}
		tr.Channels = getBE16(p[16:])
		tr.SampleRate = getBE32(p[24:]) >> 16
		boxes = p[audioEntryFields:]
	}
	cfg, found, err := child(boxes, codec.configBox())
	if err != nil || !found {
		return err
	}
	switch codec {
	case H264, H265, AV1, AC3, EAC3:
		tr.Config = cfg
	case VP9, FLAC:
		_, _, tr.Config, err = fullBox(cfg, codec.configBox())
	case AAC:
		var objectType byte
		objectType, tr.Config, err = parseEsds(cfg)
		if objectType == objectTypeMP3 || objectType == 0x69 {
			tr.Codec = MP3
		}
	case Opus:
		tr.Config, err = parseDOps(cfg)
	}
	return err
}

// parseEsds finds the object type and decoder specific info in an esds.
func parseEsds(p []byte) (byte, []byte, error) {
	_, _, r, err := fullBox(p, typeEsds)
	if err != nil {
		return 0, nil, err
	}
	tag, es, _, err := readDescriptor(r)
	if err != nil {
		return 0, nil, err
	}
	if tag != tagES || len(es) < 3 {
		return 0, nil, malformed("esds without an ES descriptor")
	}
	flags := es[2]
	es = es[3:]
	if flags&0x80 != 0 { // a dependency on another stream
		es = skip(es, 2)
	}
	if flags&0x40 != 0 && len(es) > 0 { // a URL
		es = skip(es, 1+int(es[0]))
	}
	if flags&0x20 != 0 { // an OCR stream
		es = skip(es, 2)
	}
	tag, dcd, _, err := readDescriptor(es)
	if err != nil {
		return 0, nil, err
	}
	if tag != tagDecoderConfig || len(dcd) < 13 {
		return 0, nil, malformed("esds without a decoder configuration")
	}
	objectType := dcd[0]
	if len(dcd) == 13 {
		return objectType, nil, nil
	}
	tag, dsi, _, err := readDescriptor(dcd[13:])
	if err != nil {
		return 0, nil, err
	}
	if tag != tagDecoderSpecifc {
		return objectType, nil, nil
	}
	return objectType, dsi, nil
}

func skip(b []byte, n int) []byte {
	if n > len(b) {
		return nil
	}
	return b[n:]
}

// readDescriptor reads one MPEG-4 descriptor: its tag, its body and what
// follows.
func readDescriptor(b []byte) (byte, []byte, []byte, error) {
	if len(b) < 2 {
		return 0, nil, nil, malformed("truncated descriptor")
	}
	tag, size, i := b[0], 0, 1
	for ; i <= 4; i++ {
		if i >= len(b) {
			return 0, nil, nil, malformed("truncated descriptor size")
		}
		size = size<<7 | int(b[i]&0x7f)
		if b[i]&0x80 == 0 {
			break
		}
	}
	if i > 4 {
		return 0, nil, nil, malformed("descriptor size longer than 4 bytes")
	}
	body := b[i+1:]
	if size > len(body) {
		return 0, nil, nil, malformed("descriptor 0x%02x of %d bytes in %d", tag, size, len(body))
	}
	return tag, body[:size], body[size:], nil
}

// parseDOps turns a dOps box back into the OpusHead packet it came from.
func parseDOps(p []byte) ([]byte, error) {
	if len(p) < 11 {
		return nil, malformed("dOps of %d bytes", len(p))
	}
	channels, family := p[1], p[10]
	mapping := 0
	if family != 0 {
		mapping = 2 + int(channels)
		if len(p) < 11+mapping {
			return nil, malformed("dOps of %d bytes for %d channels", len(p), channels)
		}
	}
	head := make([]byte, 0, opusHeadMin+mapping)
	head = append(head, "OpusHead"...)
	head = append(head, 1, channels)
	head = append(head, p[3], p[2])
	head = append(head, p[7], p[6], p[5], p[4])
	head = append(head, p[9], p[8], family)
	return append(head, p[11:11+mapping]...), nil
}
