package fmp4

import "math"

// Sample flags of trun: a sync sample depends on no other; any other
// sample depends on others and is not a random access point.
const (
	flagsSync    = 0x02000000
	flagsNonSync = 0x01010000
)

// trun flags: every sample states its duration, size, flags and
// composition offset, and the run says where its data starts.
const (
	trunDataOffset        = 0x000001
	trunSampleDuration    = 0x000100
	trunSampleSize        = 0x000200
	trunSampleFlags       = 0x000400
	trunCompositionOffset = 0x000800
	trunAll               = trunDataOffset | trunSampleDuration | trunSampleSize | trunSampleFlags | trunCompositionOffset
)

// tfhdDefaultBaseIsMoof makes data offsets count from the moof, so a
// fragment is the same bytes wherever it is stored.
const tfhdDefaultBaseIsMoof = 0x020000

// maxSamples bounds the samples of one run, for writing and parsing alike.
const maxSamples = 1 << 20

// AppendFragment appends one fragment to dst: a moof box with a traf per
// run, then an mdat with the runs' sample data in order. sequence numbers
// the fragment (it should grow by one from fragment to fragment). Starting
// a fragment on a keyframe is the caller's part; each sample's Sync flag
// is written as given. Runs with an unknown layout (no runs, more than 64,
// a track id 0, or over 4 GiB of data) return dst unchanged and an error
// wrapping ErrInvalid.
func AppendFragment(dst []byte, sequence uint32, runs []Run) ([]byte, error) {
	if len(runs) == 0 || len(runs) > maxTracks {
		return dst, errorf("%d runs", len(runs))
	}
	total := uint64(0)
	for i := range runs {
		if runs[i].TrackID == 0 {
			return dst, errorf("run %d: track id 0", i)
		}
		if len(runs[i].Samples) > maxSamples {
			return dst, errorf("run %d: %d samples", i, len(runs[i].Samples))
		}
		for _, s := range runs[i].Samples {
			total += uint64(len(s.Data))
		}
	}
	if total > math.MaxUint32-16 {
		return dst, errorf("%d bytes of samples in one fragment", total)
	}
	// The data offset fields are filled once the moof's size is known.
	var offsetsAt [maxTracks]int
	dst, moof := begin(dst, typeMoof)
	dst, mfhd := beginFull(dst, typeMfhd, 0, 0)
	dst = be32(dst, sequence)
	dst = end(dst, mfhd)
	for i := range runs {
		dst, offsetsAt[i] = appendTraf(dst, &runs[i])
	}
	dst = end(dst, moof)
	dataStart := uint32(len(dst) - moof + 8)
	for i := range runs {
		putBE32(dst[offsetsAt[i]:], dataStart)
		for _, s := range runs[i].Samples {
			dataStart += uint32(len(s.Data))
		}
	}
	dst = be32(dst, uint32(total)+8)
	dst = be32(dst, uint32(typeMdat))
	for i := range runs {
		for _, s := range runs[i].Samples {
			dst = append(dst, s.Data...)
		}
	}
	return dst, nil
}

// appendTraf writes one run's traf and returns where its trun's data
// offset goes.
func appendTraf(dst []byte, r *Run) ([]byte, int) {
	dst, traf := begin(dst, typeTraf)
	dst, tfhd := beginFull(dst, typeTfhd, 0, tfhdDefaultBaseIsMoof)
	dst = be32(dst, r.TrackID)
	dst = end(dst, tfhd)
	dst, tfdt := beginFull(dst, typeTfdt, 1, 0)
	dst = be64(dst, r.BaseDecodeTime)
	dst = end(dst, tfdt)
	// Version 1: composition offsets are signed, so B-frames need no
	// edit list.
	dst, trun := beginFull(dst, typeTrun, 1, trunAll)
	dst = be32(dst, uint32(len(r.Samples)))
	offsetAt := len(dst)
	dst = be32(dst, 0)
	for _, s := range r.Samples {
		dst = be32(dst, s.Duration)
		dst = be32(dst, uint32(len(s.Data)))
		flags := uint32(flagsNonSync)
		if s.Sync {
			flags = flagsSync
		}
		dst = be32(dst, flags)
		dst = be32(dst, uint32(s.CompositionOffset))
	}
	dst = end(dst, trun)
	return end(dst, traf), offsetAt
}
