package amf0

import "github.com/gortmp/rtmp/codec/amf3"

// Value is one AMF0 value. Decoding produces, and encoding accepts, exactly
// these Go types:
//
//	float64        number (marker 0x00); clients send integers as floats too
//	bool           boolean (0x01)
//	string         string (0x02) or long string (0x0C); encoding picks the
//	               long form by itself for strings over 65535 bytes
//	Object         anonymous object (0x03), properties in wire order
//	nil            null (0x05)
//	Undefined      undefined (0x06)
//	ECMAArray      ECMA array (0x08), kept apart from Object
//	StrictArray    strict array (0x0A)
//	Date           date (0x0B)
//	Unsupported    the unsupported marker (0x0D)
//	XMLDocument    XML document (0x0F)
//	TypedObject    typed object (0x10)
//	AVMPlus        the switch to AMF3 (0x11) with the AMF3 value it carries
//
// A reference (0x07) decodes to the value it points at; encoding never
// writes references, so the encoded form of a value is canonical.
type Value = any

// Unsupported is the AMF0 unsupported value (marker 0x0D), which stands in
// for something the sender could not serialize.
type Unsupported struct{}

// AVMPlus is the switch to AMF3 (marker 0x11): the one AMF3 value that
// follows it. Each switch starts fresh AMF3 reference tables.
type AVMPlus struct{ Value amf3.Value }

// Undefined is the AMF0 undefined value, distinct from null (nil).
type Undefined struct{}

// Property is one key/value pair of an Object, ECMAArray or TypedObject.
type Property struct {
	Key   string
	Value Value
}

// Object is an anonymous AMF0 object. Properties keep their wire order,
// which some clients depend on.
type Object []Property

// ECMAArray is an associative array. It looks like an Object but travels
// with its own marker and a count, and some clients send connect
// parameters this way.
type ECMAArray []Property

// StrictArray is a dense, ordinal array.
type StrictArray []Value

// Date is a point in time as milliseconds since the Unix epoch, with the
// time-zone field that the format carries (and that everyone sets to 0).
type Date struct {
	Milliseconds float64
	TimeZone     int16
}

// XMLDocument is an XML document, carried as a long UTF-8 string.
type XMLDocument string

// TypedObject is an object with a registered class name.
type TypedObject struct {
	ClassName  string
	Properties Object
}
