package fmp4

// The configuration parsers Tags runs on a sequence start, for the
// benchmarks of the external test package.
var (
	VideoSize = videoSize
	ParseASC  = parseASC
)
