package fmp4

// tfhd flags this parser reads.
const (
	tfhdBaseDataOffset    = 0x000001
	tfhdDescriptionIndex  = 0x000002
	tfhdDefaultDuration   = 0x000008
	tfhdDefaultSize       = 0x000010
	tfhdDefaultFlags      = 0x000020
	trunFirstSampleFlags  = 0x000004
	sampleIsNonSyncSample = 0x00010000
)

// parseMoof reads a moof's runs; their data is in file, the whole parsed
// input, with the moof starting at moofAt. budget is the samples the parse
// may still allocate.
func parseMoof(p, file []byte, moofAt int, defaults map[uint32]trackDefaults, budget *int) (Fragment, error) {
	var fr Fragment
	mfhd, err := need(p, typeMfhd, "moof")
	if err != nil {
		return fr, err
	}
	_, _, r, err := fullBox(mfhd, typeMfhd)
	if err != nil {
		return fr, err
	}
	if len(r) < 4 {
		return fr, malformed("mfhd of %d bytes", len(mfhd))
	}
	fr.Sequence = getBE32(r)
	next := uint64(moofAt) // where data without an explicit offset starts
	err = walk(p, func(t boxType, _ int, traf []byte) error {
		if t != typeTraf {
			return nil
		}
		if len(fr.Runs) == maxTracks {
			return malformed("more than %d trafs", maxTracks)
		}
		runs, err := parseTraf(traf, file, uint64(moofAt), &next, defaults, budget)
		fr.Runs = append(fr.Runs, runs...)
		return err
	})
	return fr, err
}

// parseTraf reads one traf. A traf may hold several truns of its track;
// each becomes a Run.
func parseTraf(p, file []byte, moofAt uint64, next *uint64, defaults map[uint32]trackDefaults, budget *int) ([]Run, error) {
	tfhd, err := need(p, typeTfhd, "traf")
	if err != nil {
		return nil, err
	}
	_, flags, r, err := fullBox(tfhd, typeTfhd)
	if err != nil {
		return nil, err
	}
	if len(r) < 4 {
		return nil, malformed("tfhd of %d bytes", len(tfhd))
	}
	id := getBE32(r)
	d := defaults[id]
	base := *next
	if flags&tfhdDefaultBaseIsMoof != 0 {
		base = moofAt
	}
	r = r[4:]
	fields := []struct {
		flag uint32
		size int
		into *uint32
	}{{tfhdDescriptionIndex, 4, nil}, {tfhdDefaultDuration, 4, &d.duration}, {tfhdDefaultSize, 4, &d.size}, {tfhdDefaultFlags, 4, &d.flags}}
	if flags&tfhdBaseDataOffset != 0 {
		if len(r) < 8 {
			return nil, malformed("tfhd of %d bytes", len(tfhd))
		}
		base, r = getBE64(r), r[8:]
	}
	for _, f := range fields {
		if flags&f.flag == 0 {
			continue
		}
		if len(r) < f.size {
			return nil, malformed("tfhd of %d bytes", len(tfhd))
		}
		if f.into != nil {
			*f.into = getBE32(r)
		}
		r = r[f.size:]
	}
	var decodeTime uint64
	if tfdt, ok, err := child(p, typeTfdt); err != nil {
		return nil, err
	} else if ok {
		v, _, r, err := fullBox(tfdt, typeTfdt)
		if err != nil {
			return nil, err
		}
		switch {
		case v == 1 && len(r) >= 8:
			decodeTime = getBE64(r)
		case v == 0 && len(r) >= 4:
			decodeTime = uint64(getBE32(r))
		default:
			return nil, malformed("tfdt of %d bytes", len(tfdt))
		}
	}
	var runs []Run
	err = walk(p, func(t boxType, _ int, trun []byte) error {
		if t != typeTrun {
			return nil
		}
		if len(runs) == maxTracks {
			return malformed("more than %d truns in a traf", maxTracks)
		}
		run := Run{TrackID: id, BaseDecodeTime: decodeTime}
		end, err := parseTrun(trun, file, base, *next, d, &run, budget)
		if err != nil {
			return err
		}
		*next = end
		for _, s := range run.Samples {
			decodeTime += uint64(s.Duration)
		}
		runs = append(runs, run)
		return nil
	})
	return runs, err
}

// parseTrun reads a trun's samples into run and returns where its data
// ends. Data without a data offset follows the previous run's.
func parseTrun(p, file []byte, base, follow uint64, d trackDefaults, run *Run, budget *int) (uint64, error) {
	version, flags, r, err := fullBox(p, typeTrun)
	if err != nil {
		return 0, err
	}
	if len(r) < 4 {
		return 0, malformed("trun of %d bytes", len(p))
	}
	count := int(getBE32(r))
	r = r[4:]
	at := follow
	if flags&trunDataOffset != 0 {
		if len(r) < 4 {
			return 0, malformed("trun without its data offset")
		}
		at = base + uint64(int64(int32(getBE32(r))))
		r = r[4:]
	}
	firstFlags, hasFirst := uint32(0), flags&trunFirstSampleFlags != 0
	if hasFirst {
		if len(r) < 4 {
			return 0, malformed("trun without its first sample flags")
		}
		firstFlags, r = getBE32(r), r[4:]
	}
	per := 0
	for _, f := range []uint32{trunSampleDuration, trunSampleSize, trunSampleFlags, trunCompositionOffset} {
		if flags&f != 0 {
			per += 4
		}
	}
	if count > maxSamples || count > *budget || per > 0 && count > len(r)/per {
		return 0, malformed("trun of %d samples in %d bytes", count, len(r))
	}
	*budget -= count
	run.Samples = make([]Sample, count)
	for i := range run.Samples {
		s := &run.Samples[i]
		duration, size, sflags := d.duration, d.size, d.flags
		if i == 0 && hasFirst {
			sflags = firstFlags
		}
		if flags&trunSampleDuration != 0 {
			duration, r = getBE32(r), r[4:]
		}
		if flags&trunSampleSize != 0 {
			size, r = getBE32(r), r[4:]
		}
		if flags&trunSampleFlags != 0 {
			sflags, r = getBE32(r), r[4:]
		}
		if flags&trunCompositionOffset != 0 {
			cto := getBE32(r)
			r = r[4:]
			if version == 0 {
				s.CompositionOffset = int32(min(cto, 1<<31-1))
			} else {
				s.CompositionOffset = int32(cto)
			}
		}
		if at > uint64(len(file)) || uint64(size) > uint64(len(file))-at {
			return 0, malformed("track %d sample %d: %d bytes at %d outside the %d-byte input", run.TrackID, i, size, at, len(file))
		}
		s.Duration, s.Sync = duration, sflags&sampleIsNonSyncSample == 0
		s.Data = file[at : at+uint64(size) : at+uint64(size)]
		at += uint64(size)
	}
	return at, nil
}
