package client

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/gortmp/rtmp/codec/amf0"
	"github.com/gortmp/rtmp/codec/message"
)

// DescribeInput prints an input in the one canonical form of the golden
// transcripts, for tests and for drivers that trace a session.
func DescribeInput(in Input) string {
	var p printer
	if m, ok := in.(MessageReceived); ok {
		fmt.Fprintf(&p, "recv ts=%d stream=%d ", m.Message.Timestamp, m.Message.StreamID)
		p.value(reflect.ValueOf(m.Message.Body))
		return p.String()
	}
	p.value(reflect.ValueOf(in))
	return p.String()
}

// DescribeEffect prints an effect in canonical form.
func DescribeEffect(e Effect) string {
	var p printer
	if s, ok := e.(Send); ok {
		fmt.Fprintf(&p, "send csid=%d ts=%d stream=%d ", s.ChunkStreamID, s.Message.Timestamp, s.Message.StreamID)
		p.value(reflect.ValueOf(s.Message.Body))
		return p.String()
	}
	p.value(reflect.ValueOf(e))
	return p.String()
}

type printer struct{ strings.Builder }

// value prints anything an input or effect holds: structs as Name{Field:
// value} without false booleans, AMF values as in the server transcripts
// (null, {k: v}, ecma{k: v}, [a, b]), numbers in the shortest form.
func (p *printer) value(v reflect.Value) {
	if !v.IsValid() {
		p.WriteString("null")
		return
	}
	if v.CanInterface() && p.special(v.Interface()) {
		return
	}
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			p.WriteString("null")
			return
		}
		p.value(v.Elem())
	case reflect.Struct:
		t := v.Type()
		p.WriteString(t.Name() + "{")
		first := true
		for i := range t.NumField() {
			f := v.Field(i)
			if !t.Field(i).IsExported() || (f.Kind() == reflect.Bool && !f.Bool()) {
				continue
			}
			if !first {
				p.WriteString(", ")
			}
			first = false
			p.WriteString(t.Field(i).Name + ": ")
			p.value(f)
		}
		p.WriteString("}")
	case reflect.Slice, reflect.Array:
		p.WriteString("[")
		for i := range v.Len() {
			if i > 0 {
				p.WriteString(", ")
			}
			p.value(v.Index(i))
		}
		p.WriteString("]")
	case reflect.Float32, reflect.Float64:
		p.WriteString(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.String:
		p.WriteString(strconv.Quote(v.String()))
	default:
		fmt.Fprintf(p, "%v", v.Interface())
	}
}

func (p *printer) properties(prefix string, ps []amf0.Property) {
	p.WriteString(prefix + "{")
	for i, prop := range ps {
		if i > 0 {
			p.WriteString(", ")
		}
		p.WriteString(prop.Key + ": ")
		p.value(reflect.ValueOf(&prop.Value).Elem())
	}
	p.WriteString("}")
}

// special prints the values whose reflected form would mislead.
func (p *printer) special(x any) bool {
	switch x := x.(type) {
	case amf0.Object:
		p.properties("", x)
	case amf0.ECMAArray:
		p.properties("ecma", x)
	case amf0.TypedObject:
		p.properties(x.ClassName, x.Properties)
	case amf0.Undefined:
		p.WriteString("undefined")
	case []byte:
		const shown = 16
		fmt.Fprintf(p, "bytes(%d:%x", len(x), x[:min(len(x), shown)])
		if len(x) > shown {
			p.WriteString("...")
		}
		p.WriteString(")")
	case message.LimitType:
		p.WriteString(name(int(x), "hard", "soft", "dynamic"))
	case PublishType:
		p.WriteString(name(int(x), "live", "record", "append"))
	case MediaKind:
		p.WriteString(name(int(x), "audio", "video"))
	case error:
		fmt.Fprintf(p, "%q", x.Error())
	default:
		return false
	}
	return true
}

// name is names[i], or the number for a value out of range.
func name(i int, names ...string) string {
	if i < len(names) {
		return names[i]
	}
	return strconv.Itoa(i)
}
