package amf3

// Value is one AMF3 value. Decoding produces, and encoding accepts, exactly
// these Go types (encoding also takes int and int64 as integers):
//
//	Undefined      undefined (marker 0x00)
//	nil            null (0x01)
//	bool           false (0x02) and true (0x03)
//	int32          integer (0x04); encoding writes values outside the
//	               29-bit range -2^28..2^28-1 as a double instead
//	float64        double (0x05)
//	string         string (0x06)
//	XMLDocument    legacy XML document (0x07)
//	Date           date (0x08)
//	Array          array (0x09): associative part and dense part
//	Object         object (0x0A) with sealed and dynamic members
//	External       externalizable object (0x0A) of a class with a reader
//	XML            E4X XML (0x0B)
//	ByteArray      byte array (0x0C)
//	VectorInt      vector of int (0x0D)
//	VectorUint     vector of uint (0x0E)
//	VectorDouble   vector of Number (0x0F)
//	VectorObject   vector of objects (0x10)
//	Dictionary     dictionary (0x11)
//
// Strings, traits and objects may be sent by reference; decoding resolves
// references to the value they point at (shared, not copied) and encoding
// writes a reference when it meets the same string, the same traits, or the
// very same composite (same backing storage) a second time.
type Value = any

// Undefined is the AMF3 undefined value, distinct from null (nil).
type Undefined struct{}

// XMLDocument is a legacy flash.xml.XMLDocument, carried as UTF-8 text.
type XMLDocument string

// XML is an E4X XML value, carried as UTF-8 text.
type XML string

// Date is milliseconds since the Unix epoch in UTC; AMF3 has no time zone.
type Date struct{ Milliseconds float64 }

// Property is one named member of an Array or Object.
type Property struct {
	Key   string
	Value Value
}

// Array is an ActionScript Array: an ordered associative part (sent first)
// and a dense part. Associative keys are never empty.
type Array struct {
	Associative []Property
	Dense       []Value
}

// Object is an object with traits. Sealed lists the members named by the
// class traits, in trait order. Dynamic objects may also carry
// DynamicMembers, in wire order; a sealed-only object must not.
type Object struct {
	ClassName      string
	Sealed         []Property
	Dynamic        bool
	DynamicMembers []Property
}

// External is an externalizable object whose class has a known reader. The
// known classes are the Flex wrappers flex.messaging.io.ArrayCollection,
// flex.messaging.io.ArrayList and flex.messaging.io.ObjectProxy, whose
// external form is one AMF3 value (the wrapped array or object).
type External struct {
	ClassName string
	Value     Value
}

// ByteArray is a flash.utils.ByteArray.
type ByteArray []byte

// VectorInt is a Vector.<int>. Fixed records the fixed-length flag.
type VectorInt struct {
	Fixed bool
	Items []int32
}

// VectorUint is a Vector.<uint>.
type VectorUint struct {
	Fixed bool
	Items []uint32
}

// VectorDouble is a Vector.<Number>.
type VectorDouble struct {
	Fixed bool
	Items []float64
}

// VectorObject is a Vector of objects; TypeName is the element class name
// ("*" for any).
type VectorObject struct {
	Fixed    bool
	TypeName string
	Items    []Value
}

// Dictionary is a flash.utils.Dictionary: entries in wire order, keys of
// any type.
type Dictionary struct {
	WeakKeys bool
	Entries  []DictionaryEntry
}

// DictionaryEntry is one key/value pair of a Dictionary.
type DictionaryEntry struct {
	Key   Value
	Value Value
}

// Type markers.
const (
	markerUndefined    = 0x00
	markerNull         = 0x01
	markerFalse        = 0x02
	markerTrue         = 0x03
	markerInteger      = 0x04
	markerDouble       = 0x05
	markerString       = 0x06
	markerXMLDocument  = 0x07
	markerDate         = 0x08
	markerArray        = 0x09
	markerObject       = 0x0A
	markerXML          = 0x0B
	markerByteArray    = 0x0C
	markerVectorInt    = 0x0D
	markerVectorUint   = 0x0E
	markerVectorDouble = 0x0F
	markerVectorObject = 0x10
	markerDictionary   = 0x11
)

// The integer type carries 29 bits, two's complement.
const (
	minInt29 = -1 << 28
	maxInt29 = 1<<28 - 1
	maxU29   = 1<<29 - 1
)

// externalReaders are the externalizable classes this package can read:
// each writes exactly one AMF3 value as its external form.
var externalReaders = map[string]bool{
	"flex.messaging.io.ArrayCollection": true,
	"flex.messaging.io.ArrayList":       true,
	"flex.messaging.io.ObjectProxy":     true,
}
