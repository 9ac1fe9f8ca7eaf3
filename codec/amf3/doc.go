// Package amf3 decodes and encodes AMF3, the ActionScript 3 serialization
// that RTMP carries in message types 15 and 17 and after the AMF0 AVM+
// switch (marker 0x11).
//
// It does no I/O: byte slices go in, Go values come out, and back. Every
// marker 0x00-0x11 is supported, with the three reference tables
// (strings, objects, traits), sealed and dynamic traits, vectors and
// dictionaries. Externalizable objects are read only for classes with a
// known reader (see External); any other such class is an error naming
// it.
//
// Decoding is strict and bounded: lengths and counts are checked against
// the remaining input before anything is allocated for them, nesting and
// the number of elements are limited (see Decoder), and every failure is an
// *Error carrying a kind to test with errors.Is and the byte offset where
// it happened. Bad input never panics.
package amf3
