package message

import (
	"slices"

	"github.com/gortmp/rtmp/codec/amf0"
)

// A peer that chose AMF3 sends commands and data as types 17 and 15 with
// their values behind the AVM+ switch; a peer that did not sends types 20
// and 18 in plain AMF0. Normalized gives a reader one value model for
// both; InAMF3 writes a body the way an AMF3 peer expects it.

// Normalized returns c with every AVM+ switched value turned into its AMF0
// counterpart (see amf0.Normalize), so that the command reads the same
// whether it came as type 20 or 17. AMF3 still says which type it came
// as. A command without a switch is returned as it is.
func (c Command) Normalized() Command {
	c.Object = amf0.Normalize(c.Object)
	c.Args = normalizeAll(c.Args)
	return c
}

// Normalized returns d with every AVM+ switched value turned into its AMF0
// counterpart, as Command.Normalized does.
func (d Data) Normalized() Data {
	d.Values = normalizeAll(d.Values)
	return d
}

// InAMF3 returns c as an AMF3 peer expects it: type 17, the name and
// transaction id in AMF0 as every type-17 message carries them, and the
// command object and arguments behind the AVM+ switch (null stays AMF0
// null).
func (c Command) InAMF3() Command {
	c.AMF3 = true
	c.Object = amf0.SwitchToAMF3(c.Object)
	if len(c.Args) > 0 {
		args := make([]amf0.Value, len(c.Args))
		for i, a := range c.Args {
			args[i] = amf0.SwitchToAMF3(a)
		}
		c.Args = args
	}
	return c
}

// InAMF3 returns d as an AMF3 peer expects it: type 15, its leading
// strings (the handler names: @setDataFrame and onMetaData,
// |RtmpSampleAccess, ...) in AMF0 as a command's name is, and every value
// from the first other one on behind the AVM+ switch.
func (d Data) InAMF3() Data {
	d.AMF3 = true
	if len(d.Values) == 0 {
		return d
	}
	vs := make([]amf0.Value, len(d.Values))
	names := true
	for i, v := range d.Values {
		if _, name := v.(string); name && names {
			vs[i] = v
			continue
		}
		names = false
		vs[i] = amf0.SwitchToAMF3(v)
	}
	d.Values = vs
	return d
}

// InEncoding returns b as a peer with that object encoding (0 or 3)
// expects it: commands and data in AMF3 for 3 (see Command.InAMF3 and
// Data.InAMF3), every other body, and every body for 0, unchanged.
func InEncoding(b Body, objectEncoding float64) Body {
	if objectEncoding != 3 {
		return b
	}
	switch t := b.(type) {
	case Command:
		return t.InAMF3()
	case Data:
		return t.InAMF3()
	}
	return b
}

// DataPayloadInAMF3 turns the payload of an AMF0 data message (type 18)
// into the payload of the same message for an AMF3 peer (type 15), as
// Data.InAMF3 writes it.
func DataPayloadInAMF3(payload []byte) ([]byte, error) {
	values, err := amf0.DecodeAll(payload)
	if err != nil {
		return nil, &FormatError{Type: TypeDataAMF0, Reason: "data values", Err: err}
	}
	return appendData(nil, Data{Values: values}.InAMF3())
}

// normalizeAll normalizes each value, copying the slice only when one
// holds a switch.
func normalizeAll(vs []amf0.Value) []amf0.Value {
	if !slices.ContainsFunc(vs, amf0.Switched) {
		return vs
	}
	out := make([]amf0.Value, len(vs))
	for i, v := range vs {
		out[i] = amf0.Normalize(v)
	}
	return out
}
