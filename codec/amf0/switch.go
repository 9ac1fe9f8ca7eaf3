package amf0

import (
	"math"
	"strconv"

	"github.com/gortmp/rtmp/codec/amf3"
)

// A client that chose AMF3 (objectEncoding 3) sends the values of its
// commands and data behind the AVM+ switch, and expects the same back.
// Normalize and SwitchToAMF3 map between the two value models so that a
// reader sees one model whatever the encoding, and a writer can answer in
// the encoding the peer chose.
//
// The mapping, AMF3 to AMF0 (Normalize):
//
//	undefined, null, bool, string      the same value
//	int32, float64                     float64
//	XMLDocument                        XMLDocument
//	Date                               Date, time zone 0
//	Array, dense part only             StrictArray
//	Array, otherwise                   ECMAArray: the associative part, then
//	                                   the dense elements keyed "0", "1", ...
//	Object without a class name        Object: sealed members, then dynamic
//	Object with a class name           TypedObject, members as above
//	anything else (E4X XML, ByteArray, vectors, dictionaries,
//	externalizable objects)            kept as AVMPlus: AMF0 has no such value
//
// and AMF0 to AMF3 (SwitchToAMF3) the reverse, numbers that are integers
// in the 29-bit range becoming int32, as ActionScript writes them.
// Properties with an empty key have no AMF3 form (the empty name ends an
// AMF3 member list) and are left out; Unsupported becomes undefined.

// maxConverted bounds the values one conversion builds, so that a value
// whose parts are shared many times (AMF3 references) cannot make a
// conversion build more than a decoder would have counted.
const maxConverted = DefaultMaxElements

// Normalize returns v with every AVM+ switched value (at any depth)
// replaced by its AMF0 counterpart, see the mapping above. Values without
// a switch are returned as they are, without copying. A value too deep or
// too large to convert within the decoder's default limits is returned
// unchanged.
func Normalize(v Value) Value {
	if !hasSwitch(v, 0) {
		return v
	}
	c := converter{budget: maxConverted}
	out := c.toAMF0(v, 0)
	if c.failed {
		return v
	}
	return out
}

// SwitchToAMF3 returns v as the AMF3 value an AMF3 peer reads: AVMPlus
// holding its AMF3 counterpart (see the mapping above). nil (null) stays
// the one-byte AMF0 null, which every reader takes. A value too deep or
// too large to convert within the default limits is returned unchanged.
func SwitchToAMF3(v Value) Value {
	if v == nil {
		return nil
	}
	if a, ok := v.(AVMPlus); ok {
		return a
	}
	c := converter{budget: maxConverted}
	out := c.toAMF3(v, 0)
	if c.failed {
		return v
	}
	return AVMPlus{Value: out}
}

// Switched reports whether v holds an AVM+ switch anywhere, that is
// whether Normalize may change it.
func Switched(v Value) bool { return hasSwitch(v, 0) }

// hasSwitch reports whether v holds an AVM+ switch anywhere.
func hasSwitch(v Value, depth int) bool {
	if depth > DefaultMaxDepth {
		return false
	}
	switch t := v.(type) {
	case AVMPlus:
		return true
	case Object:
		return propsHaveSwitch(t, depth)
	case ECMAArray:
		return propsHaveSwitch(t, depth)
	case TypedObject:
		return propsHaveSwitch(t.Properties, depth)
	case StrictArray:
		for _, e := range t {
			if hasSwitch(e, depth+1) {
				return true
			}
		}
	}
	return false
}

func propsHaveSwitch(ps []Property, depth int) bool {
	for _, p := range ps {
		if hasSwitch(p.Value, depth+1) {
			return true
		}
	}
	return false
}

// converter walks one value, counting what it builds.
type converter struct {
	budget int
	failed bool
}

// spend takes n values from the budget and reports whether the walk may
// go on.
func (c *converter) spend(n, depth int) bool {
	c.budget -= n
	if c.budget < 0 || depth > DefaultMaxDepth {
		c.failed = true
	}
	return !c.failed
}

// toAMF0 converts an AMF0 value that may hold AVM+ switches.
func (c *converter) toAMF0(v Value, depth int) Value {
	if !c.spend(1, depth) {
		return nil
	}
	switch t := v.(type) {
	case AVMPlus:
		return c.fromAMF3(t.Value, depth)
	case Object:
		return Object(c.props0(t, depth))
	case ECMAArray:
		return ECMAArray(c.props0(t, depth))
	case TypedObject:
		return TypedObject{ClassName: t.ClassName, Properties: c.props0(t.Properties, depth)}
	case StrictArray:
		out := make(StrictArray, len(t))
		for i, e := range t {
			out[i] = c.toAMF0(e, depth+1)
		}
		return out
	}
	return v
}

func (c *converter) props0(ps []Property, depth int) []Property {
	out := make([]Property, len(ps))
	for i, p := range ps {
		out[i] = Property{Key: p.Key, Value: c.toAMF0(p.Value, depth+1)}
	}
	return out
}

// fromAMF3 converts an AMF3 value into the AMF0 model.
func (c *converter) fromAMF3(v amf3.Value, depth int) Value {
	if !c.spend(1, depth) {
		return nil
	}
	switch t := v.(type) {
	case nil, bool, string, float64:
		return t
	case int32:
		return float64(t)
	case amf3.Undefined:
		return Undefined{}
	case amf3.XMLDocument:
		return XMLDocument(t)
	case amf3.Date:
		return Date{Milliseconds: t.Milliseconds}
	case amf3.Array:
		if len(t.Associative) == 0 {
			out := make(StrictArray, len(t.Dense))
			for i, e := range t.Dense {
				out[i] = c.fromAMF3(e, depth+1)
			}
			return out
		}
		out := c.props3(make([]Property, 0, len(t.Associative)+len(t.Dense)), t.Associative, depth)
		for i, e := range t.Dense {
			out = append(out, Property{Key: strconv.Itoa(i), Value: c.fromAMF3(e, depth+1)})
		}
		return ECMAArray(out)
	case amf3.Object:
		props := make([]Property, 0, len(t.Sealed)+len(t.DynamicMembers))
		props = c.props3(props, t.Sealed, depth)
		props = c.props3(props, t.DynamicMembers, depth)
		if t.ClassName == "" {
			return Object(props)
		}
		return TypedObject{ClassName: t.ClassName, Properties: props}
	}
	return AVMPlus{Value: v}
}

func (c *converter) props3(dst []Property, ps []amf3.Property, depth int) []Property {
	for _, p := range ps {
		dst = append(dst, Property{Key: p.Key, Value: c.fromAMF3(p.Value, depth+1)})
	}
	return dst
}

// toAMF3 converts an AMF0 value into the AMF3 model.
func (c *converter) toAMF3(v Value, depth int) amf3.Value {
	if !c.spend(1, depth) {
		return nil
	}
	switch t := v.(type) {
	case nil, bool, string:
		return t
	case float64:
		return amf3Number(t)
	case Undefined, Unsupported:
		return amf3.Undefined{}
	case AVMPlus:
		return t.Value
	case XMLDocument:
		return amf3.XMLDocument(t)
	case Date:
		return amf3.Date{Milliseconds: t.Milliseconds}
	case Object:
		return amf3.Object{Dynamic: true, DynamicMembers: c.props(t, depth)}
	case ECMAArray:
		return amf3.Array{Associative: c.props(t, depth)}
	case TypedObject:
		return amf3.Object{ClassName: t.ClassName, Sealed: c.props(t.Properties, depth)}
	case StrictArray:
		out := make([]amf3.Value, len(t))
		for i, e := range t {
			out[i] = c.toAMF3(e, depth+1)
		}
		return amf3.Array{Dense: out}
	}
	// Not an AMF0 value: the encoder names it.
	return v
}

func (c *converter) props(ps []Property, depth int) []amf3.Property {
	out := make([]amf3.Property, 0, len(ps))
	for _, p := range ps {
		if p.Key == "" {
			continue
		}
		out = append(out, amf3.Property{Key: p.Key, Value: c.toAMF3(p.Value, depth+1)})
	}
	return out
}

// amf3Number is f as ActionScript writes a Number: an integer when it is
// one in the 29-bit range (negative zero excepted), a double otherwise.
func amf3Number(f float64) amf3.Value {
	if f >= -1<<28 && f <= 1<<28-1 && f == math.Trunc(f) && !(f == 0 && math.Signbit(f)) {
		return int32(f)
	}
	return f
}
