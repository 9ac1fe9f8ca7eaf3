package sim

import "math/bits"

// source is the simulation's pseudo-random generator: SplitMix64, whose
// whole state is one counter, so that a seed names one run on every
// machine and Go release. The simulation draws from it alone; nothing
// outside the seed reaches a run.
type source struct{ state uint64 }

func newSource(seed, stream uint64) *source {
	return &source{state: seed ^ stream*0x9e3779b97f4a7c15}
}

// Uint64 returns the next 64 pseudo-random bits.
func (s *source) Uint64() uint64 {
	s.state += 0x9e3779b97f4a7c15
	z := s.state
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Int64N returns a number in [0, n), n > 0, by Lemire's multiply and
// shift, drawing again in the rare case that would favour some numbers.
func (s *source) Int64N(n int64) int64 {
	un := uint64(n)
	for {
		hi, lo := bits.Mul64(s.Uint64(), un)
		if lo >= un || lo >= -un%un {
			return int64(hi)
		}
	}
}

// IntN returns a number in [0, n), n > 0.
func (s *source) IntN(n int) int { return int(s.Int64N(int64(n))) }
