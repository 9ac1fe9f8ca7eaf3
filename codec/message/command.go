package message

import "github.com/gortmp/rtmp/codec/amf0"

// Command (types 20 and 17) and data (types 18 and 15) messages: AMF0
// values. The AMF3 variants start with a format byte 0x00 and continue in
// AMF0, switching to AMF3 value by value through the AVM+ marker, which the
// amf0 package reads.

// skipFormatByte drops the leading 0x00 of an AMF3-typed payload. A
// payload without it (some encoders leave it out of type 15) is read as it
// is, since no AMF0 command or data message starts with a number.
func skipFormatByte(p []byte) []byte {
	if len(p) > 0 && p[0] == 0 {
		return p[1:]
	}
	return p
}

// decodeCommand reads the command name, the transaction id (0 when
// absent), the command object (nil when absent or null) and the optional
// arguments (nil when none).
func decodeCommand(amf amf0.Decoder, t TypeID, p []byte) (Body, error) {
	amf3 := t == TypeCommandAMF3
	if amf3 {
		p = skipFormatByte(p)
	}
	values, err := amf.DecodeAll(p)
	if err != nil {
		return nil, &FormatError{Type: t, Reason: "command values", Err: err}
	}
	if len(values) == 0 {
		return nil, &FormatError{Type: t, Reason: "command without a name"}
	}
	// Some AMF3 writers switch from the first value on; the name and the
	// transaction id read the same either way.
	name, ok := amf0.Normalize(values[0]).(string)
	if !ok {
		return nil, &FormatError{Type: t, Reason: "command name is not a string"}
	}
	c := Command{Name: name, AMF3: amf3}
	if len(values) > 1 {
		if c.TransactionID, ok = amf0.Normalize(values[1]).(float64); !ok {
			return nil, &FormatError{Type: t, Reason: "transaction id is not a number"}
		}
	}
	if len(values) > 2 {
		c.Object = values[2]
	}
	if len(values) > 3 {
		c.Args = values[3:]
	}
	return c, nil
}

func appendCommand(dst []byte, c Command) ([]byte, error) {
	if c.AMF3 {
		dst = append(dst, 0)
	}
	dst, err := amf0.Append(dst, c.Name, c.TransactionID, c.Object)
	if err != nil {
		return dst, err
	}
	return amf0.Append(dst, c.Args...)
}

// decodeData reads every value; Values is nil for an empty payload.
func decodeData(amf amf0.Decoder, t TypeID, p []byte) (Body, error) {
	amf3 := t == TypeDataAMF3
	if amf3 {
		p = skipFormatByte(p)
	}
	values, err := amf.DecodeAll(p)
	if err != nil {
		return nil, &FormatError{Type: t, Reason: "data values", Err: err}
	}
	if len(values) == 0 {
		values = nil
	}
	return Data{Values: values, AMF3: amf3}, nil
}

func appendData(dst []byte, d Data) ([]byte, error) {
	if d.AMF3 {
		dst = append(dst, 0)
	}
	return amf0.Append(dst, d.Values...)
}
