// Package bitstream reads the bit fields of codec headers: MSB-first
// fixed-width fields, the Exp-Golomb codes of H.264 and H.265 parameter
// sets, AV1's variable-length codes, and the removal of the emulation
// prevention bytes NAL units carry.
//
// A Reader never panics on short input: a read past the end gives zero
// and sets a flag the caller checks once, after the fields it wanted, so
// a parser reads straight through and rejects the whole header if any of
// it was missing. Nothing here allocates: AppendUnescaped writes into the
// caller's buffer, growing it only when it is too small.
package bitstream
